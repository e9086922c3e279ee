import { ENTITIES, fieldLabel, isEntityName, type HistoryEntry } from '@enlace/shared';

/** How Historial shows "no value" (a field that was empty, or was emptied). */
export const NO_VALUE = '—';

/**
 * A label inside a sentence: its first letter in lower case ("Cuenta PPPoE" → "cuenta PPPoE",
 * "Router" → "router"), unless the first word is an acronym ("PPPoE", "IP").
 */
export function inSentence(label: string): string {
	const firstWord = label.split(' ')[0];
	if (firstWord.length > 1 && firstWord.slice(1) !== firstWord.slice(1).toLowerCase()) return label;
	return label.charAt(0).toLowerCase() + label.slice(1);
}

/**
 * The titles of a line, with `{placeholders}`. History.svelte passes them through `t()`; this
 * file is tested without Svelte, which `$lib/i18n` needs, so it does not translate by itself.
 */
export const HISTORY_TITLES = {
	added: 'Alta de {what}',
	removed: 'Baja de {what}',
	field: '{entity}: {field}'
};

/** A text of HISTORY_TITLES and the values of its placeholders. */
export type HistoryTitle = { text: string; vars: Record<string, string> };

/** What a line is about: "Alta de cuenta PPPoE", "Cliente: Teléfono". */
export function historyTitle(h: HistoryEntry): HistoryTitle {
	// A line about Historial itself is about one manual note someone edited or deleted.
	const label =
		h.entity === 'history'
			? 'Anotación'
			: h.entity && isEntityName(h.entity)
				? ENTITIES[h.entity].label
				: (h.entity ?? '');
	if (!h.field) {
		const gone = h.newValue === null || h.newValue === undefined;
		return {
			text: gone ? HISTORY_TITLES.removed : HISTORY_TITLES.added,
			vars: { what: inSentence(label) }
		};
	}
	return {
		text: HISTORY_TITLES.field,
		vars: { entity: label, field: fieldLabel(h.entity, h.field) }
	};
}

/** A title in Spanish, its placeholders filled. */
export const titleInSpanish = ({ text, vars }: HistoryTitle): string =>
	text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);

/**
 * The value before the change. A router job's line is written when the job ends and stores no
 * "before": the job was waiting for the router, so it reads "pendiente → hecho".
 */
export const valueBefore = (h: HistoryEntry): string | null | undefined =>
	h.entity === 'routerJob' && (h.oldValue === null || h.oldValue === undefined)
		? 'pendiente'
		: h.oldValue;

/** When a line happened: a manual entry on its own date, an automatic one at its time. */
export const lineWhen = (h: Pick<HistoryEntry, 'kind' | 'date' | 'at'>): string =>
	h.kind === 'manual' && h.date ? `${h.date}T12:00:00Z` : h.at;

/** Sort order of Historial: the newest line first. */
export const newestFirst = (a: HistoryEntry, b: HistoryEntry): number => {
	const [x, y] = [lineWhen(a), lineWhen(b)];
	return x < y ? 1 : x > y ? -1 : 0;
};
