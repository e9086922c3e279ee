import { z } from 'zod';
import { validateBic } from '../domain/bic';
import { validateIban } from '../domain/iban';
import { normalizeTaxId, validateTaxId } from '../domain/tax-id';
import { SPANISH_POSTAL_CODE } from './address';
import { Id, IsoDate, IsoDateTime, text } from './common';

/**
 * Sociedades (the customer file's Sociedades tab): companies that belong to a customer. General
 * fields are top-level (one Historial line per field); Mercantil, Fiscal and Financiera are nested
 * sections, each replaced whole by an update. The row is `finance` scope: Financiera holds bank
 * accounts.
 */

type SpanishId = 'nif' | 'nie' | 'cif';

const KIND_NAMES: Record<SpanishId, string> = { nif: 'NIF', nie: 'NIE', cif: 'CIF' };

/** Which Spanish document a number looks like: X/Y/Z start a NIE, digits or K/L/M a NIF. */
function guessKind(v: string): SpanishId {
	if (/^[XYZ]/.test(v)) return 'nie';
	if (/^[\dKLM]/.test(v)) return 'nif';
	return 'cif';
}

/** Validate a number that may be any of `kinds`, telling which kinds are accepted when not. */
export function checkSpanishId(
	raw: string,
	kinds: readonly SpanishId[]
): { ok: true; value: string } | { ok: false; message: string } {
	const n = normalizeTaxId(raw);
	const v = n.length === 11 && n.startsWith('ES') ? n.slice(2) : n;
	const kind = guessKind(v);
	if (!kinds.includes(kind)) {
		const names = kinds.map((k) => KIND_NAMES[k]).join(' o ');
		return { ok: false, message: `Indique un ${names} (parece un ${KIND_NAMES[kind]})` };
	}
	return validateTaxId(kind, v);
}

/** A normalised Spanish id; an invalid one carries the wire code `invalid-tax-id`. */
export const spanishId = (kinds: readonly SpanishId[]) =>
	z
		.string()
		.max(20, 'Máximo 20 caracteres')
		.transform((raw, ctx) => {
			const r = checkSpanishId(raw, kinds);
			if (r.ok) return r.value;
			ctx.addIssue({ code: 'custom', message: r.message, params: { code: 'invalid-tax-id' } });
			return z.NEVER;
		});

/** Money in integer cents: no fractions of a cent, no negatives, far below 2^53. */
export const Cents = z
	.number('Importe no válido')
	.int('El importe va en céntimos')
	.min(0, 'El importe no puede ser negativo')
	.max(1e15, 'Importe demasiado grande');

/** A percentage 0–100 with at most two decimals (33,33 %). */
export const Percent = z
	.number('Porcentaje no válido')
	.min(0, 'El porcentaje no puede ser negativo')
	.max(100, 'El porcentaje no puede pasar del 100 %')
	.refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'Como mucho dos decimales');

const requiredName = (message: string) =>
	z.string().trim().min(1, message).max(200, 'Máximo 200 caracteres');

export const Apoderado = z
	.strictObject({
		name: requiredName('Indique el nombre del apoderado'),
		nif: spanishId(['nif', 'nie']),
		powers: text(1000),
		from: IsoDate.optional(),
		to: IsoDate.optional()
	})
	.superRefine((a, ctx) => {
		if (a.from && a.to && a.to < a.from) {
			ctx.addIssue({
				code: 'custom',
				path: ['to'],
				message: 'La fecha final no puede ser anterior a la inicial'
			});
		}
	});
export type Apoderado = z.infer<typeof Apoderado>;

export const Socio = z.strictObject({
	name: requiredName('Indique el nombre del socio'),
	/** A person or a company may hold shares; optional for foreign holders without a Spanish id. */
	nif: spanishId(['nif', 'nie', 'cif']).optional(),
	sharePercent: Percent.refine((v) => v > 0, 'La participación debe ser mayor que 0')
});
export type Socio = z.infer<typeof Socio>;

/** Sum of shares in hundredths of a percent, so 33.33 + 33.33 + 33.34 is exactly 100. */
export const sharesTotal = (socios: readonly { sharePercent: number }[]) =>
	socios.reduce((sum, s) => sum + Math.round(s.sharePercent * 100), 0) / 100;

