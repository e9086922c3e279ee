// Test and bench support (not exported from the package): customers with a payment method and
// issued invoices, written straight into the rows a remittance reads.
import { creditorIdentifierFromNif } from '../domain/sepa';
import { makeCif, makeNif } from '../domain/tax-id';
import type { Document } from '../schemas/billing';
import type { PaymentMethod } from '../schemas/finance';
import { DEFAULT_SETTINGS } from '../schemas/setting';
import { billingTx } from './billing-fixtures';

export const COMPANY_NIF = makeCif(7654321);
export const DEBTOR_IBAN = 'ES9121000418450200051332';
export const CREDITOR_IBAN = 'ES7921000813610123456789';

/** The billing rows, the default settings and the company's SEPA creditor identifier. */
export function paymentTx(now = '2026-12-03T10:00:00.000Z') {
	const m = billingTx(COMPANY_NIF, now);
	const company = m.table('companyProfile').get('empresa')!;
	const cid = creditorIdentifierFromNif(COMPANY_NIF);
	if (!cid.ok) throw new Error(cid.message);
	company.sepaCreditorId = cid.value;
	for (const s of DEFAULT_SETTINGS) m.table('setting').set(s.id, s);
	return m;
}

type Rows = ReturnType<typeof paymentTx>;

/** A customer paying by `type` (SEPA with a mandate by default). */
export function addCustomer(
	m: Rows,
	id: string,
	method: Partial<PaymentMethod> & { typeId?: string } = {}
) {
	m.table('customer').set(id, {
		id,
		code: id,
		name: `Cliente ${id}`,
		taxIdType: 'nif',
		taxId: makeNif(Number(id.replace(/\D/g, '')) || 1)
	});
	const typeId = method.typeId ?? 'paymentMethodType-sepa';
	const sepa = typeId === 'paymentMethodType-sepa';
	m.table('paymentMethod').set(`pm-${id}`, {
		id: `pm-${id}`,
		customerId: id,
		typeId,
		isDefault: true,
		...(sepa
			? {
					iban: DEBTOR_IBAN,
					accountHolder: `Titular ${id}`,
					mandateReference: `MAND-${id}`,
					mandateSignedAt: '2026-01-15',
					mandateScheme: 'CORE',
					mandateType: 'recurrent'
				}
			: {}),
		...method
	});
}

/** An issued invoice of `cents` (VAT included), as document.issue leaves it. */
export function addInvoice(
	m: Rows,
	id: string,
	customerId: string,
	cents: number,
	issueDate = '2026-12-01',
	number = `F2026-${id}`
) {
	const doc: Document = {
		id,
		customerId,
		kind: 'factura',
		state: 'emitida',
		date: issueDate,
		lines: [{ description: 'Fibra', quantity: 1, unitCents: cents, vatRate: 0 }],
		number,
		issueDate,
		recipient: { name: `Cliente ${customerId}` },
		totals: { vat: [], baseCents: cents, vatCents: 0, totalCents: cents }
	};
	m.table('document').set(id, doc);
	return doc;
}

export { CREDITOR_IBAN as creditorIban };
