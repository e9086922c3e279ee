import {
	COMPANY_PROFILE_ID,
	CompanyProfile,
	DEFAULT_SERIES,
	DOCUMENT_KINDS,
	type DocumentKind,
	type Series
} from '@enlace/shared';
import { checkWith, type RowCheck } from '../../../forms/validate';

/** Configuración › Empresa as typed: text fields, the series per document kind, VeriFactu. */
export type CompanyDraft = {
	legalName: string;
	tradeName: string;
	nif: string;
	street: string;
	postalCode: string;
	town: string;
	province: string;
	phone: string;
	email: string;
	sepaCreditorId: string;
	series: Record<DocumentKind, Series>;
	verifactu: boolean;
};

const OPTIONAL = ['tradeName', 'province', 'phone', 'email', 'sepaCreditorId'] as const;

export function companyDraft(row?: CompanyProfile): CompanyDraft {
	return {
		legalName: row?.legalName ?? '',
		tradeName: row?.tradeName ?? '',
		nif: row?.nif ?? '',
		street: row?.street ?? '',
		postalCode: row?.postalCode ?? '',
		town: row?.town ?? '',
		province: row?.province ?? '',
		phone: row?.phone ?? '',
		email: row?.email ?? '',
		sepaCreditorId: row?.sepaCreditorId ?? '',
		// Copied field by field: the stored row may be a Svelte state proxy, which structuredClone
		// cannot copy.
		series: Object.fromEntries(
			DOCUMENT_KINDS.map((k) => {
				const x = row?.series[k] ?? DEFAULT_SERIES[k];
				return [k, { prefix: x.prefix, yearly: x.yearly }];
			})
		) as Record<DocumentKind, Series>,
		// VeriFactu is on unless the company turned it off.
		verifactu: row?.verifactu ?? true
	};
}

/** The draft as the row to save (empty optional fields absent), or every error at once. */
export function companyRow(d: CompanyDraft): RowCheck<CompanyProfile> {
	const value: Record<string, unknown> = {
		...d,
		id: COMPANY_PROFILE_ID,
		series: Object.fromEntries(
			DOCUMENT_KINDS.map((k) => [
				k,
				{ prefix: d.series[k].prefix.trim(), yearly: d.series[k].yearly }
			])
		)
	};
	for (const k of OPTIONAL) if (!d[k].trim()) delete value[k];
	return checkWith(CompanyProfile, value);
}

/** What a failed Comprobar cadena says when the server cannot be reached. */
export const CHAIN_OFFLINE = 'Comprobar la cadena necesita conexión';
