import {
	VAT_RATES,
	formatCentsInput,
	parseEuros,
	type BILLING_PERIODS,
	type Tariff
} from '@enlace/shared';
import type { FormErrors } from '$lib/forms';
import { t } from '$lib/i18n/index.svelte';

export const BILLING_PERIOD_LABELS: Record<(typeof BILLING_PERIODS)[number], string> = {
	monthly: 'Mensual',
	bimonthly: 'Bimestral',
	quarterly: 'Trimestral',
	'half-yearly': 'Semestral',
	yearly: 'Anual'
};

export const TARIFF_KEYS = [
	'name',
	'priceCents',
	'vatRate',
	'billingPeriod',
	'downloadMbps',
	'uploadMbps',
	'active'
] as const;

/** The inputs of the tariff form: price as typed euros, speeds as typed text. */
export type TariffDraft = {
	name: string;
	price: string;
	vatRate: string;
	billingPeriod: Tariff['billingPeriod'];
	downloadMbps: string;
	uploadMbps: string;
	active: boolean;
};

export function tariffDraft(t: Tariff | undefined): TariffDraft {
	return {
		name: t?.name ?? '',
		price: formatCentsInput(t?.priceCents),
		vatRate: String(t?.vatRate ?? 21),
		billingPeriod: t?.billingPeriod ?? 'monthly',
		downloadMbps: t ? String(t.downloadMbps) : '',
		uploadMbps: t ? String(t.uploadMbps) : '',
		active: t?.active ?? true
	};
}

const whole = (v: string | number): number | undefined => {
	const s = String(v).trim();
	return /^\d+$/.test(s) ? Number(s) : undefined;
};

/**
 * A catalogue's price (typed euros) and VAT rate (tariffs, equipment), their errors added to
 * `errors` under `price` and `vatRate`.
 */
export function priceAndVat(
	d: { price: string; vatRate: string },
	errors: FormErrors
): { priceCents: number | null; vatRate: number } {
	const price = parseEuros(d.price);
	const priceCents = price.ok ? price.value : null;
	if (priceCents === null) errors.price = t('Importe no válido (p. ej. 29,90)');
	const vatRate = Number(d.vatRate);
	if (!(VAT_RATES as readonly number[]).includes(vatRate)) errors.vatRate = t('IVA no válido');
	return { priceCents, vatRate };
}

/**
 * Inputs → a tariff row, with every wrong field at once (the mutator stops at the first). Ranges
 * and names are checked again by the mutator's schema, which has the last word.
 */
export function tariffRow(
	d: TariffDraft
): { row: Record<string, unknown> } | { errors: FormErrors } {
	const errors: FormErrors = {};
	const name = d.name.trim();
	if (!name) errors.name = t('Indique el nombre');
	const { priceCents, vatRate } = priceAndVat(d, errors);
	const downloadMbps = whole(d.downloadMbps);
	if (!downloadMbps) errors.downloadMbps = t('Indique los Mb de bajada (número entero)');
	const uploadMbps = whole(d.uploadMbps);
	if (!uploadMbps) errors.uploadMbps = t('Indique los Mb de subida (número entero)');
	if (Object.keys(errors).length) return { errors };
	return {
		row: {
			name,
			priceCents,
			vatRate,
			billingPeriod: d.billingPeriod,
			downloadMbps,
			uploadMbps,
			active: d.active
		}
	};
}
