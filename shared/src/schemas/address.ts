import { z } from 'zod';
import { Id, IsoDateTime, text } from './common';

export const ADDRESS_LABELS = ['fiscal', 'servicio', 'envio', 'otra'] as const;
export const ADDRESS_LABEL_NAMES: Record<(typeof ADDRESS_LABELS)[number], string> = {
	fiscal: 'Fiscal',
	servicio: 'Servicio',
	envio: 'Envío',
	otra: 'Otra'
};

export const SPANISH_POSTAL_CODE = /^(0[1-9]|[1-4]\d|5[0-2])\d{3}$/;

export const AddressObject = z.object({
	id: Id,
	customerId: Id,
	label: z.enum(ADDRESS_LABELS),
	street: z.string().trim().min(1, 'Indique la dirección').max(200, 'Máximo 200 caracteres'),
	postalCode: text(12),
	town: text(100),
	province: text(100),
	country: z.string().length(2, 'Código de país de 2 letras').default('ES'),
	lat: z.number().min(-90).max(90).optional(),
	lng: z.number().min(-180).max(180).optional(),
	notes: text(500),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});

export function checkAddress(a: z.infer<typeof AddressObject>, ctx: z.RefinementCtx): void {
	if (a.country === 'ES' && a.postalCode && !SPANISH_POSTAL_CODE.test(a.postalCode)) {
		ctx.addIssue({
			code: 'custom',
			path: ['postalCode'],
			message: 'Código postal español no válido (5 dígitos, 01–52)',
			params: { code: 'invalid-postal-code' }
		});
	}
	if ((a.lat === undefined) !== (a.lng === undefined)) {
		ctx.addIssue({ code: 'custom', path: ['lat'], message: 'Faltan la latitud o la longitud' });
	}
}

export const Address = AddressObject.superRefine(checkAddress);
export type Address = z.infer<typeof Address>;
