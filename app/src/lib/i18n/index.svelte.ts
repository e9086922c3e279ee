export type Lang = 'es' | 'en';

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('enlace-lang') : null;

/**
 * The English catalogue, loaded only when English is chosen: most users read Spanish, and its
 * hundreds of entries are not worth evaluating before the app's first screen.
 */
let en = $state.raw<Record<string, string> | undefined>();
let loading: Promise<void> | undefined;
function loadEnglish(): Promise<void> {
	return (loading ??= import('./en').then((m) => {
		en = m.en;
	}));
}

class I18n {
	lang = $state<Lang>(stored === 'en' ? 'en' : 'es');

	/**
	 * The app can be drawn: false only at the start of an English session, until the catalogue is
	 * loaded (switching to English later keeps the screen, in Spanish for that moment).
	 */
	get ready() {
		return stored !== 'en' || en !== undefined;
	}

	set(lang: Lang) {
		this.lang = lang;
		localStorage.setItem('enlace-lang', lang);
		document.documentElement.lang = lang;
		if (lang === 'en') void loadEnglish();
	}
}

export const i18n = new I18n();
if (i18n.lang === 'en') void loadEnglish();

const warned = new Set<string>();

/**
 * Spanish is the source text and the key: `t('Guardar')`. English comes from `en.ts`; a missing
 * translation shows the Spanish, never a key, and `catalog.test.ts` fails until `en.ts` has it.
 */
export function t(es: string, vars?: Record<string, string | number>): string {
	let s = es;
	if (i18n.lang === 'en' && en) {
		s = en[es] ?? es;
		// A text built at run time (a server message) can still miss: say so while developing.
		if (import.meta.env?.DEV && !(es in en) && !warned.has(es)) {
			warned.add(es);
			console.warn(`i18n: no English for ${JSON.stringify(es)}`);
		}
	}
	if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
	return s;
}

/**
 * Marks a Spanish source text kept as data and translated where it is shown, e.g. a sync status
 * stored for every tab: `message: msg('Sin red: …')`, shown with `t(status.message)`. Returns it
 * unchanged; the catalogue check (`catalog.test.ts`) reads it as a text that needs English.
 */
export const msg = (es: string): string => es;

// Made when first used: building a formatter with a time zone costs tens of milliseconds on a
// slow phone, at the app's start otherwise.
let dateFmt: Intl.DateTimeFormat | undefined;
let dateTimeFmt: Intl.DateTimeFormat | undefined;

/** Times are stored in UTC and shown in Europe/Madrid. */
export const fmtDateTime = (iso?: string) =>
	iso
		? (dateTimeFmt ??= new Intl.DateTimeFormat('es-ES', {
				timeZone: 'Europe/Madrid',
				dateStyle: 'short',
				timeStyle: 'short'
			})).format(new Date(iso))
		: '';
export const fmtDate = (isoDate?: string) =>
	isoDate
		? (dateFmt ??= new Intl.DateTimeFormat('es-ES', {
				timeZone: 'Europe/Madrid',
				dateStyle: 'short'
			})).format(new Date(`${isoDate.slice(0, 10)}T12:00:00Z`))
		: '';
export const todayIso = () =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(new Date());
