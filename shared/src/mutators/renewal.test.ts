import { describe, expect, it } from 'vitest';
import { makeCif, makeNif } from '../domain/tax-id';
import { renewalLine } from '../domain/renewals';
import type { Document } from '../schemas/billing';
import type { RenewalAssignment } from '../schemas/renewal';
import { billingTx } from './billing-fixtures';
import { failure, memoryTx } from './memory-tx';
import { sampleAssignment, samplePackage } from './renewal-fixtures';

const PKG = samplePackage();
const ASG = sampleAssignment();

function setup(server = true) {
	const m = billingTx(makeCif(1234567));
	(m.tx as { ctx: object }).ctx = { ...m.tx.ctx, server };
	m.table('customer').set('c1', {
		id: 'c1',
		name: 'Lucía Pérez',
		taxIdType: 'nif',
		taxId: makeNif(1)
	});
	m.table('customer').set('c2', { id: 'c2', name: 'Otro', taxIdType: 'nif', taxId: makeNif(2) });
	const assignment = (id = 'a1') => m.table('renewalAssignment').get(id) as RenewalAssignment;
	const factura = (
		id: string,
		lines = [renewalLine(ASG, PKG, '2027-01-31')],
		kind: Document['kind'] = 'factura'
	): Document => ({
		id,
		customerId: 'c1',
		kind,
		state: 'borrador',
		date: '2026-12-03',
		lines
	});
	return { ...m, assignment, factura };
}

async function withAssignment(server = true) {
	const s = setup(server);
	await s.run('renewalPackage.create', PKG);
	await s.run('renewalAssignment.create', ASG);
	return s;
}

describe('renewal packages and assignments', () => {
	it('the office writes them; a technician cannot', async () => {
		const t = memoryTx('technician');
		expect(await failure(t.run('renewalPackage.create', PKG))).toMatchObject({ code: 'forbidden' });
		const s = await withAssignment();
		expect(s.assignment()).toMatchObject({
			nextRenewal: '2027-01-31',
			createdAt: expect.any(String)
		});
	});

	it('refuses a missing or inactive package, dates out of order, another customer', async () => {
		const s = setup();
		expect(await failure(s.run('renewalAssignment.create', ASG))).toMatchObject({
			field: 'packageId',
			message: 'El paquete no existe'
		});
		await s.run('renewalPackage.create', { ...PKG, active: false });
		expect(await failure(s.run('renewalAssignment.create', ASG))).toMatchObject({
			field: 'packageId',
			message: 'Ese paquete ya no se ofrece'
		});
		await s.run('renewalPackage.update', { id: 'p1', patch: { active: true } });
		expect(
			await failure(s.run('renewalAssignment.create', { ...ASG, nextRenewal: '2025-01-01' }))
		).toMatchObject({ field: 'nextRenewal' });
		expect(
			await failure(s.run('renewalAssignment.create', { ...ASG, customerId: 'nope' }))
		).toMatchObject({ field: 'customerId' });
		await s.run('renewalAssignment.create', ASG);
		// An inactive package stays on the assignments that have it.
		await s.run('renewalPackage.update', { id: 'p1', patch: { active: false } });
		await s.run('renewalAssignment.update', { id: 'a1', patch: { quantity: 2 } });
		expect(s.assignment().quantity).toBe(2);
	});

	it('a device cannot write what was invoiced', async () => {
		const s = await withAssignment();
		const forged = { documentId: 'd9', from: '2027-01-31', to: '2028-01-30' };
		expect(
			await failure(
				s.run('renewalAssignment.update', { id: 'a1', patch: { lastInvoiced: forged } })
			)
		).toMatchObject({ code: 'conflict', field: 'lastInvoiced' });
	});

	it('a package with assignments cannot be deleted', async () => {
		const s = await withAssignment();
		expect(await failure(s.run('renewalPackage.delete', { id: 'p1' }))).toMatchObject({
			code: 'in-use'
		});
		await s.run('renewalAssignment.delete', { id: 'a1' });
		await s.run('renewalPackage.delete', { id: 'p1' });
		expect(s.table('renewalPackage').size).toBe(0);
	});
});

describe('invoicing a renewal', () => {
	it('issuing the factura on the server moves the next renewal on by the period, once', async () => {
		const s = await withAssignment();
		await s.run('document.create', s.factura('d1'));
		expect(s.assignment().nextRenewal).toBe('2027-01-31');
		await s.run('document.issue', { id: 'd1' });
		expect(s.assignment()).toMatchObject({
			nextRenewal: '2028-01-31',
			lastInvoiced: { documentId: 'd1', number: 'F2026-0001', from: '2027-01-31', to: '2028-01-30' }
		});
		// A second factura charging the same renewal moves nothing.
		await s.run('document.create', s.factura('d2'));
		await s.run('document.issue', { id: 'd2' });
		expect(s.assignment()).toMatchObject({
			nextRenewal: '2028-01-31',
			lastInvoiced: { documentId: 'd1' }
		});
		// A replayed issue is refused and moves nothing.
		expect(await failure(s.run('document.issue', { id: 'd1' }))).toMatchObject({
			code: 'conflict'
		});
		expect(s.assignment().nextRenewal).toBe('2028-01-31');
	});

	it('a device only marks the factura pending: the server moves the renewal', async () => {
		const s = await withAssignment(false);
		await s.run('document.create', s.factura('d1'));
		await s.run('document.issue', { id: 'd1' });
		expect(s.assignment().nextRenewal).toBe('2027-01-31');
	});

	it('a presupuesto or an albarán issued, or a draft deleted, moves nothing', async () => {
		const s = await withAssignment();
		for (const [id, kind] of [
			['q1', 'presupuesto'],
			['a1', 'albaran']
		] as const) {
			await s.run('document.create', s.factura(id, undefined, kind));
			await s.run('document.issue', { id });
		}
		await s.run('document.create', s.factura('d1'));
		await s.run('document.delete', { id: 'd1' });
		expect(s.assignment().nextRenewal).toBe('2027-01-31');
		// The albarán converted into a factura keeps the renewal line: issuing it moves it.
		await s.run('document.convert', {
			id: 'f1',
			sourceId: 'a1',
			to: 'factura',
			date: '2026-12-03'
		});
		await s.run('document.issue', { id: 'f1' });
		expect(s.assignment().nextRenewal).toBe('2028-01-31');
	});

	it('two renewals on one factura move two periods; a line of another customer is refused', async () => {
		const s = await withAssignment();
		const lines = [renewalLine(ASG, PKG, '2027-01-31'), renewalLine(ASG, PKG, '2028-01-31')];
		await s.run('document.create', s.factura('d1', lines));
		await s.run('document.issue', { id: 'd1' });
		expect(s.assignment()).toMatchObject({
			nextRenewal: '2029-01-31',
			lastInvoiced: { from: '2027-01-31', to: '2029-01-30' }
		});
		await s.run('renewalAssignment.create', { ...ASG, id: 'a2', customerId: 'c2' });
		const foreign = renewalLine({ ...ASG, id: 'a2' }, PKG, '2027-01-31');
		expect(await failure(s.run('document.create', s.factura('d2', [foreign])))).toMatchObject({
			field: 'lines.0.renewal',
			message: 'Esa renovación no es de este cliente'
		});
		// The assignment deleted while a draft still charges it: a plain line, issuing skips it.
		await s.run('document.create', s.factura('d3'));
		await s.run('renewalAssignment.delete', { id: 'a1' });
		await s.run('document.update', { id: 'd3', patch: { notes: 'x' } });
		await s.run('document.issue', { id: 'd3' });
		expect(s.assignment()).toBeUndefined();
	});
});
