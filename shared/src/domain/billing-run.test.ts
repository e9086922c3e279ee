import { describe, expect, it } from 'vitest';
import type { Contract, TariffAssignment } from '../schemas/contract';
import type { PaymentMethod } from '../schemas/finance';
import { billingRunItems, runSummary, type RunInput } from './billing-run';
import { runPeriod } from './previo';
import { assignment as baseAssignment, contract as baseContract, tariff } from './previo-fixtures';
import { sampleAssignment, samplePackage } from '../mutators/renewal-fixtures';

const SEPA = 'paymentMethodType-sepa';
const CASH = 'paymentMethodType-efectivo';

const contract = (id: string, customerId: string, over: Partial<Contract> = {}): Contract =>
	baseContract({
		id,
		customerId,
		name: `Contrato ${id}`,
		paymentMethodId: `pm-${customerId}`,
		...over
	});
const assignment = (
	id: string,
	contractId: string,
	customerId: string,
	over: Partial<TariffAssignment> = {}
): TariffAssignment => baseAssignment({ id, customerId, contractId, tariffId: 'fibra', ...over });
const cash = (customerId: string, over: Partial<PaymentMethod> = {}): PaymentMethod => ({
	id: `pm-${customerId}`,
	customerId,
	typeId: CASH,
	isDefault: true,
	...over
});
const sepa = (customerId: string, over: Partial<PaymentMethod> = {}): PaymentMethod =>
	cash(customerId, {
		typeId: SEPA,
		iban: 'ES9121000418450200051332',
		accountHolder: 'María García',
		mandateReference: 'MAND-1',
		mandateSignedAt: '2026-01-15',
		mandateScheme: 'CORE',
		mandateType: 'recurrent',
		...over
	});
const customer = (id: string, taxId = '12345678Z') => ({
	id,
	name: `Cliente ${id}`,
	code: id,
	taxId
});

const input = (over: Partial<RunInput> = {}): RunInput => ({
	month: '2026-04',
	issueDay: '2026-04-01',
	customers: [customer('c1')],
	contracts: [contract('k1', 'c1')],
	assignments: [assignment('a1', 'k1', 'c1')],
	tariffs: [tariff('fibra', 3000), tariff('tv', 1000)],
	paymentMethods: [cash('c1')],
	bankTypeIds: new Set([SEPA]),
	...over
});

describe('the period a run invoices', () => {
	it('in advance: the period starting on the month’s start day; in arrears: the one ending the day before', () => {
		expect(runPeriod({ billingFrequency: 'monthly' }, '2026-04')?.period).toMatchObject({
			start: '2026-04-01',
			end: '2026-04-30'
		});
		expect(
			runPeriod({ billingFrequency: 'monthly', billingMode: 'arrears' }, '2026-04')?.period
		).toMatchObject({ start: '2026-03-01', end: '2026-03-31' });
		expect(
			runPeriod({ billingFrequency: 'monthly', periodStartDay: 15 }, '2026-04')?.period
		).toMatchObject({ start: '2026-04-15', end: '2026-05-14' });
	});
	it('a quarterly contract is due only in the months its quarters start (or, in arrears, after they end)', () => {
		const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'];
		expect(months.filter((m) => runPeriod({ billingFrequency: 'quarterly' }, m))).toEqual([
			'2026-01',
			'2026-04',
			'2026-07'
		]);
		expect(
			months.filter((m) => runPeriod({ billingFrequency: 'quarterly', billingMode: 'arrears' }, m))
		).toEqual(['2026-01', '2026-04', '2026-07']);
		expect(
			runPeriod({ billingFrequency: 'quarterly', billingMode: 'arrears' }, '2026-04')?.period
		).toMatchObject({ start: '2026-01-01', end: '2026-03-31' });
	});
});

