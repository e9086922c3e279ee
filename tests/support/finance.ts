// Payment-method rows as the office types them, for the integration tests of finance rules.
import { randomUUID } from 'node:crypto';

export const IBAN = 'ES9121000418450200051332';
export const IBAN_2 = 'ES7921000813610123456789';
export const SEPA_TYPE = 'paymentMethodType-sepa';
export const CASH_TYPE = 'paymentMethodType-efectivo';

/** `paymentMethod.create` args of a SEPA direct debit with a signed mandate of its own. */
export const sepa = (customerId: string, extra: Record<string, unknown> = {}) => ({
	id: randomUUID(),
	customerId,
	typeId: SEPA_TYPE,
	iban: IBAN,
	accountHolder: 'María García López',
	mandateReference: `MAND-${randomUUID().slice(0, 8).toUpperCase()}`,
	mandateSignedAt: '2026-01-15',
	mandateScheme: 'CORE',
	mandateType: 'recurrent',
	...extra
});
