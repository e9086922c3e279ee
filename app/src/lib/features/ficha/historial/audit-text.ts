import {
	CORPORATE_TAX_REGIME_LABELS,
	FIELD_LABELS,
	TAX_PERIOD_LABELS,
	VAT_REGIME_LABELS,
	formatEuros,
	formatIban,
	formatPercent
} from '@enlace/shared';
import { NO_VALUE } from './history-text';

/**
 * Historial stores a nested section (a company's Mercantil, Fiscal, Financiera) as JSON text.
 * These helpers turn such values, and amounts and percentages, into what a person reads.
 */

const ENUM_LABELS: Record<string, Record<string, string>> = {
	vatRegime: VAT_REGIME_LABELS,
	corporateTaxRegime: CORPORATE_TAX_REGIME_LABELS,
	period: TAX_PERIOD_LABELS
};

const PERCENT_FIELDS = new Set(['probability', 'sharePercent', 'irpfPercent', 'corporateTaxRate']);

/** A scalar of a known field as text: euros for cents, % for percentages, labels for enums. */
export function scalarText(field: string, v: unknown): string {
	if (v === undefined || v === null || v === '') return NO_VALUE;
	if (typeof v === 'boolean') return v ? 'sí' : 'no';
	const n = Number(v);
	if (field.endsWith('Cents') && Number.isFinite(n)) return formatEuros(n);
	if (PERCENT_FIELDS.has(field) && Number.isFinite(n)) return formatPercent(n);
	if (field === 'iban') return formatIban(String(v));
	return ENUM_LABELS[field]?.[String(v)] ?? String(v);
}

/** One entry of a list (a socio, an account, a modelo) in a few words. */
function itemText(item: unknown): string {
	if (typeof item !== 'object' || item === null) return String(item);
	const o = item as Record<string, unknown>;
	if (typeof o.sharePercent === 'number') return `${o.name} (${formatPercent(o.sharePercent)})`;
	if (typeof o.iban === 'string') return formatIban(o.iban);
	if (typeof o.modelo === 'string') return o.modelo;
	if (typeof o.name === 'string') return o.name;
	return JSON.stringify(o);
}

function valueText(field: string, v: unknown): string {
	if (Array.isArray(v)) return v.length ? v.map(itemText).join('; ') : NO_VALUE;
	if (typeof v === 'object' && v !== null) return JSON.stringify(v);
	return scalarText(field, v);
}

function parseObject(v: string | null | undefined): Record<string, unknown> | undefined {
	if (v === null || v === undefined || v === '') return {};
	if (!v.startsWith('{')) return undefined;
	try {
		const o: unknown = JSON.parse(v);
		return typeof o === 'object' && o !== null && !Array.isArray(o)
			? (o as Record<string, unknown>)
			: undefined;
	} catch {
		// Historial cuts long values at 2000 characters: such a value is shown as it was stored.
		return undefined;
	}
}

export type SubChange = { label: string; oldText: string; newText: string };

/**
 * The inner fields that differ between two JSON versions of a section, or undefined when the
 * values are not sections (then Historial shows them as they are).
 */
export function sectionChanges(
	oldValue: string | null | undefined,
	newValue: string | null | undefined
): SubChange[] | undefined {
	const before = parseObject(oldValue);
	const after = parseObject(newValue);
	if (!before || !after) return undefined;
	const changes: SubChange[] = [];
	for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
		if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
		changes.push({
			label: FIELD_LABELS[key] ?? key,
			oldText: valueText(key, before[key]),
			newText: valueText(key, after[key])
		});
	}
	return changes;
}
