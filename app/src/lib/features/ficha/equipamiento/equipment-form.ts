import {
	EQUIPMENT_OWNERSHIPS,
	EQUIPMENT_STATES,
	normalizeMac,
	type CustomField,
	type CustomValue,
	type Equipment,
	type EquipmentOwnership,
	type EquipmentProduct,
	type EquipmentState
} from '@enlace/shared';
import type { FormErrors } from '$lib/forms';
import { t } from '$lib/i18n/index.svelte';
import { fromInput, toInput } from '../otros/values';

export const EQUIPMENT_KEYS = [
	'productId',
	'serial',
	'mac',
	'ownership',
	'state',
	'installedOn',
	'retiredOn',
	'technicianId',
	'addressId',
	'locationNotes',
	'lat',
	'lng',
	'gpsAccuracy',
	'custom'
] as const;

/** A custom value's input in the draft: `custom.<fieldId>` (also the name of its error). */
export const customKey = (fieldId: string): `custom.${string}` => `custom.${fieldId}`;

/** The form's values: text for inputs; custom values under `custom.<fieldId>`. */
export type EquipmentDraft = {
	productId: string;
	serial: string;
	mac: string;
	ownership: EquipmentOwnership;
	state: EquipmentState;
	installedOn: string;
	retiredOn: string;
	technicianId: string;
	addressId: string;
	locationNotes: string;
	/** The GPS point as numbers (from the phone), or '' for none. */
	lat: number | '';
	lng: number | '';
	gpsAccuracy: number | '';
	[custom: `custom.${string}`]: string;
};

export function equipmentDraft(
	e: Equipment | undefined,
	fields: readonly CustomField[],
	defaults: { today: string; technicianId?: string; addressId?: string }
): EquipmentDraft {
	const d: EquipmentDraft = {
		productId: e?.productId ?? '',
		serial: e?.serial ?? '',
		mac: e?.mac ?? '',
		ownership: e?.ownership ?? 'alquilado',
		state: e?.state ?? 'instalado',
		installedOn: e ? (e.installedOn ?? '') : defaults.today,
		retiredOn: e?.retiredOn ?? '',
		technicianId: e ? (e.technicianId ?? '') : (defaults.technicianId ?? ''),
		addressId: e ? (e.addressId ?? '') : (defaults.addressId ?? ''),
		locationNotes: e?.locationNotes ?? '',
		lat: e?.lat ?? '',
		lng: e?.lng ?? '',
		gpsAccuracy: e?.gpsAccuracy ?? ''
	};
	for (const f of fields) d[customKey(f.id)] = toInput(f, e?.custom?.[f.id]);
	return d;
}

/**
 * The form's values as an equipment row, or every wrong field at once. The mutator checks the
 * product, the address and the custom fields again against what the server holds.
 */
export function equipmentRow(
	d: EquipmentDraft,
	fields: readonly CustomField[],
	stored?: Equipment
): { row: Record<string, unknown> } | { errors: FormErrors } {
	const errors: FormErrors = {};
	if (!d.productId) errors.productId = t('Elija el equipo del catálogo');
	const macText = d.mac.trim();
	const mac = macText ? normalizeMac(macText) : undefined;
	if (macText && !mac)
		errors.mac = t('MAC no válida: 12 cifras hexadecimales (p. ej. AA:BB:CC:DD:EE:FF)');
	if (!(EQUIPMENT_OWNERSHIPS as readonly string[]).includes(d.ownership))
		errors.ownership = t('Elija la propiedad');
	if (!(EQUIPMENT_STATES as readonly string[]).includes(d.state))
		errors.state = t('Elija el estado');
	const retiredOn = d.state === 'retirado' ? d.retiredOn : '';
	if (d.state === 'retirado' && !retiredOn) errors.retiredOn = t('Indique la fecha de retirada');
	if (retiredOn && d.installedOn && retiredOn < d.installedOn)
		errors.retiredOn = t('La retirada no puede ser anterior a la instalación');
	const custom: Record<string, CustomValue> = {};
	for (const f of fields) {
		const parsed = fromInput(f, d[customKey(f.id)] ?? '', stored?.custom?.[f.id]);
		if ('error' in parsed) errors[customKey(f.id)] = parsed.error;
		else if (parsed.value !== null) custom[f.id] = parsed.value;
	}
	if (Object.keys(errors).length) return { errors };
	const text = (v: string) => v.trim() || undefined;
	return {
		row: {
			productId: d.productId,
			serial: text(d.serial),
			mac,
			ownership: d.ownership,
			state: d.state,
			installedOn: d.installedOn || undefined,
			retiredOn: retiredOn || undefined,
			technicianId: d.technicianId || undefined,
			addressId: d.addressId || undefined,
			locationNotes: text(d.locationNotes),
			lat: d.lat === '' ? undefined : d.lat,
			lng: d.lng === '' ? undefined : d.lng,
			gpsAccuracy: d.gpsAccuracy === '' ? undefined : Math.round(d.gpsAccuracy),
			custom: Object.keys(custom).length ? custom : undefined
		}
	};
}

/** How a device is named in lists and in a baja's plan: the model, then its serial or MAC. */
export function deviceName(
	e: Pick<Equipment, 'productId' | 'serial' | 'mac'>,
	products: ReadonlyMap<string, Pick<EquipmentProduct, 'name'>>
): string {
	const model = products.get(e.productId)?.name ?? t('Equipo');
	const id = e.serial ? `${t('S/N')} ${e.serial}` : e.mac ? `MAC ${e.mac}` : '';
	return id ? `${model} · ${id}` : model;
}

/**
 * A scanned product barcode or code → the catalogue's product, by barcode first. Undefined when
 * no product has it (the catalogue is checked so that no value names two).
 */
export function productByCode(
	products: readonly EquipmentProduct[],
	code: string
): EquipmentProduct | undefined {
	const v = code.trim();
	return products.find((p) => p.barcode === v) ?? products.find((p) => p.code === v);
}