export const Mercantil = z
	.strictObject({
		registry: text(100),
		tomo: text(20),
		folio: text(20),
		hoja: text(30),
		inscripcion: text(30),
		apoderados: z.array(Apoderado).max(50, 'Máximo 50 apoderados').optional(),
		socios: z.array(Socio).max(100, 'Máximo 100 socios').optional()
	})
	.superRefine((m, ctx) => {
		const total = sharesTotal(m.socios ?? []);
		if (total > 100) {
			ctx.addIssue({
				code: 'custom',
				path: ['socios'],
				message: `Las participaciones de los socios suman ${total.toLocaleString('es-ES')} %: no pueden pasar del 100 %`,
				params: { code: 'invalid-shares-total' }
			});
		}
	});
export type Mercantil = z.infer<typeof Mercantil>;

export const VAT_REGIMES = [
	'general',
	'simplificado',
	'recargo',
	'reagp',
	'criterio-caja',
	'exento',
	'grupo'
] as const;
export const VAT_REGIME_LABELS: Record<(typeof VAT_REGIMES)[number], string> = {
	general: 'Régimen general',
	simplificado: 'Régimen simplificado',
	recargo: 'Recargo de equivalencia',
	reagp: 'Agricultura, ganadería y pesca (REAGP)',
	'criterio-caja': 'Criterio de caja',
	exento: 'Exento',
	grupo: 'Grupo de entidades'
};

export const CORPORATE_TAX_REGIMES = [
	'general',
	'reducida-dimension',
	'nueva-creacion',
	'cooperativa',
	'sin-fines-lucro',
	'no-sujeta'
] as const;
export const CORPORATE_TAX_REGIME_LABELS: Record<(typeof CORPORATE_TAX_REGIMES)[number], string> = {
	general: 'General',
	'reducida-dimension': 'Empresa de reducida dimensión',
	'nueva-creacion': 'Entidad de nueva creación',
	cooperativa: 'Cooperativa',
	'sin-fines-lucro': 'Entidad sin fines lucrativos',
	'no-sujeta': 'No sujeta (atribución de rentas)'
};

export const TAX_PERIODS = ['mensual', 'trimestral', 'anual'] as const;
export const TAX_PERIOD_LABELS: Record<(typeof TAX_PERIODS)[number], string> = {
	mensual: 'Mensual',
	trimestral: 'Trimestral',
	anual: 'Anual'
};

/** The AEAT forms a small company files most often, to suggest in the form. */
export const COMMON_MODELOS: Record<string, string> = {
	'111': 'Retenciones IRPF (trabajo y profesionales)',
	'115': 'Retenciones por alquileres',
	'123': 'Retenciones del capital mobiliario',
	'180': 'Resumen anual de alquileres',
	'190': 'Resumen anual de retenciones',
	'200': 'Impuesto sobre Sociedades',
	'202': 'Pagos fraccionados de Sociedades',
	'303': 'IVA trimestral',
	'347': 'Operaciones con terceros',
	'349': 'Operaciones intracomunitarias',
	'390': 'Resumen anual de IVA'
};

export const TaxObligation = z.strictObject({
	modelo: z.string().regex(/^\d{3}$/, 'El modelo tiene tres cifras (p. ej. 303)'),
	period: z.enum(TAX_PERIODS).optional(),
	notes: text(200)
});
export type TaxObligation = z.infer<typeof TaxObligation>;

export const Fiscal = z
	.strictObject({
		vatRegime: z.enum(VAT_REGIMES).optional(),
		irpfApplies: z.boolean().optional(),
		irpfPercent: Percent.optional(),
		corporateTaxRegime: z.enum(CORPORATE_TAX_REGIMES).optional(),
		corporateTaxRate: Percent.optional(),
		obligations: z.array(TaxObligation).max(60, 'Máximo 60 modelos').optional()
	})
	.superRefine((f, ctx) => {
		if (f.irpfApplies && f.irpfPercent === undefined) {
			ctx.addIssue({
				code: 'custom',
				path: ['irpfPercent'],
				message: 'Indique el porcentaje de retención'
			});
		}
		const seen = new Set<string>();
		(f.obligations ?? []).forEach((o, i) => {
			if (seen.has(o.modelo)) {
				ctx.addIssue({
					code: 'custom',
					path: ['obligations', i, 'modelo'],
					message: `El modelo ${o.modelo} ya está en la lista`
				});
			}
			seen.add(o.modelo);
		});
	});
export type Fiscal = z.infer<typeof Fiscal>;

