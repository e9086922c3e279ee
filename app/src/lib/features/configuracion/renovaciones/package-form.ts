import {
	RENEWAL_PERIODS,
	VAT_RATES,
	formatCentsInput,
	parseEuros,
	type RenewalPackage,
	type RenewalPeriod
} from '@enlace/shared';
import type { FormErrors } from '$lib/forms';
import { t } from '$lib/i18n/index.svelte';

export const PACKAGE_KEYS = ['name', 'items', 'priceCents', 'vatRate', 'period', 'active'] as const;

/** The inputs of the package form: items one per line, price as typed euros. */
export type PackageDraft = {
	name: string;
	items: string;
	price: string;
	vatRate: string;
	period: RenewalPeriod;
	active: boolean;
};

export function packageDraft(p: RenewalPackage | undefined): PackageDraft {
	return {
		name: p?.name ?? '',
		items: p?.items.join('\n') ?? '',
		price: formatCentsInput(p?.priceCents),
		vatRate: String(p?.vatRate ?? 21),
		period: p?.period ?? 'yearly',
		active: p?.active ?? true
	};
}

/** The items typed, one a line, blank lines dropped. */
export const itemsOf = (text: string) =>
	text
		.split('\n')
		.map((s) => s.trim())
		.filter(Boolean);

/** Inputs → a package row, with every wrong field at once (the mutator's schema has the last word). */
export function packageRow(
	d: PackageDraft
): { row: Record<string, unknown> } | { errors: FormErrors } {
	const errors: FormErrors = {};
	const name = d.name.trim();
	if (!name) errors.name = t('Indique el nombre');
	else if (name.length > 80) errors.name = t('Máximo 80 caracteres');
	const items = itemsOf(d.items);
	if (items.length > 30) errors.items = t('Máximo 30 elementos');
	else if (items.some((i) => i.length > 200))
		errors.items = t('Cada elemento tiene como mucho 200 caracteres');
	const price = parseEuros(d.price);
	const priceCents = price.ok ? price.value : null;
	if (priceCents === null) errors.price = t('Importe no válido (p. ej. 29,90)');
	const vatRate = Number(d.vatRate);
	if (!(VAT_RATES as readonly number[]).includes(vatRate)) errors.vatRate = t('IVA no válido');
	if (!(RENEWAL_PERIODS as readonly string[]).includes(d.period))
		errors.period = t('Periodicidad no válida');
	if (Object.keys(errors).length) return { errors };
	return { row: { name, items, priceCents, vatRate, period: d.period, active: d.active } };
}
