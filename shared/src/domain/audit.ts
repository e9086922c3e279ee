/** Fields never worth a Historial line: bookkeeping that changes on every write. */
const IGNORED = new Set(['updatedAt', 'createdAt', 'id', 'customerId', 'stateChangedAt']);

export type FieldChange = { field: string; oldValue: string | null; newValue: string | null };

/** Render any stored value as the text Historial shows ("sí"/"no", lists joined). */
export function auditText(v: unknown): string | null {
	if (v === undefined || v === null || v === '') return null;
	if (typeof v === 'boolean') return v ? 'sí' : 'no';
	if (Array.isArray(v)) return v.length ? v.map((x) => auditText(x)).join(', ') : null;
	if (typeof v === 'object') return JSON.stringify(v).slice(0, 2000);
	return String(v).slice(0, 2000);
}

/** Field-level differences between two versions of a row (old undefined: created). */
export function diffRows(
	before: Record<string, unknown> | undefined,
	after: Record<string, unknown>
): FieldChange[] {
	const changes: FieldChange[] = [];
	const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
	for (const field of keys) {
		if (IGNORED.has(field)) continue;
		const oldValue = auditText(before?.[field]);
		const newValue = auditText(after[field]);
		if (oldValue !== newValue) changes.push({ field, oldValue, newValue });
	}
	return changes;
}
