import { describe, expect, it } from 'vitest';
import { makeCif, makeNif } from '../domain/tax-id';
import { creditorIdentifier } from '../domain/sepa';
import { checkChain } from '../domain/verifactu';
import { DEFAULT_SERIES, type Document } from '../schemas/billing';
import { billingTx } from './billing-fixtures';
import { failure, memoryTx } from './memory-tx';

const NIF = makeCif(1234567);

function setup(server = true, now = '2026-12-03T10:00:00.000Z') {
	const m = billingTx(NIF, now);
	(m.tx as { ctx: object }).ctx = { ...m.tx.ctx, server };
	m.table('customer').set('c1', {
		id: 'c1',
		name: 'Lucía Pérez',
		taxIdType: 'nif',
		taxId: makeNif(1)
	});
	m.table('customer').set('c2', { id: 'c2', name: 'Sin NIF', taxIdType: 'other', taxId: '' });
	const doc = (id: string, o: Partial<Document> = {}): Document => ({
		id,
		customerId: 'c1',
		kind: 'factura',
		state: 'borrador',
		date: '2026-12-03',
		lines: [{ description: 'Fibra 300', quantity: 1, unitCents: 3000, vatRate: 21 }],
		...o
	});
	const get = (id: string) => m.table('document').get(id) as Document;
	return { ...m, doc, get };
}

