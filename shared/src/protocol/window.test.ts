import { describe, expect, it } from 'vitest';
import type { Document } from '../schemas/billing';
import { ALWAYS_HELD, WINDOWED_ENTITIES, isOpenDocument, isWindowed, windowTime } from './window';

const issued: Document = {
	id: 'd1',
	customerId: 'c1',
	kind: 'factura',
	state: 'emitida',
	date: '2025-01-10',
	issueDate: '2025-01-11',
	number: 'F2025-0001',
	lines: [{ description: 'Fibra', quantity: 1, unitCents: 1000, vatRate: 21 }],
	totals: { vat: [], baseCents: 1000, vatCents: 210, totalCents: 1210 },
	createdAt: '2025-01-10T09:00:00.000Z',
	updatedAt: '2025-03-01T09:00:00.000Z'
};
const time = (d: Partial<Document>) => windowTime('document', { ...issued, ...d });

describe('windowed entities', () => {
	it('are Historial, router jobs, documents, VeriFactu records and mail; nothing else ages', () => {
		expect(WINDOWED_ENTITIES).toEqual([
			'history',
			'routerJob',
			'document',
			'verifactuRecord',
			'mailMessage'
		]);
		expect(isWindowed('customer')).toBe(false);
		expect(windowTime('customer', { id: 'c1' })).toBeNull();
	});

	it('hold open documents whatever their age: drafts, pending their number, money outstanding', () => {
		expect(time({ state: 'borrador', number: undefined, totals: undefined })).toBe(ALWAYS_HELD);
		expect(time({ state: 'borrador', issueRequested: true })).toBe(ALWAYS_HELD);
		expect(time({})).toBe(ALWAYS_HELD);
		expect(time({ state: 'devuelta' })).toBe(ALWAYS_HELD);
		expect(time({ state: 'cobrada-parcial', paidCents: 1000 })).toBe(ALWAYS_HELD);
		expect(time({ kind: 'albaran' })).toBe(ALWAYS_HELD);
	});

	it('age settled documents from their last change, not their date', () => {
		for (const d of [
			{ state: 'cobrada' },
			{ state: 'cobrada-parcial', paidCents: 1210 },
			{ state: 'anulada' },
			// An offer is no debt; an albarán turned into an invoice leaves the debt to it.
			{ kind: 'presupuesto' },
			{ kind: 'albaran', convertedToId: 'd2' },
			// A credit by differences: nothing to collect.
			{
				kind: 'rectificativa',
				totals: { vat: [], baseCents: -1000, vatCents: -210, totalCents: -1210 }
			}
		] as Partial<Document>[]) {
			expect(isOpenDocument({ ...issued, ...d })).toBe(false);
			expect(time(d)).toBe('2025-03-01T09:00:00.000Z');
		}
		expect(time({ state: 'cobrada', updatedAt: undefined })).toBe('2025-01-11');
		expect(time({ state: 'anulada', updatedAt: undefined, issueDate: undefined })).toBe(
			'2025-01-10'
		);
	});

	it('hold a VeriFactu record until it is sent, and a router job until it ends', () => {
		expect(windowTime('verifactuRecord', { state: 'pendiente', createdAt: 'x' })).toBe(ALWAYS_HELD);
		expect(windowTime('verifactuRecord', { state: 'enviado', createdAt: '2025-01-01' })).toBe(
			'2025-01-01'
		);
		expect(windowTime('routerJob', { state: 'running', createdAt: '2025-01-01' })).toBe(
			ALWAYS_HELD
		);
		// A job that waited for its router counts from when it ended.
		expect(
			windowTime('routerJob', { state: 'done', createdAt: '2025-01-01', updatedAt: '2025-02-01' })
		).toBe('2025-02-01');
	});
});
