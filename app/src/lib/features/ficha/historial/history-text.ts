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

/** What a line is about: "Alta de cuenta PPPoE", "Cliente: Teléfono". */
export function historyTitle(h: HistoryEntry): string {
	const label = h.entity && isEntityName(h.entity) ? ENTITIES[h.entity].label : (h.entity ?? '');
	if (!h.field)
		return `${h.newValue === null || h.newValue === undefined ? 'Baja' : 'Alta'} de ${inSentence(label)}`;
	return `${label}: ${fieldLabel(h.entity, h.field)}`;
}

/**
 * The value before the change. A router job's line is written when the job ends and stores no
 * "before": the job was waiting for the router, so it reads "pendiente → hecho".
 */
export const valueBefore = (h: HistoryEntry): string | null | undefined =>
	h.entity === 'routerJob' && (h.oldValue === null || h.oldValue === undefined)
		? 'pendiente'
		: h.oldValue;