export const CompanyBankAccount = z.strictObject({
	iban: z
		.string()
		.max(50, 'Máximo 50 caracteres')
		.transform((raw, ctx) => {
			const r = validateIban(raw);
			if (r.ok) return r.value;
			ctx.addIssue({ code: 'custom', message: r.message, params: { code: 'invalid-iban' } });
			return z.NEVER;
		}),
	bic: z
		.string()
		.max(20, 'Máximo 20 caracteres')
		.transform((raw, ctx) => {
			const r = validateBic(raw);
			if (r.ok) return r.value;
			ctx.addIssue({ code: 'custom', message: r.message, params: { code: 'invalid-bic' } });
			return z.NEVER;
		})
		.optional(),
	bankName: text(100),
	notes: text(200)
});
export type CompanyBankAccount = z.infer<typeof CompanyBankAccount>;

export const Financiera = z
	.strictObject({
		bankAccounts: z.array(CompanyBankAccount).max(20, 'Máximo 20 cuentas').optional(),
		turnoverCents: Cents.optional(),
		turnoverYear: z
			.number('Año no válido')
			.int('Año no válido')
			.min(1900, 'Año no válido')
			.max(2200, 'Año no válido')
			.optional(),
		employees: z
			.number('Número no válido')
			.int('Número entero de empleados')
			.min(0, 'No puede ser negativo')
			.max(10_000_000, 'Número demasiado grande')
			.optional(),
		notes: text(5000)
	})
	.superRefine((f, ctx) => {
		const seen = new Set<string>();
		(f.bankAccounts ?? []).forEach((b, i) => {
			if (seen.has(b.iban)) {
				ctx.addIssue({
					code: 'custom',
					path: ['bankAccounts', i, 'iban'],
					message: 'Esta cuenta ya está en la lista'
				});
			}
			seen.add(b.iban);
		});
	});
export type Financiera = z.infer<typeof Financiera>;

/** A company row: General fields at the top, the other three sections nested. */
export const Company = z.object({
	id: Id,
	customerId: Id,
	// General
	name: requiredName('Indique la razón social'),
	cif: spanishId(['cif']),
	address: text(200),
	postalCode: z
		.string()
		.regex(SPANISH_POSTAL_CODE, 'Código postal español no válido (5 dígitos, 01–52)')
		.optional(),
	town: text(100),
	province: text(100),
	incorporationDate: IsoDate.optional(),
	shareCapitalCents: Cents.optional(),
	// Sections
	mercantil: Mercantil.optional(),
	fiscal: Fiscal.optional(),
	financiera: Financiera.optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type Company = z.infer<typeof Company>;
export type CompanyInput = z.input<typeof Company>;

export const COMPANY_SECTIONS = ['mercantil', 'fiscal', 'financiera'] as const;
export type CompanySection = (typeof COMPANY_SECTIONS)[number];

/** Spanish labels, also of the sections' inner fields (Historial shows what changed inside). */
export const COMPANY_FIELD_LABELS: Record<string, string> = {
	cif: 'CIF',
	address: 'Domicilio',
	incorporationDate: 'Fecha de constitución',
	shareCapitalCents: 'Capital social',
	mercantil: 'Datos mercantiles',
	fiscal: 'Datos fiscales',
	financiera: 'Datos financieros',
	registry: 'Registro mercantil',
	tomo: 'Tomo',
	folio: 'Folio',
	hoja: 'Hoja',
	inscripcion: 'Inscripción',
	apoderados: 'Apoderados',
	socios: 'Socios',
	nif: 'NIF',
	powers: 'Poderes',
	from: 'Desde',
	to: 'Hasta',
	sharePercent: 'Participación',
	vatRegime: 'Régimen de IVA',
	irpfApplies: 'Aplica retención IRPF',
	irpfPercent: 'Retención IRPF',
	corporateTaxRegime: 'Régimen del Impuesto sobre Sociedades',
	corporateTaxRate: 'Tipo del Impuesto sobre Sociedades',
	obligations: 'Obligaciones fiscales',
	modelo: 'Modelo',
	period: 'Periodicidad',
	bankAccounts: 'Cuentas bancarias',
	iban: 'IBAN',
	bic: 'BIC',
	bankName: 'Banco',
	turnoverCents: 'Facturación',
	turnoverYear: 'Año de facturación',
	employees: 'Empleados'
};
