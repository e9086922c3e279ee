import { describe, expect, it } from 'vitest';
import type { Document } from '../schemas/billing';
import type { Payment, Remittance } from '../schemas/payment';
import { AppError } from '../protocol/errors';
import { getMutator } from './index';
import { failure } from './memory-tx';
import { CREDITOR_IBAN, addCustomer, addInvoice, paymentTx } from './payment-fixtures';
import { planRemittance, remittanceXml } from './remittance';
import { outstandingCents } from './document';
import { parseOrThrow } from './types';
import { formatEuros } from '../domain/money';

let n = 0;
const newId = () => `cccccccc-cccc-4ccc-8ccc-${String(++n).padStart(12, '0')}`;

function setup() {
	const m = paymentTx();
	addCustomer(m, 'c1');
	addInvoice(m, 'd1', 'c1', 3630);
	const doc = (id: string) => m.table('document').get(id) as Document;
	const payments = () => [...m.table('payment').values()] as Payment[];
	const pay = (args: Record<string, unknown>) =>
		m.run('document.pay', { id: newId(), date: '2026-12-03', documentId: 'd1', ...args });
	/** As a technician's push: the role is the session's. */
	const asTechnician = async (name: string, args: unknown) => {
		const mut = getMutator(name);
		if (!mut.roles.includes('technician')) throw new AppError('forbidden', 'no');
		const tx = { ...m.tx, ctx: { ...m.tx.ctx, role: 'technician' as const } };
		await mut.apply(tx, parseOrThrow(mut.args, args));
	};
	return { ...m, doc, payments, pay, asTechnician };
}

describe('document.pay', () => {
	it('records partial then full payments and moves the state with them', async () => {
		const s = setup();
		const id = newId();
		await s.pay({ id, method: 'efectivo', amountCents: 1000 });
		expect(s.doc('d1')).toMatchObject({ state: 'cobrada-parcial', paidCents: 1000 });
		expect(s.table('payment').get(id)).toMatchObject({
			customerId: 'c1',
			documentId: 'd1',
			method: 'efectivo',
			amountCents: 1000,
			userName: 'U'
		});
		await s.pay({ id, method: 'efectivo', amountCents: 1000 }); // replayed: nothing twice
		expect(s.payments()).toHaveLength(1);
		await s.pay({ method: 'transferencia', amountCents: 2630 });
		expect(s.doc('d1').state).toBe('cobrada');
		expect(s.doc('d1').paidCents).toBeUndefined();
		expect(outstandingCents(s.doc('d1'))).toBe(0);
	});

	it('refuses with reasons: more than outstanding, paid, cancelled, a draft', async () => {
		const s = setup();
		expect(await failure(s.pay({ method: 'tarjeta', amountCents: 3631 }))).toEqual({
			code: 'invalid-field',
			field: 'amountCents',
			message: `El importe supera lo pendiente del documento: quedan ${formatEuros(3630)}`
		});
		expect(await failure(s.pay({ method: 'tarjeta', amountCents: 0 }))).toMatchObject({
			field: 'amountCents'
		});
		await s.pay({ method: 'tarjeta', amountCents: 3630 });
		expect(await failure(s.pay({ method: 'tarjeta', amountCents: 1 }))).toMatchObject({
			code: 'conflict',
			message: 'El documento ya está cobrado'
		});
		addInvoice(s, 'd2', 'c1', 500);
		s.table('document').set('d2', { ...s.doc('d2'), state: 'anulada' });
		expect(
			await failure(s.pay({ documentId: 'd2', method: 'efectivo', amountCents: 100 }))
		).toMatchObject({ message: 'El documento está anulado', field: 'documentId' });
		const { number: _n, totals: _t, issueDate: _i, ...draft } = s.doc('d2');
		s.table('document').set('d3', { ...draft, id: 'd3', state: 'borrador' });
		expect(
			await failure(s.pay({ documentId: 'd3', method: 'efectivo', amountCents: 100 }))
		).toMatchObject({ message: 'Un borrador no se paga: emítalo primero' });
		expect(s.payments()).toHaveLength(1);
	});

	it('a technician collects cash or card, never a transfer or the wallet', async () => {
		const s = setup();
		await s.asTechnician('document.pay', {
			id: newId(),
			documentId: 'd1',
			method: 'efectivo',
			amountCents: 3630,
			date: '2026-12-03'
		});
		expect(s.doc('d1').state).toBe('cobrada');
		addInvoice(s, 'd2', 'c1', 500);
		for (const method of ['transferencia', 'monedero']) {
			expect(
				await failure(
					s.asTechnician('document.pay', {
						id: newId(),
						documentId: 'd2',
						method,
						amountCents: 500,
						date: '2026-12-03'
					})
				)
			).toMatchObject({ code: 'forbidden', field: 'method' });
		}
		expect(await failure(s.asTechnician('payment.return', {}))).toMatchObject({
			code: 'forbidden'
		});
		expect(await failure(s.asTechnician('remittance.create', {}))).toMatchObject({
			code: 'forbidden'
		});
	});

	it('the Monedero is a payment too: the spend and the payment share the id', async () => {
		const s = setup();
		await s.run('walletEntry.create', {
			id: newId(),
			customerId: 'c1',
			concept: 'Ingreso',
			date: '2026-12-01',
			amountCents: 2000
		});
		const id = newId();
		await s.pay({ id, method: 'monedero', amountCents: 2000 });
		expect(s.table('walletEntry').get(id)).toMatchObject({ amountCents: -2000, documentId: 'd1' });
		expect(s.table('payment').get(id)).toMatchObject({ method: 'monedero', walletEntryId: id });
		expect(s.doc('d1')).toMatchObject({ state: 'cobrada-parcial', paidCents: 2000 });
		expect(await failure(s.pay({ method: 'monedero', amountCents: 100 }))).toMatchObject({
			code: 'insufficient-balance'
		});
	});
});

