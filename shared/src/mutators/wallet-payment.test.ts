import { describe, expect, it } from 'vitest';
import { makeCif, makeNif } from '../domain/tax-id';
import type { Document } from '../schemas/billing';
import { walletBalance, type WalletEntry } from '../schemas/wallet';
import { billingTx } from './billing-fixtures';
import { failure } from './memory-tx';

let n = 0;
const newId = () => `bbbbbbbb-bbbb-4bbb-8bbb-${String(++n).padStart(12, '0')}`;

/** A customer with 50,00 € in the wallet and an issued invoice of 36,30 €. */
async function setup() {
	const m = billingTx(makeCif(7654321));
	m.table('customer').set('c1', { id: 'c1', name: 'Lucía', taxIdType: 'nif', taxId: makeNif(1) });
	const draft = (id: string, kind: Document['kind'] = 'factura') =>
		m.run('document.create', {
			id,
			customerId: 'c1',
			kind,
			state: 'borrador',
			date: '2026-12-03',
			lines: [{ description: 'Fibra 300', quantity: 1, unitCents: 3000, vatRate: 21 }]
		});
	const issue = async (id: string, kind: Document['kind'] = 'factura') => {
		await draft(id, kind);
		await m.run('document.issue', { id });
	};
	await m.run('walletEntry.create', {
		id: newId(),
		customerId: 'c1',
		concept: 'Ingreso',
		date: '2026-12-01',
		amountCents: 5000
	});
	await issue('d1');
	const pay = (documentId: string, amountCents: number, id = newId()) =>
		m.run('document.payWithWallet', { id, documentId, amountCents, date: '2026-12-03' });
	const entries = () => [...m.table('walletEntry').values()] as WalletEntry[];
	const doc = (id: string) => m.table('document').get(id) as Document;
	return { ...m, draft, issue, pay, entries, doc, balance: () => walletBalance(entries()) };
}

describe('document.payWithWallet', () => {
	it('pays an invoice in full: the spend names and links it, the invoice is cobrada', async () => {
		const s = await setup();
		const id = newId();
		await s.pay('d1', 3630, id);
		expect(s.balance()).toBe(1370);
		expect(s.table('walletEntry').get(id)).toMatchObject({
			customerId: 'c1',
			concept: 'Pago factura F2026-0001',
			amountCents: -3630,
			documentId: 'd1',
			date: '2026-12-03',
			userName: 'U'
		});
		expect(s.doc('d1').state).toBe('cobrada');
		expect(s.doc('d1').paidCents).toBeUndefined();
		// Replayed: nothing twice.
		await s.pay('d1', 3630, id);
		expect(s.balance()).toBe(1370);
		expect(await failure(s.pay('d1', 1))).toMatchObject({
			field: 'amountCents',
			message: 'El documento ya está cobrado'
		});
	});

	it('pays in parts: cobrada-parcial with what is paid, then cobrada', async () => {
		const s = await setup();
		await s.pay('d1', 1000);
		expect(s.doc('d1')).toMatchObject({ state: 'cobrada-parcial', paidCents: 1000 });
		expect(await failure(s.pay('d1', 2631))).toEqual({
			code: 'invalid-field',
			field: 'amountCents',
			message: 'El importe supera lo pendiente del documento: quedan 26,30\u00a0€'
		});
		await s.pay('d1', 2630);
		expect(s.doc('d1').state).toBe('cobrada');
		expect(s.balance()).toBe(5000 - 3630);
	});

	it('pays an albarán and a simplified invoice, named as such', async () => {
		const s = await setup();
		await s.issue('a1', 'albaran');
		await s.pay('a1', 500);
		expect(s.entries().find((e) => e.documentId === 'a1')?.concept).toMatch(/^Pago albarán A/);
		expect(s.doc('a1')).toMatchObject({ state: 'cobrada-parcial', paidCents: 500 });
		await s.issue('s1', 'simplificada');
		await s.pay('s1', 3630);
		expect(s.doc('s1').state).toBe('cobrada');
	});

	it('refuses a spend above the balance with the wallet rule, touching nothing', async () => {
		const s = await setup();
		await s.issue('d2');
		await s.pay('d1', 3630);
		const before = s.doc('d2');
		expect(await failure(s.pay('d2', 3630))).toEqual({
			code: 'insufficient-balance',
			field: 'amountCents',
			message:
				'Saldo insuficiente en el monedero: hay 13,70\u00a0€ y el movimiento resta 36,30\u00a0€. El saldo no puede quedar por debajo de 0,00\u00a0€'
		});
		expect(s.doc('d2')).toEqual(before);
		expect(s.entries()).toHaveLength(2);
	});

	it('refuses drafts, pending, cancelled, quotes, rectifications, ≤ 0 and unknown documents', async () => {
		const s = await setup();
		await s.draft('b1');
		expect(await failure(s.pay('b1', 100))).toEqual({
			code: 'conflict',
			field: 'documentId',
			message: 'Un borrador no se paga: emítalo primero'
		});
		await s.issue('p1', 'presupuesto');
		expect(await failure(s.pay('p1', 100))).toMatchObject({
			field: 'documentId',
			message: 'Un presupuesto no se paga con el monedero'
		});
		await s.issue('d2');
		await s.run('document.cancel', { id: 'd2' });
		expect(await failure(s.pay('d2', 100))).toMatchObject({
			field: 'documentId',
			message: 'El documento está anulado'
		});
		await s.run('document.rectify', {
			id: 'r1',
			originalId: 'd1',
			method: 'S',
			type: 'R1',
			date: '2026-12-03'
		});
		await s.run('document.issue', { id: 'r1' });
		expect(await failure(s.pay('r1', 100))).toMatchObject({ field: 'documentId' });
		for (const amount of [0, -5, 1.5]) {
			expect(await failure(s.pay('d1', amount))).toMatchObject({
				code: 'invalid-field',
				field: 'amountCents'
			});
		}
		expect(await failure(s.pay('zz', 100))).toMatchObject({ code: 'not-found' });
		expect(s.entries()).toHaveLength(1);
		expect(s.doc('d1').state).toBe('emitida');
	});

	it('offline a pending invoice is not paid yet; a plain movement cannot claim a document', async () => {
		const s = await setup();
		(s.tx as { ctx: object }).ctx = { ...s.tx.ctx, server: false };
		await s.draft('d3');
		await s.run('document.issue', { id: 'd3' });
		expect(await failure(s.pay('d3', 100))).toMatchObject({
			field: 'documentId',
			message: 'El documento está pendiente de numerar: se paga cuando el servidor lo emita'
		});
		const row = {
			id: newId(),
			customerId: 'c1',
			concept: 'Pago factura F2026-0001',
			date: '2026-12-03',
			amountCents: -100,
			documentId: 'd1'
		};
		expect(await failure(s.run('walletEntry.create', row))).toMatchObject({
			field: 'documentId'
		});
	});

	it('technicians cannot pay', async () => {
		const { memoryTx } = await import('./memory-tx');
		const t = memoryTx('technician');
		expect(
			(
				await failure(
					t.run('document.payWithWallet', {
						id: newId(),
						documentId: 'd1',
						amountCents: 1,
						date: '2026-12-03'
					})
				)
			)?.code
		).toBe('forbidden');
	});
});
