import { formatCentsInput, type EquipmentProduct } from '@enlace/shared';
import type { FormErrors } from '$lib/forms';
import { t } from '$lib/i18n/index.svelte';
import { priceAndVat } from '../tarifas/tariff-form';

export const PRODUCT_KEYS = [
	'code',
	'barcode',
	'name',
	'reference',
	'partNumber',
	'familyId',
	'vatRate',
	'priceCents',
	'active'
] as const;

/** The inputs of the catalogue form: price as typed euros, the rest as text. */
export type ProductDraft = {
	code: string;
	barcode: string;
	name: string;
	reference: string;
	partNumber: string;
	familyId: string;
	price: string;
	vatRate: string;
	active: boolean;
};

export function productDraft(p: EquipmentProduct | undefined): ProductDraft {
	return {
		code: p?.code ?? '',
		barcode: p?.barcode ?? '',
		name: p?.name ?? '',
		reference: p?.reference ?? '',
		partNumber: p?.partNumber ?? '',
		familyId: p?.familyId ?? '',
		price: formatCentsInput(p?.priceCents),
		vatRate: String(p?.vatRate ?? 21),
		active: p?.active ?? true
	};
}

const CODE = /^[\x21-\x7e]*$/;

/**
 * Inputs → a catalogue row, with every wrong field at once. Uniqueness of the code and barcode
 * is the mutator's (it knows every product, also those another device added).
 */
export function productRow(
	d: ProductDraft,
	others: readonly EquipmentProduct[] = [],
	id = ''
): { row: Record<string, unknown> } | { errors: FormErrors } {
	const errors: FormErrors = {};
	const code = d.code.trim();
	const barcode = d.barcode.trim();
	if (!code) errors.code = t('Indique el código');
	else if (!CODE.test(code)) errors.code = t('Solo letras, cifras y signos, sin espacios');
	if (barcode && !CODE.test(barcode))
		errors.barcode = t('Solo letras, cifras y signos, sin espacios');
	// What this device already knows is said at once; the server checks again.
	for (const [field, value] of [
		['code', code],
		['barcode', barcode]
	] as const) {
		const taken =
			value && others.find((p) => p.id !== id && (p.code === value || p.barcode === value));
		if (taken && !errors[field]) errors[field] = t('Ya lo tiene «{name}»', { name: taken.name });
	}
	const name = d.name.trim();
	if (!name) errors.name = t('Indique el nombre');
	const { priceCents, vatRate } = priceAndVat(d, errors);
	if (Object.keys(errors).length) return { errors };
	return {
		row: {
			code,
			barcode: barcode || undefined,
			name,
			reference: d.reference.trim() || undefined,
			partNumber: d.partNumber.trim() || undefined,
			familyId: d.familyId || undefined,
			vatRate,
			priceCents,
			active: d.active
		}
	};
}