describe('remittance.create and payment.return', () => {
	const create = (s: ReturnType<typeof setup>, id = newId(), extra = {}) =>
		s
			.run('remittance.create', {
				id,
				scheme: 'CORE',
				dueUpTo: '2026-12-31',
				collectionDate: '2026-12-10',
				creditorIban: CREDITOR_IBAN,
				...extra
			})
			.then(() => s.table('remittance').get(id) as Remittance);

	function withCustomers() {
		const s = setup();
		addCustomer(s, 'c2', { typeId: 'paymentMethodType-transferencia' });
		addInvoice(s, 'd2', 'c2', 1000);
		addCustomer(s, 'c3', { mandateScheme: 'B2B' });
		addInvoice(s, 'd3', 'c3', 2000);
		addCustomer(s, 'c4', { mandateSignedAt: '2020-01-01' }); // lapsed: 36 months unused
		addInvoice(s, 'd4', 'c4', 4000);
		addInvoice(s, 'd5', 'c1', 1500, '2026-12-02');
		addInvoice(s, 'd6', 'c1', 999, '2027-01-02'); // after the due date
		addCustomer(s, 'c8', { iban: 'ES0012345678' }); // the file would refuse it
		addInvoice(s, 'd8', 'c8', 800);
		return s;
	}

	it('plans debits and exceptions; creates the remittance, payments and remesada invoices', async () => {
		const s = withCustomers();
		const plan = await planRemittance(s.tx, {
			dueUpTo: '2026-12-31',
			collectionDate: '2026-12-10',
			scheme: 'CORE'
		});
		expect(plan.debits.map((d) => [d.number, d.sequenceType, d.amountCents])).toEqual([
			['F2026-d1', 'FRST', 3630],
			['F2026-d5', 'RCUR', 1500]
		]);
		expect(plan.exceptions.map((e) => [e.documentId, e.reason])).toEqual([
			['d3', 'El mandato es B2B: va en una remesa B2B'],
			['d4', expect.stringContaining('El mandato ha caducado')],
			['d8', expect.stringMatching(/^cuenta del titular: /)]
		]);
		const r = await create(s);
		expect(r).toMatchObject({ count: 2, totalCents: 5130, scheme: 'CORE' });
		expect(r.creditor.creditorId).toMatch(/^ES\d\d000/);
		expect(r.excluded).toHaveLength(3);
		expect(s.doc('d1').state).toBe('remesada');
		expect(s.doc('d5').state).toBe('remesada');
		expect(s.doc('d2').state).toBe('emitida');
		const p = s.table('payment').get(`${r.id}-1`) as Payment;
		expect(p).toMatchObject({
			method: 'domiciliacion',
			sequenceType: 'FRST',
			mandateReference: 'MAND-c1',
			remittanceId: r.id,
			amountCents: 3630
		});
		const xml = remittanceXml(r);
		expect(xml).toContain('<SeqTp>FRST</SeqTp>');
		expect(xml).toContain('<MndtId>MAND-c1</MndtId>');
		expect(xml).toContain('<DtOfSgntr>2026-01-15</DtOfSgntr>');
		// Nothing left to remit; the remesada invoice is not collected again at the desk.
		expect(await failure(create(s))).toMatchObject({ code: 'conflict' });
		expect(await failure(s.pay({ method: 'efectivo', amountCents: 100 }))).toMatchObject({
			message: 'El documento está en una remesa: se cobra por domiciliación'
		});
		// Later invoices go as RCUR now that the mandate's FRST was presented.
		addInvoice(s, 'd7', 'c1', 700, '2026-12-20');
		const next = await planRemittance(s.tx, {
			dueUpTo: '2026-12-31',
			collectionDate: '2027-01-10',
			scheme: 'CORE'
		});
		expect(next.debits.map((d) => d.sequenceType)).toEqual(['RCUR']);
	});

	it('a returned FRST: the invoice is devuelta, the fee an albarán draft, the next debit FRST again', async () => {
		const s = setup();
		const r = await create(s);
		const paymentId = r.debits[0].paymentId;
		const feeDocumentId = newId();
		expect(
			await failure(s.run('payment.return', { id: paymentId, date: '2026-12-12', reason: 'XX01' }))
		).toMatchObject({ field: 'reason' });
		await s.run('payment.return', {
			id: paymentId,
			date: '2026-12-12',
			reason: 'AM04',
			feeCents: 250,
			feeDocumentId
		});
		expect(s.table('payment').get(paymentId)).toMatchObject({
			returned: { reason: 'AM04', feeCents: 250, feeDocumentId, date: '2026-12-12' }
		});
		expect(s.doc('d1').state).toBe('devuelta');
		expect(outstandingCents(s.doc('d1'))).toBe(3630);
		expect(s.doc(feeDocumentId)).toMatchObject({
			kind: 'albaran',
			state: 'borrador',
			customerId: 'c1',
			lines: [{ unitCents: 250, vatRate: 0, description: expect.stringContaining('AM04') }]
		});
		// Replayed: nothing twice; another reason for the same debit is refused.
		await s.run('payment.return', { id: paymentId, date: '2026-12-12', reason: 'AM04' });
		expect(
			await failure(s.run('payment.return', { id: paymentId, date: '2026-12-12', reason: 'MD01' }))
		).toMatchObject({ code: 'conflict' });
		const again = await create(s, newId(), { collectionDate: '2026-12-20' });
		expect(again.debits.map((d) => d.sequenceType)).toEqual(['FRST']);
		expect(s.doc('d1').state).toBe('remesada');
	});

	it('finalForBaja: a customer who left, with nothing else to collect, gets FNAL and the mandate closes', async () => {
		const s = setup();
		await create(s); // d1: the mandate's FRST
		const leave = (id: string) =>
			s
				.table('customer')
				.set(id, { ...s.table('customer').get(id)!, stateId: 'customerState-baja' });
		addInvoice(s, 'd2', 'c1', 1200, '2026-12-02');
		addInvoice(s, 'd3', 'c1', 800, '2026-12-03');
		addCustomer(s, 'c2'); // leaving too, but an invoice of theirs is still a draft
		addInvoice(s, 'd4', 'c2', 500);
		s.table('document').set('d5', { ...addInvoice(s, 'd5', 'c2', 100), state: 'borrador' });
		addCustomer(s, 'c3'); // stays: RCUR as ever
		addInvoice(s, 'd6', 'c3', 700);
		addInvoice(s, 'd7', 'c3', 700, '2026-12-02');
		for (const id of ['c1', 'c2']) leave(id);
		const opts = { dueUpTo: '2026-12-31', collectionDate: '2027-01-10', scheme: 'CORE' } as const;
		const seq = (p: Awaited<ReturnType<typeof planRemittance>>) =>
			p.debits.map((d) => `${d.documentId} ${d.sequenceType}`);
		// Off (the default): nothing is final.
		expect(seq(await planRemittance(s.tx, opts))).toEqual([
			'd4 FRST',
			'd6 FRST',
			'd2 RCUR',
			'd7 RCUR',
			'd3 RCUR'
		]);
		// On: only c1's last debit; c2 has a draft to collect, c3 stays.
		expect(seq(await planRemittance(s.tx, { ...opts, finalForBaja: true }))).toEqual([
			'd4 FRST',
			'd6 FRST',
			'd2 RCUR',
			'd7 RCUR',
			'd3 FNAL'
		]);
		const r = await create(s, newId(), { collectionDate: '2027-01-10', finalForBaja: true });
		expect(remittanceXml(r)).toContain('<SeqTp>FNAL</SeqTp>');
		expect(s.payments().find((p) => p.documentId === 'd3')?.sequenceType).toBe('FNAL');
		// The mandate takes nothing after its FNAL: a later invoice is an exception, with the reason.
		addInvoice(s, 'd8', 'c1', 300, '2027-01-15');
		const after = await planRemittance(s.tx, {
			...opts,
			dueUpTo: '2027-01-31',
			collectionDate: '2027-02-10'
		});
		expect(after.exceptions.map((e) => [e.documentId, e.reason])).toEqual([
			['d8', 'El mandato ya tuvo su último adeudo (FNAL)']
		]);
	});

	it('a partly paid invoice is remitted for the rest, and returned to what was paid', async () => {
		const s = setup();
		await s.pay({ method: 'efectivo', amountCents: 630 });
		const r = await create(s);
		expect(r.debits[0].amountCents).toBe(3000);
		await s.run('payment.return', {
			id: r.debits[0].paymentId,
			date: '2026-12-12',
			reason: 'MS02'
		});
		expect(s.doc('d1')).toMatchObject({ state: 'devuelta', paidCents: 630 });
		expect(outstandingCents(s.doc('d1'))).toBe(3000);
		// Only debits are returned.
		const cash = s.payments().find((p) => p.method === 'efectivo')!;
		expect(
			await failure(s.run('payment.return', { id: cash.id, date: '2026-12-12', reason: 'MS02' }))
		).toMatchObject({ code: 'conflict' });
	});

	it('refuses without a creditor identifier, with a bad IBAN, or a past collection date', async () => {
		const s = setup();
		expect(await failure(create(s, newId(), { creditorIban: 'ES00123' }))).toMatchObject({
			field: 'creditorIban'
		});
		expect(await failure(create(s, newId(), { collectionDate: '2026-12-01' }))).toMatchObject({
			field: 'collectionDate'
		});
		const company = s.table('companyProfile').get('empresa')!;
		delete company.sepaCreditorId;
		expect(await failure(create(s))).toMatchObject({
			message: 'Falta el identificador de acreedor SEPA en Configuración › Empresa'
		});
	});
});
