import type { Setting, TaxIdType } from '@enlace/shared';

/** The customer type a company gets: the settings list's "Empresa", if the office kept one. */
export function companyType(types: readonly Setting[]): Setting | undefined {
	const fold = (s: string) =>
		s
			.normalize('NFD')
			.replace(/\p{Diacritic}/gu, '')
			.trim()
			.toLowerCase();
	return (
		types.find((s) => s.id === 'customerType-empresa') ??
		types.find((s) => fold(s.name) === 'empresa')
	);
}

type Identity = { isCompany: boolean; taxIdType: TaxIdType; typeId: string };

/**
 * Ticking "Es empresa": the document becomes a CIF and the customer type the company type.
 * Unticking undoes only what ticking set, so a choice the user made by hand is never lost.
 */
export function withCompanyFlag(
	current: Identity,
	isCompany: boolean,
	types: readonly Setting[]
): Identity {
	const company = companyType(types);
	if (isCompany) {
		return {
			isCompany,
			taxIdType:
				current.taxIdType === 'nif' || current.taxIdType === 'nie' ? 'cif' : current.taxIdType,
			typeId:
				company && (!current.typeId || current.typeId === 'customerType-particular')
					? company.id
					: current.typeId
		};
	}
	return {
		isCompany,
		taxIdType: current.taxIdType === 'cif' ? 'nif' : current.taxIdType,
		typeId: company && current.typeId === company.id ? '' : current.typeId
	};
}
