import { z } from 'zod';
import { normalizePhone } from '../domain/phone';

// Default messages in Spanish (the UI's first language), for the app's forms and the server alike.
z.config(z.locales.es());

/** Client-made UUIDs; the server never renumbers rows, only assigns codes and sequence numbers. */
export const Id = z
	.string()
	.min(1, 'Falta el identificador')
	.max(64, 'Identificador demasiado largo');

/** Optional free text, bounded so a hostile 1 MB string is refused before it reaches storage. */
export const text = (max: number) => z.string().max(max, `Máximo ${max} caracteres`).optional();

/** Required text, trimmed. */
export const requiredText = (max: number, message: string) =>
	z.string().trim().min(1, message).max(max, `Máximo ${max} caracteres`);

export const IsoDate = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'Fecha no válida (AAAA-MM-DD)')
	// Date.parse rolls 2026-02-30 over to March; a real date survives the round trip.
	.refine((s) => {
		const d = new Date(`${s}T00:00:00Z`);
		return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
	}, 'Fecha no válida');

export const IsoDateTime = z
	.string()
	.refine((s) => !Number.isNaN(Date.parse(s)), 'Fecha no válida');

// A deliberately simple address check: one @, a dot in the domain, no spaces.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Optional e-mail; '' means "none". The error carries the wire code `invalid-email`. */
export const OptionalEmail = z
	.string()
	.max(254, 'Máximo 254 caracteres')
	.optional()
	.superRefine((v, ctx) => {
		if (v && !EMAIL_RE.test(v.trim())) {
			ctx.addIssue({
				code: 'custom',
				message: 'El correo electrónico no es válido',
				params: { code: 'invalid-email' }
			});
		}
	});

/** Stored normalised (see normalizePhone): trimmed, single spaces, "+" for an international "00". */
export const Phone = z
	.string()
	.max(30, 'Máximo 30 caracteres')
	.regex(/^[+\d\s().-]*$/, 'El teléfono solo admite dígitos, espacios y + ( ) . -')
	.transform(normalizePhone)
	.optional();

/** Fields every synced row carries. */
export const RowMeta = {
	id: Id,
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
};
