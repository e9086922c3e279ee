import { describe, expect, it } from 'vitest';
import { PaymentMethod, PaymentMethodFields, PaymentTerms, paymentMethodIssues } from './finance';

const SEPA = {
	typeId: 'paymentMethodType-sepa',
	iban: 'ES9121000418450200051332',
	accountHolder: 'Lucía Fernández Soto',
	mandateReference: 'ENL-C00001-01',
	mandateSignedAt: '2026-01-15',
	mandateScheme: 'CORE',
	mandateType: 'recurrent'
};
const today = '2026-11-27';
const issues = (v: Record<string, unknown>, usesBank = true) =>
	paymentMethodIssues(v, { usesBank, today });
const fields = (v: Record<string, unknown>, usesBank = true) =>
	Object.fromEntries(issues(v, usesBank).map((i) => [i.field, i.code]));

describe('payment method: bank fields', () => {
	it('accepts a complete SEPA method, with the IBAN typed in groups', () => {
		expect(issues(SEPA)).toEqual([]);
		expect(
			issues({ ...SEPA, iban: 'es91 2100 0418 4502 0005 1332', bic: 'caix es bb xxx' })
		).toEqual([]);
	});

	it('refuses an IBAN with a wrong mod-97 check and one with wrong Spanish CCC digits', () => {
		expect(issues({ ...SEPA, iban: 'ES9221000418450200051332' })).toEqual([
			{
				field: 'iban',
				code: 'invalid-iban',
				message: 'Los dígitos de control del IBAN no son correctos'
			}
		]);
		// mod 97 passes, but the CCC's own control digits should be 40, not 45.
		expect(issues({ ...SEPA, iban: 'ES2121000418450200051331' })[0]).toEqual({
			field: 'iban',
			code: 'invalid-iban',
			message: 'Los dígitos de control de la cuenta (CCC) no son correctos'
		});
		expect(issues({ ...SEPA, iban: 'ES912100041845020005133' })[0].message).toBe(
			'El IBAN debe tener 24 caracteres en España'
		);
	});

	it('checks the BIC only when given', () => {
		expect(fields({ ...SEPA, bic: 'CAIXESBB' })).toEqual({});
		expect(fields({ ...SEPA, bic: 'CAIX1SBB' })).toEqual({ bic: 'invalid-bic' });
		expect(fields({ ...SEPA, bic: 'CAIXESB' })).toEqual({ bic: 'invalid-bic' });
	});

	it('checks the mandate reference: at most 35 SEPA characters, no // nor edge slashes', () => {
		expect(fields({ ...SEPA, mandateReference: 'A'.repeat(35) })).toEqual({});
		expect(issues({ ...SEPA, mandateReference: 'A'.repeat(36) })[0]).toEqual({
			field: 'mandateReference',
			code: 'invalid-mandate-reference',
			message: 'La referencia del mandato no puede tener más de 35 caracteres'
		});
		for (const bad of ['MANDATO-Ñ1', '/ABC', 'AB//C', 'ABC_1'])
			expect(fields({ ...SEPA, mandateReference: bad })).toEqual({
				mandateReference: 'invalid-mandate-reference'
			});
	});

	it('requires the account and the mandate when the type uses a bank, and reports all at once', () => {
		const found = issues({ typeId: 'paymentMethodType-sepa', bic: 'nope' });
		expect(found.map((i) => i.field).sort()).toEqual(
			[
				'bic',
				'iban',
				'accountHolder',
				'mandateReference',
				'mandateSignedAt',
				'mandateScheme',
				'mandateType'
			].sort()
		);
		expect(found.find((i) => i.field === 'iban')?.message).toBe('Introduzca el IBAN');
		// A cash payment needs none of it; empty inputs count as absent.
		expect(issues({ typeId: 'paymentMethodType-efectivo', iban: '', notes: '' }, false)).toEqual(
			[]
		);
	});

	it('refuses a future signature date and a scheme outside CORE/B2B', () => {
		expect(fields({ ...SEPA, mandateSignedAt: '2026-11-28' })).toEqual({});
		expect(fields({ ...SEPA, mandateSignedAt: '2026-11-30' })).toEqual({
			mandateSignedAt: 'invalid-field'
		});
		expect(fields({ ...SEPA, mandateSignedAt: '2026-02-30' })).toEqual({
			mandateSignedAt: 'invalid-field'
		});
		expect(fields({ ...SEPA, mandateScheme: 'COR1' })).toEqual({ mandateScheme: 'invalid-field' });
		expect(PaymentMethodFields.safeParse({ ...SEPA, typeId: '' }).success).toBe(false);
	});
});

describe('payment terms (Varios)', () => {
	it('bounds every field', () => {
		expect(
			PaymentTerms.safeParse({
				paymentDays: [5, 20],
				discountPercent: 12.5,
				vatExempt: true,
				creditLimit: 150_000
			}).success
		).toBe(true);
		for (const bad of [
			{ paymentDays: [0] },
			{ paymentDays: [32] },
			{ paymentDays: [5, 5] },
			{ paymentDays: [1, 2, 3, 4] },
			{ discountPercent: 100.5 },
			{ discountPercent: -1 },
			{ discountPercent: 1.234 },
			{ creditLimit: 10.5 },
			{ creditLimit: -1 }
		])
			expect(PaymentTerms.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
	});

	it('lives only on the default method, and VAT exempt excludes the surcharge', () => {
		const row = { id: 'p1', customerId: 'c1', typeId: 'x', isDefault: false, discountPercent: 5 };
		const r = PaymentMethod.safeParse(row);
		expect(r.success).toBe(false);
		expect(r.error?.issues[0].path).toEqual(['isDefault']);
		expect(PaymentMethod.safeParse({ ...row, isDefault: true }).success).toBe(true);
		const both = PaymentMethod.safeParse({
			...row,
			isDefault: true,
			vatExempt: true,
			equivalenceSurcharge: true
		});
		expect(both.error?.issues[0].path).toEqual(['equivalenceSurcharge']);
	});
});
