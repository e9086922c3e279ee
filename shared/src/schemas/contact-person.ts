import { z } from 'zod';
import { Id, IsoDateTime, OptionalEmail, Phone, text } from './common';

/** Persona de contacto: any number per customer. */
export const ContactPerson = z.object({
	id: Id,
	customerId: Id,
	name: z.string().trim().min(1, 'Indique el nombre').max(150, 'Máximo 150 caracteres'),
	roleId: text(64),
	phone: Phone,
	mobile: Phone,
	email: OptionalEmail,
	comment: text(1000),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type ContactPerson = z.infer<typeof ContactPerson>;