describe('the run’s invoices', () => {
	it('Fibra 30,00 € all April and TV 10,00 € from the 16th: 30,00 + 5,00, VAT 7,35, total 42,35 €', () => {
		const [item] = billingRunItems(
			input({
				assignments: [
					assignment('a1', 'k1', 'c1'),
					assignment('a2', 'k1', 'c1', { tariffId: 'tv', startDate: '2026-04-16' })
				]
			})
		);
		expect(item.lines).toEqual([
			{
				tariffId: 'fibra',
				description: 'Tarifa fibra (01/04/2026–30/04/2026)',
				quantity: 1,
				unitCents: 3000,
				vatRate: 21
			},
			{
				tariffId: 'tv',
				description: 'Tarifa tv (16/04/2026–30/04/2026)',
				quantity: 1,
				unitCents: 500,
				vatRate: 21
			}
		]);
		expect(item.totals).toMatchObject({ baseCents: 3500, vatCents: 735, totalCents: 4235 });
		expect(item).toMatchObject({ periodStart: '2026-04-01', periodEnd: '2026-04-30' });
		expect(item.exceptions).toEqual([]);
	});

	it('a quantity and a discount are folded into the amount and said in the description', () => {
		const [item] = billingRunItems(
			input({ assignments: [assignment('a1', 'k1', 'c1', { quantity: 2, discountPercent: 12.5 })] })
		);
		// 2 × 30,00 − 12,5 % = 52,50
		expect(item.lines[0]).toMatchObject({
			description: 'Tarifa fibra (01/04/2026–30/04/2026) × 2, dto. 12,5 %',
			unitCents: 5250
		});
	});

	it('contracts not due this month, without assignments or ended before the period give no invoice', () => {
		const items = billingRunItems(
			input({
				customers: [customer('c1'), customer('c2'), customer('c3')],
				contracts: [
					contract('k1', 'c1', { billingFrequency: 'quarterly' }),
					contract('k2', 'c2'),
					contract('k3', 'c3', { toDate: '2026-03-31' })
				],
				assignments: [
					assignment('a1', 'k1', 'c1', { startDate: '2026-05-01' }),
					assignment('a3', 'k3', 'c3')
				],
				paymentMethods: [cash('c1'), cash('c2'), cash('c3')]
			})
		);
		// k1: its quarter April–June is due, the tariff starts 1 May: 90,00 × 61 ÷ 91 days = 60,33.
		expect(items.map((i) => [i.contractId, i.totals.baseCents])).toEqual([['k1', 6033]]);
	});

	it('lists every exception: no payment method, debit without a valid mandate, zero amount, missing tax id', () => {
		const items = billingRunItems(
			input({
				customers: [
					customer('c1'),
					customer('c2'),
					customer('c3'),
					customer('c4', ''),
					customer('c5')
				],
				contracts: ['c1', 'c2', 'c3', 'c4', 'c5'].map((c) =>
					contract(`k${c.slice(1)}`, c, c === 'c1' ? { paymentMethodId: undefined } : {})
				),
				assignments: ['c1', 'c2', 'c3', 'c4', 'c5'].map((c) =>
					assignment(
						`a${c.slice(1)}`,
						`k${c.slice(1)}`,
						c,
						c === 'c3' ? { discountPercent: 100 } : {}
					)
				),
				paymentMethods: [
					// c1: its contract names no method and it has no default one.
					cash('c1', { id: 'other', isDefault: false }),
					sepa('c2', { mandateReference: undefined }),
					cash('c3'),
					cash('c4'),
					sepa('c5', { mandateSignedAt: '2026-04-20' })
				]
			})
		);
		expect(items.map((i) => [i.contractId, i.exceptions.map((e) => e.code)])).toEqual([
			['k1', ['no-payment-method']],
			['k2', ['no-mandate']],
			['k3', ['zero-amount']],
			['k4', ['no-tax-id']],
			// Signed after the issue day (more than the day of slack): not valid yet.
			['k5', ['no-mandate']]
		]);
		expect(items[0].exceptions[0].message).toBe('Sin forma de pago');
		expect(runSummary(items)).toMatchObject({
			invoices: 5,
			ready: 0,
			exceptions: 5,
			byException: { 'no-payment-method': 1, 'no-mandate': 2, 'zero-amount': 1, 'no-tax-id': 1 }
		});
	});

	it('a contract without its own method is paid with the customer’s default one; a valid SEPA mandate passes', () => {
		const items = billingRunItems(
			input({
				customers: [customer('c1'), customer('c2')],
				contracts: [contract('k1', 'c1', { paymentMethodId: undefined }), contract('k2', 'c2')],
				assignments: [assignment('a1', 'k1', 'c1'), assignment('a2', 'k2', 'c2')],
				paymentMethods: [cash('c1'), sepa('c2')]
			})
		);
		expect(items.map((i) => i.exceptions)).toEqual([[], []]);
		expect(runSummary(items)).toMatchObject({ invoices: 2, ready: 2, readyCents: 2 * 3630 });
	});

	it('renewals due in the month ride on the customer’s first open contract, and overdue ones too', () => {
		const items = billingRunItems(
			input({
				customers: [customer('c1'), customer('c2'), customer('c3')],
				contracts: [
					contract('k1', 'c1'),
					// c1's later contract does not take the renewal; c2's only contract has no tariff.
					contract('k0', 'c1', { fromDate: '2026-03-01' }),
					contract('k2', 'c2')
				],
				assignments: [assignment('a1', 'k1', 'c1')],
				paymentMethods: [cash('c1'), cash('c2'), cash('c3')],
				renewalPackages: [samplePackage()],
				renewalAssignments: [
					// Yearly, due 30 April (in the month).
					sampleAssignment({ id: 'r1', nextRenewal: '2026-04-30', startDate: '2025-04-30' }),
					// Due in March and never invoiced: overdue, still charged.
					sampleAssignment({
						id: 'r2',
						customerId: 'c2',
						nextRenewal: '2026-03-15',
						startDate: '2025-03-15'
					}),
					// Due next month: not yet.
					sampleAssignment({
						id: 'r3',
						customerId: 'c2',
						nextRenewal: '2026-05-01',
						startDate: '2025-05-01'
					}),
					// c3 has no contract: invoiced by hand from Renovaciones.
					sampleAssignment({
						id: 'r4',
						customerId: 'c3',
						nextRenewal: '2026-04-01',
						startDate: '2025-04-01'
					})
				]
			})
		);
		expect(
			items.map((i) => [i.contractId, i.lines.map((l) => l.renewal?.assignmentId ?? l.tariffId)])
		).toEqual([
			['k1', ['fibra', 'r1']],
			['k2', ['r2']]
		]);
		const k2 = items[1];
		expect(k2).toMatchObject({ periodStart: '2026-04-01', periodEnd: '2026-04-30' });
		expect(k2.lines[0]).toMatchObject({ unitCents: 10000, renewal: { from: '2026-03-15' } });
		expect(k2.totals).toMatchObject({ baseCents: 10000, vatCents: 2100, totalCents: 12100 });
	});
});
