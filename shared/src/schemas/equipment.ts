import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, requiredText, text } from './common';
import { CustomFieldId, CustomValue } from './custom-field';
import { VAT_RATES } from './router/tariff';

/**
 * Equipamiento (docs/equipment.md): the device catalogue of Configuración › Equipos
 * (`equipmentProduct`, global) and the devices installed at a customer (`equipment`).
 */

/** A code or barcode as printed on the box: trimmed, no spaces inside, no control characters. */
const ProductCode = (what: string) =>
	z
		.string()
		.trim()
		.max(64, 'Máximo 64 caracteres')
		.regex(/^[\x21-\x7e]*$/, `${what}: solo letras, cifras y signos, sin espacios`);

export const EquipmentProduct = z.object({
	id: Id,
	/** The company's own code; unique across the catalogue's codes and barcodes. */
	code: ProductCode('El código').min(1, 'Indique el código'),
	/** The EAN / Code 128 / QR printed on the product; unique like the code. */
	barcode: ProductCode('El código de barras')
		.optional()
		.transform((v) => v || undefined),
	name: requiredText(120, 'Indique el nombre'),
	/** The manufacturer's reference (model). */
	reference: text(80),
	partNumber: text(80),
	/** Configuración › Parámetros › Familias de equipos. */
	familyId: z.string().max(64).optional(),
	vatRate: z.union(VAT_RATES.map((r) => z.literal(r))),
	priceCents: z.number().int('El precio va en céntimos').min(0).max(100_000_000),
	active: z.boolean(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type EquipmentProduct = z.infer<typeof EquipmentProduct>;

export const EQUIPMENT_OWNERSHIPS = ['vendido', 'alquilado', 'cedido'] as const;
export type EquipmentOwnership = (typeof EQUIPMENT_OWNERSHIPS)[number];
export const EQUIPMENT_OWNERSHIP_LABELS: Record<EquipmentOwnership, string> = {
	vendido: 'Vendido',
	alquilado: 'Alquilado',
	cedido: 'Cedido'
};

export const EQUIPMENT_STATES = ['instalado', 'retirado', 'averiado'] as const;
export type EquipmentState = (typeof EQUIPMENT_STATES)[number];
export const EQUIPMENT_STATE_LABELS: Record<EquipmentState, string> = {
	instalado: 'Instalado',
	retirado: 'Retirado',
	averiado: 'Averiado'
};

/**
 * A MAC address as stored: six pairs of upper-case hex digits joined by colons. Accepts what a
 * label or a scanner gives: `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff`, `AABBCCDDEEFF`, with spaces.
 * Undefined when the text is not one.
 */
export function normalizeMac(input: string): string | undefined {
	const hex = input.trim().replace(/[\s:.-]/g, '');
	if (!/^[0-9a-fA-F]{12}$/.test(hex)) return undefined;
	return hex.toUpperCase().match(/.{2}/g)!.join(':');
}

/** The MAC field: normalised, or refused with the reason on the field. */
export const Mac = z
	.string()
	.max(40, 'Máximo 40 caracteres')
	.transform((v, ctx) => {
		if (!v.trim()) return undefined;
		const mac = normalizeMac(v);
		if (!mac) {
			ctx.addIssue({
				code: 'custom',
				message: 'MAC no válida: 12 cifras hexadecimales (p. ej. AA:BB:CC:DD:EE:FF)',
				params: { code: 'invalid-mac' }
			});
			return z.NEVER;
		}
		return mac;
	})
	.optional();

/** The devices whose return the ISP expects when the customer leaves: not sold, still there. */
export const toRecover = (e: Pick<Equipment, 'ownership' | 'state'>) =>
	e.ownership !== 'vendido' && e.state === 'instalado';

export const EquipmentObject = z.object({
	id: Id,
	customerId: Id,
	productId: Id,
	serial: z
		.string()
		.trim()
		.max(80, 'Máximo 80 caracteres')
		.optional()
		.transform((v) => v || undefined),
	mac: Mac,
	ownership: z.enum(EQUIPMENT_OWNERSHIPS),
	state: z.enum(EQUIPMENT_STATES),
	installedOn: IsoDate.optional(),
	/** The day it was taken back (state `retirado`). */
	retiredOn: IsoDate.optional(),
	/** The user who installed it. */
	technicianId: z.string().max(64).optional(),
	/** One of the customer's addresses. */
	addressId: z.string().max(64).optional(),
	locationNotes: text(500),
	/** Where it is, from the phone's GPS (both or neither), and how sure (metres). */
	lat: z.number().min(-90).max(90).optional(),
	lng: z.number().min(-180).max(180).optional(),
	gpsAccuracy: z.number().min(0).max(100_000).optional(),
	/** Values of the custom fields for equipment (Configuración › Campos), by field id. */
	custom: z
		.record(CustomFieldId, CustomValue)
		.refine((v) => Object.keys(v).length <= 100, 'Como máximo 100 campos')
		.optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});

export function checkEquipment(e: z.infer<typeof EquipmentObject>, ctx: z.RefinementCtx): void {
	if ((e.lat === undefined) !== (e.lng === undefined)) {
		ctx.addIssue({ code: 'custom', path: ['lat'], message: 'Faltan la latitud o la longitud' });
	}
	if (e.retiredOn && e.installedOn && e.retiredOn < e.installedOn) {
		ctx.addIssue({
			code: 'custom',
			path: ['retiredOn'],
			message: 'La retirada no puede ser anterior a la instalación'
		});
	}
}

export const Equipment = EquipmentObject.superRefine(checkEquipment);
export type Equipment = z.infer<typeof Equipment>;

export const EQUIPMENT_FIELD_LABELS: Record<string, string> = {
	barcode: 'Código de barras',
	reference: 'Referencia',
	partNumber: 'Part number',
	familyId: 'Familia',
	productId: 'Producto',
	serial: 'Número de serie',
	mac: 'MAC',
	ownership: 'Propiedad',
	installedOn: 'Fecha de instalación',
	retiredOn: 'Fecha de retirada',
	technicianId: 'Técnico',
	addressId: 'Dirección',
	locationNotes: 'Ubicación',
	gpsAccuracy: 'Precisión GPS',
	custom: 'Campos personalizados'
};
