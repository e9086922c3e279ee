/**
 * Where the texts of `t(expression)` come from, when the catalogue check cannot read them by itself.
 * `t('literal')`, `t(cond ? 'a' : 'b')` and `t(TABLE[key])` with `TABLE` a constant of the same file
 * or exported from app/ or shared/ need no entry. Any other argument must be declared here, keyed by
 * its text as written (spaces collapsed), with the tables it draws from: `NAME` takes every string
 * value of the constant `NAME`, `NAME.prop` only the values of its `prop` fields. An empty list says
 * the value is shown as is on purpose. An undeclared argument fails `catalog.test.ts`.
 */
export const DYNAMIC_TEXTS: Record<string, string[]> = {
	// Tabs of the customer file and of Configuración, iterated in the layouts.
	'x.label': ['CUSTOMER_TABS.label', 'tabs.label'],
	'tab.label': ['CUSTOMER_TABS.label'],
	'tab.comes': ['CUSTOMER_TABS.comes'],
	// Sections of the company form.
	'sec.label': ['FORM_SECTIONS.label'],
	'FORM_SECTIONS.find((x) => x.id === ed.section)?.label': ['FORM_SECTIONS.label'],
	// Historial line titles, filled with their values where shown.
	'title.text': ['HISTORY_TITLES'],
	// JobState's `label` prop: its callers pass literals, which the check reads as sources.
	label: [],
	// The sync status: set by sync/loop.ts through msg(), or a server message (Spanish by design).
	's.status.message': [],
	// A secret field without a label (a new RouterOS field) is shown by its RouterOS name.
	x: [],
	// Admin API errors when offline (request-errors.ts): each API names what needs a connection.
	// Documentos: the VAT choices, a rate as written (`21 %`) or an exemption cause.
	'c.label': ['EXEMPT_REASON_LABELS'],
	offline: [
		'OFFLINE_MESSAGE',
		'AGENTS_OFFLINE',
		'CHAIN_OFFLINE',
		'BILLING_OFFLINE',
		'MAIL_OFFLINE'
	],
	// Facturación: the preview's filters.
	'f.label': ['PREVIEW_FILTERS.label'],
	// The top bar's sections (routes/+layout.svelte).
	'item.label': ['NAV_SECTIONS.label'],
	'item.aria': ['NAV_SECTIONS.aria'],
	// Correo: what each template variable means (Configuración › Correo).
	meaning: ['MAIL_TEMPLATE_VARIABLES', 'CONTRACT_PLACEHOLDERS']
};
