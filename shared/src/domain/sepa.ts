// SEPA Direct Debit identifiers: the mandate reference (UMR) and the creditor identifier.
// See the EPC clarification paper on slashes in mandate references.

import { mod97 } from './iban';
import { isValidCif, isValidDni, isValidNie, normalizeTaxId } from './tax-id';

export type SepaResult = { ok: true; value: string } | { ok: false; message: string };

// SEPA Latin character set (EPC IGs): banks reject anything else in the XML.
const SEPA_CHARSET_RE = /^[A-Za-z0-9/\-?:().,'+ ]+$/;

const fail = (message: string): SepaResult => ({ ok: false, message });

export function validateMandateReference(raw: string): SepaResult {
	const v = raw.trim();
	if (v === '') return fail('Introduzca la referencia del mandato');
	if (v.length > 35) return fail('La referencia del mandato no puede tener más de 35 caracteres');
	if (!SEPA_CHARSET_RE.test(v)) {
		return fail(
			"La referencia del mandato solo puede contener letras sin acentos ni ñ, cifras, espacios y / - ? : ( ) . , ' +"
		);
	}
	// EPC rule for references and identifiers: no leading/trailing '/' and no '//'.
	if (v.startsWith('/') || v.endsWith('/')) {
		return fail('La referencia del mandato no puede empezar ni terminar por «/»');
	}
	if (v.includes('//')) return fail('La referencia del mandato no puede contener «//»');
	return { ok: true, value: v };
}

/**
 * Builds a SEPA creditor identifier: country + check digits + business code + national id.
 * The check digits (ISO 7064 MOD 97-10) cover national id + country + '00' and skip the
 * business code, so one creditor can use several business codes with the same digits.
 */
export function creditorIdentifier(
	countryCode: string,
	businessCode: string,
	nationalId: string
): string {
	const country = countryCode.trim().toUpperCase();
	const business = businessCode.trim().toUpperCase();
	const id = normalizeTaxId(nationalId);
	if (!/^[A-Z]{2}$/.test(country)) throw new Error(`Invalid country code: ${countryCode}`);
	if (!/^[A-Z0-9]{3}$/.test(business)) throw new Error(`Invalid business code: ${businessCode}`);
	if (!/^[A-Z0-9]{1,28}$/.test(id)) throw new Error(`Invalid national id: ${nationalId}`);
	const check = String(98 - mod97(id + country + '00')).padStart(2, '0');
	return country + check + business + id;
}

export function validateCreditorIdentifier(raw: string): SepaResult {
	const v = raw.toUpperCase().replace(/[\s-]/g, '');
	if (v === '') return fail('Introduzca el identificador de acreedor');
	if (!/^[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/.test(v)) {
		return fail(
			'El identificador de acreedor no es válido: país, 2 dígitos de control, 3 caracteres de sufijo y el NIF'
		);
	}
	const nationalId = v.slice(7);
	if (mod97(nationalId + v.slice(0, 4)) !== 1) {
		return fail('Los dígitos de control del identificador de acreedor no son correctos');
	}
	// Spain: the national id is the creditor's NIF (DNI, NIE or CIF).
	if (
		v.startsWith('ES') &&
		!(isValidDni(nationalId) || isValidNie(nationalId) || isValidCif(nationalId))
	) {
		return fail('El NIF del identificador de acreedor no es válido');
	}
	return { ok: true, value: v };
}

/**
 * A Spanish creditor identifier from the company's NIF and its 3-character business code
 * (sufijo, usually `000`), or why not: `ES` + check digits + suffix + NIF.
 */
export function creditorIdentifierFromNif(nif: string, suffix = '000'): SepaResult {
	const id = normalizeTaxId(nif);
	if (id === '') return fail('Introduzca el NIF de la empresa');
	if (!(isValidDni(id) || isValidNie(id) || isValidCif(id))) {
		return fail('El NIF de la empresa no es válido');
	}
	const business = suffix.trim().toUpperCase();
	if (!/^[A-Z0-9]{3}$/.test(business)) {
		return fail('El sufijo debe tener 3 letras o cifras (normalmente 000)');
	}
	return { ok: true, value: creditorIdentifier('ES', business, id) };
}
