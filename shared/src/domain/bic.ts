// BIC / SWIFT code (ISO 9362). Optional for SEPA debtors since Rulebook 7.0, but a malformed
// one still gets a remittance rejected, so validate whatever the user types.

export type BicResult = { ok: true; value: string } | { ok: false; message: string };

// Bank (4 letters) + country (2 letters) + location (2 alnum) + optional branch (3 alnum).
const BIC_RE = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

export function normalizeBic(raw: string): string {
	return raw.toUpperCase().replace(/[\s-]/g, '');
}

export function validateBic(raw: string): BicResult {
	const v = normalizeBic(raw);
	if (v === '') return { ok: false, message: 'Introduzca el BIC' };
	if (v.length !== 8 && v.length !== 11) {
		return { ok: false, message: 'El BIC debe tener 8 u 11 caracteres' };
	}
	if (!BIC_RE.test(v)) {
		return {
			ok: false,
			message:
				'El BIC no es válido: 4 letras del banco, 2 del país, 2 letras o cifras de la plaza y, opcionalmente, 3 de la oficina'
		};
	}
	return { ok: true, value: v };
}
