import { z } from 'zod';
import { unknownPlaceholders } from '../domain/contract-template';
import { Id, IsoDate, IsoDateTime, requiredText, text } from './common';
import { Sha256Hex } from './file';

/** Configuración › Contratos: a contract template, its body with `{{placeholders}}`. */
export const ContractTemplateObject = z.object({
	id: Id,
	name: requiredText(120, 'Indique el nombre de la plantilla'),
	body: requiredText(20_000, 'Escriba el texto del contrato'),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});

/** A placeholder not in CONTRACT_PLACEHOLDERS is refused, named in the body's error. */
export const checkContractTemplate = (
	t: z.infer<typeof ContractTemplateObject>,
	ctx: z.RefinementCtx
) => {
	const unknown = unknownPlaceholders(t.body);
	if (unknown.length) {
		ctx.addIssue({
			code: 'custom',
			path: ['body'],
			message: `${unknown.length > 1 ? 'Marcadores desconocidos' : 'Marcador desconocido'}: ${unknown.map((u) => `{{${u}}}`).join(', ')}`
		});
	}
};
export const ContractTemplate = ContractTemplateObject.superRefine(checkContractTemplate);
export type ContractTemplate = z.infer<typeof ContractTemplate>;

export const SIGNED_CONTRACT_STATES = ['pendiente', 'firmado', 'anulado'] as const;
export type SignedContractState = (typeof SIGNED_CONTRACT_STATES)[number];
export const SIGNED_CONTRACT_STATE_LABELS: Record<SignedContractState, string> = {
	pendiente: 'Pendiente',
	firmado: 'Firmado',
	anulado: 'Anulado'
};

/** How the signed PDF was made: signed on the screen, an uploaded PDF, photos of the paper. */
export const SIGNED_HOW = ['pantalla', 'pdf', 'fotos'] as const;
export const SIGNED_HOW_LABELS: Record<(typeof SIGNED_HOW)[number], string> = {
	pantalla: 'Firmado en pantalla',
	pdf: 'PDF subido',
	fotos: 'Fotos del papel'
};

const Coordinate = (min: number, max: number) =>
	z
		.number('Coordenada no válida')
		.min(min, 'Coordenada no válida')
		.max(max, 'Coordenada no válida');

/**
 * A customer's contract (the Contratos tab): made from a template (its filled text is kept, so a
 * later edit of the template never changes it), linked to one of the customer's operator
 * contracts, and once signed linked to the signed PDF (a `file` row, its bytes uploaded by the
 * device's queue) whose SHA-256 it records.
 */
export const SignedContractObject = z.object({
	id: Id,
	customerId: Id,
	name: requiredText(200, 'Indique el nombre del contrato'),
	date: IsoDate,
	state: z.enum(SIGNED_CONTRACT_STATES, 'Estado no válido'),
	/** The linked Contrato Op. (a `contract` row of the same customer). */
	contractId: Id.optional(),
	templateId: Id.optional(),
	/** The template's text filled in when the contract was made. */
	body: text(40_000),
	/** The signed PDF (a `file` row of the same customer) and its SHA-256. */
	fileId: Id.optional(),
	sha256: Sha256Hex.optional(),
	signedHow: z.enum(SIGNED_HOW).optional(),
	signerName: text(200),
	signerTaxId: text(30),
	signedAt: IsoDateTime.optional(),
	lat: Coordinate(-90, 90).optional(),
	lng: Coordinate(-180, 180).optional(),
	notes: text(2000),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});

export const checkSignedContract = (
	c: z.infer<typeof SignedContractObject>,
	ctx: z.RefinementCtx
) => {
	if (c.state === 'firmado' && (!c.fileId || !c.sha256)) {
		ctx.addIssue({
			code: 'custom',
			path: ['state'],
			message: 'Un contrato firmado necesita su PDF firmado'
		});
	}
	if ((c.fileId === undefined) !== (c.sha256 === undefined)) {
		ctx.addIssue({ code: 'custom', path: ['sha256'], message: 'Falta la huella del PDF firmado' });
	}
};
export const SignedContract = SignedContractObject.superRefine(checkSignedContract);
export type SignedContract = z.infer<typeof SignedContract>;

export const SIGNED_CONTRACT_FIELD_LABELS: Record<string, string> = {
	date: 'Fecha',
	state: 'Estado',
	contractId: 'Contrato Op.',
	templateId: 'Plantilla',
	body: 'Texto del contrato',
	fileId: 'PDF firmado',
	sha256: 'SHA-256 del PDF firmado',
	signedHow: 'Forma de firma',
	signerName: 'Firmante',
	signerTaxId: 'NIF del firmante',
	signedAt: 'Firmado el',
	lat: 'Latitud',
	lng: 'Longitud'
};