describe('documents', () => {
	it('issues correlative numbers with a chained alta record each', async () => {
		const s = setup();
		for (const id of ['d1', 'd2', 'd3']) {
			await s.run('document.create', s.doc(id));
			await s.run('document.issue', { id });
		}
		expect(['d1', 'd2', 'd3'].map((id) => s.get(id).number)).toEqual([
			'F2026-0001',
			'F2026-0002',
			'F2026-0003'
		]);
		const d1 = s.get('d1');
		expect(d1).toMatchObject({
			state: 'emitida',
			issueDate: '2026-12-03',
			issuer: { name: 'Redes del Valle SL', taxId: NIF },
			recipient: { name: 'Lucía Pérez' },
			totals: { baseCents: 3000, vatCents: 630, totalCents: 3630 },
			verifactuRecordId: 'vf-d1-alta'
		});
		const recs = s.records();
		expect(recs.map((r) => [r.position, r.numSerie, r.importeTotal])).toEqual([
			[1, 'F2026-0001', '36.30'],
			[2, 'F2026-0002', '36.30'],
			[3, 'F2026-0003', '36.30']
		]);
		expect(recs[0].previousHuella).toBe('');
		expect(recs[1].previousHuella).toBe(recs[0].huella);
		expect(recs[0].generatedAt).toBe('2026-12-03T11:00:00+01:00');
		const docs = new Map(['d1', 'd2', 'd3'].map((id) => [id, s.get(id)]));
		expect(checkChain(recs, docs)).toEqual({ ok: true, count: 3 });
	});

	it('offline, issuing only marks the draft pending; edits are refused from then on', async () => {
		const s = setup(false);
		await s.run('document.create', s.doc('d1'));
		await s.run('document.issue', { id: 'd1' });
		expect(s.get('d1')).toMatchObject({ state: 'borrador', issueRequested: true });
		expect(s.get('d1').number).toBeUndefined();
		expect(s.records()).toEqual([]);
		expect(
			await failure(s.run('document.update', { id: 'd1', patch: { notes: 'x' } }))
		).toMatchObject({ code: 'conflict' });
	});

	it('an issued document never changes; a device cannot forge a number', async () => {
		const s = setup();
		await s.run('document.create', s.doc('d1'));
		await s.run('document.issue', { id: 'd1' });
		expect(
			await failure(s.run('document.update', { id: 'd1', patch: { notes: 'x' } }))
		).toMatchObject({ code: 'conflict' });
		expect(await failure(s.run('document.delete', { id: 'd1' }))).toMatchObject({
			code: 'conflict'
		});
		expect(
			await failure(s.run('document.create', s.doc('d9', { number: 'F2026-0999' })))
		).toMatchObject({ code: 'conflict', field: 'number' });
		expect(
			await failure(s.run('document.create', s.doc('d8', { state: 'emitida' })))
		).toMatchObject({ code: 'conflict', field: 'state' });
	});

	it('cancelling an invoice writes the anulación record chained after the alta', async () => {
		const s = setup();
		await s.run('document.create', s.doc('d1'));
		await s.run('document.issue', { id: 'd1' });
		await s.run('document.cancel', { id: 'd1' });
		expect(s.get('d1')).toMatchObject({ state: 'anulada', cancelRecordId: 'vf-d1-anulacion' });
		const [alta, anul] = s.records().sort((a, b) => a.position - b.position);
		expect(anul).toMatchObject({ kind: 'anulacion', position: 2, numSerie: 'F2026-0001' });
		expect(anul.previousHuella).toBe(alta.huella);
		expect(checkChain(s.records()).ok).toBe(true);
	});

	it('converts presupuesto → albarán → factura, each once', async () => {
		const s = setup();
		await s.run('document.create', s.doc('p1', { kind: 'presupuesto' }));
		await s.run('document.convert', {
			id: 'a1',
			sourceId: 'p1',
			to: 'albaran',
			date: '2026-12-04'
		});
		await s.run('document.convert', {
			id: 'f1',
			sourceId: 'a1',
			to: 'factura',
			date: '2026-12-05'
		});
		expect(s.get('f1')).toMatchObject({ kind: 'factura', state: 'borrador', sourceId: 'a1' });
		expect(s.get('p1').convertedToId).toBe('a1');
		expect(
			await failure(
				s.run('document.convert', { id: 'a2', sourceId: 'p1', to: 'albaran', date: '2026-12-04' })
			)
		).toMatchObject({ code: 'conflict' });
		// Presupuestos and albaranes take their own series and make no record.
		await s.run('document.issue', { id: 'p1' });
		expect(s.get('p1').number).toBe('P2026-0001');
		expect(s.records()).toEqual([]);
	});

	it('a rectificativa by differences credits the original and names it in its record', async () => {
		const s = setup();
		await s.run('document.create', s.doc('d1'));
		await s.run('document.issue', { id: 'd1' });
		await s.run('document.rectify', {
			id: 'r1',
			originalId: 'd1',
			method: 'I',
			type: 'R4',
			date: '2026-12-03'
		});
		expect(s.get('r1').lines[0].quantity).toBe(-1);
		await s.run('document.issue', { id: 'r1' });
		expect(s.get('r1')).toMatchObject({ number: 'R2026-0001', totals: { totalCents: -3630 } });
		const rec = s.records().find((r) => r.documentId === 'r1')!;
		expect(rec).toMatchObject({
			tipoFactura: 'R4',
			tipoRectificativa: 'I',
			rectified: { numSerie: 'F2026-0001', fecha: '03-12-2026' },
			importeTotal: '-36.30'
		});
	});

	it('refuses to issue without company data, or a full invoice without the customer NIF', async () => {
		const s = setup();
		await s.run('document.create', s.doc('d1', { customerId: 'c2' }));
		expect(await failure(s.run('document.issue', { id: 'd1' }))).toMatchObject({
			code: 'conflict'
		});
		await s.run('document.create', s.doc('d2', { customerId: 'c2', kind: 'simplificada' }));
		await s.run('document.issue', { id: 'd2' });
		expect(s.get('d2').number).toBe('FS2026-0001');
		s.table('companyProfile').clear();
		await s.run('document.create', s.doc('d3'));
		expect((await failure(s.run('document.issue', { id: 'd3' })))?.message).toMatch(
			/datos de la empresa/
		);
	});

	it('with VeriFactu off, invoices are numbered without records', async () => {
		const s = setup();
		s.table('companyProfile').get('empresa')!.verifactu = false;
		await s.run('document.create', s.doc('d1'));
		await s.run('document.issue', { id: 'd1' });
		expect(s.get('d1').number).toBe('F2026-0001');
		expect(s.records()).toEqual([]);
	});

	it('the company profile: admin only, valid NIF, distinct prefixes', async () => {
		const s = setup();
		const profile = { ...s.table('companyProfile').get('empresa')! };
		expect(await failure(s.run('companyProfile.save', profile))).toMatchObject({
			code: 'forbidden'
		});
		const admin = memoryTx('admin');
		await admin.run('companyProfile.save', profile);
		expect(admin.table('companyProfile').get('empresa')).toMatchObject({ nif: NIF });
		expect(
			await failure(admin.run('companyProfile.save', { ...profile, nif: 'B12345678' }))
		).toMatchObject({ code: 'invalid-tax-id', field: 'nif' });
		expect(
			await failure(
				admin.run('companyProfile.save', {
					...profile,
					series: { ...DEFAULT_SERIES, albaran: { prefix: 'F', yearly: true } }
				})
			)
		).toMatchObject({ field: 'series.factura.prefix' });
		// The SEPA creditor identifier: check digits right, and the company's own NIF inside.
		const creditor = creditorIdentifier('ES', '000', NIF);
		await admin.run('companyProfile.save', { ...profile, sepaCreditorId: creditor });
		expect(
			await failure(
				admin.run('companyProfile.save', {
					...profile,
					sepaCreditorId: creditor.slice(0, 2) + '00' + creditor.slice(4)
				})
			)
		).toMatchObject({ field: 'sepaCreditorId' });
		const other = creditorIdentifier('ES', '000', makeCif(7654321));
		expect(
			await failure(admin.run('companyProfile.save', { ...profile, sepaCreditorId: other }))
		).toMatchObject({
			field: 'sepaCreditorId',
			message: 'El identificador de acreedor debe llevar el NIF de la empresa'
		});
	});
});
