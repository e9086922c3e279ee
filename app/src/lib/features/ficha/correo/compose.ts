import {
	DOCUMENT_KIND_LABELS,
	MailSendArgs,
	fillTemplate,
	templateValues,
	formatEuros,
	type Customer,
	type Document,
	type MailMessage,
	type MailTemplate
} from '@enlace/shared';
import { checkWith } from '$lib/forms/validate';
import { t } from '$lib/i18n/index.svelte';
import type { FormErrors } from '$lib/forms/values';

/** What "Enviar Email" holds while it is typed (addresses as typed, comma separated). */
export type MailDraft = {
	to: string;
	cc: string;
	subject: string;
	body: string;
	documentIds: string[];
	/** Files of the customer's Repositorio (stored on the server). */
	repositoryFileIds: string[];
	files: { fileId: string; name: string; size?: number; contentType?: string }[];
	replyTo?: string;
};

export const emptyDraft = (to = ''): MailDraft => ({
	to,
	cc: '',
	subject: '',
	body: '',
	documentIds: [],
	repositoryFileIds: [],
	files: []
});

/** A list of ids with `id` added (on) or taken out (off): the attachment checkboxes. */
export const toggled = (ids: string[], id: string, on: boolean): string[] =>
	on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id);

/** "ana@x.es, luis@y.es; eva@z.es" → the addresses, trimmed, empty ones left out. */
export const splitAddresses = (s: string): string[] =>
	s
		.split(/[,;\s]+/)
		.map((a) => a.trim())
		.filter(Boolean);

/** The `mail.send` arguments, or every invalid field at once (`to.1` is reported on `to`). */
export function checkDraft(
	d: MailDraft,
	ids: { id: string; customerId: string }
): { args: MailSendArgs } | { errors: FormErrors } {
	const checked = checkWith(MailSendArgs, {
		...ids,
		to: splitAddresses(d.to),
		cc: splitAddresses(d.cc),
		subject: d.subject,
		body: d.body,
		documentIds: d.documentIds,
		repositoryFileIds: d.repositoryFileIds,
		files: d.files,
		...(d.replyTo ? { replyTo: d.replyTo } : {})
	});
	if ('row' in checked) return { args: checked.row };
	const errors: FormErrors = {};
	for (const [k, v] of Object.entries(checked.errors)) errors[k.split('.')[0]] ??= v;
	return { errors };
}

/** A document's name in the attachment list: "Factura F2026-000001 · 36,30 €". */
export function documentLabel(d: Document): string {
	const amount = d.totals ? ` · ${formatEuros(d.totals.totalCents)}` : '';
	return `${t(DOCUMENT_KIND_LABELS[d.kind])} ${d.number ?? t('(borrador del {date})', { date: d.date })}${amount}`;
}

/** A template filled with the customer's and the first attached document's values. */
export function applyTemplate(
	tpl: MailTemplate,
	customer: Customer | undefined,
	doc: Document | undefined,
	company: string | undefined
): { subject: string; body: string } {
	const values = templateValues(customer, doc, company);
	return { subject: fillTemplate(tpl.subject, values), body: fillTemplate(tpl.body, values) };
}

/** Quoted text of a message for a reply or a forward. */
export function quoted(m: MailMessage, header: string): string {
	return `\n\n${header}\n${m.body
		.split('\n')
		.map((l) => `> ${l}`)
		.join('\n')}`;
}

/** "Re: …" / "Rv: …", without piling prefixes up. */
export const prefixed = (prefix: 'Re' | 'Rv', subject: string) =>
	new RegExp(`^${prefix}:`, 'i').test(subject) ? subject : `${prefix}: ${subject}`;

/** The bare address of a "Name <addr>" header. */
export const addressOf = (from: string) => (from.match(/<([^<>]+)>\s*$/)?.[1] ?? from).trim();
