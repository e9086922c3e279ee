// docs/renewals.md: a factura charging a package's renewal, issued through push, moves the
// customer's next renewal on by the package's period in the same atomic write — once, on real
// libSQL (an embedded file and sqld with two servers racing).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewalLine, type RenewalAssignment, type RenewalPackage } from '@enlace/shared';
import {
	customerArgs,
	officeAndTechnician,
	pullAll,
	pushOne,
	startTestServer,
	startTwoServersOnSqld,
	type TestServer,
	type TwoServers
} from '../support/server';
import { companyProfile, invoiceDraft } from '../support/money';
import { pdfText, redPixels, renderPage } from '../support/pdf';
import { documentPdfFileName, renderDocumentPdf, renewalPdfInput } from '@enlace/shared/pdf/index';
import { CompanyProfile } from '@enlace/shared';

const pkg = (): RenewalPackage => ({
	id: randomUUID(),
	name: 'Dominio y hosting',
	items: ['Dominio .es', 'Hosting 10 GB'],
	priceCents: 12000,
	vatRate: 21,
	period: 'yearly',
	active: true
});

async function applied(s: TestServer, token: string, name: string, args: unknown) {
	const r = await pushOne(s.url, token, name, args);
	expect(r.body.results[0], name).toMatchObject({ status: 'applied' });
}

async function seed(s: TestServer) {
	await applied(s, s.adminToken, 'companyProfile.save', companyProfile());
	const customer = customerArgs();
	await applied(s, s.adminToken, 'customer.create', customer);
	const p = pkg();
	await applied(s, s.adminToken, 'renewalPackage.create', p);
	const a: RenewalAssignment = {
		id: randomUUID(),
		customerId: customer.id,
		packageId: p.id,
		startDate: '2026-01-31',
		priceCents: 10000,
		quantity: 2,
		nextRenewal: '2027-01-31'
	};
	await applied(s, s.adminToken, 'renewalAssignment.create', a);
	const factura = (kind = 'factura') =>
		invoiceDraft(customer.id, { kind, lines: [renewalLine(a, p, a.nextRenewal)] });
	return { customerId: customer.id, p, a, factura };
}

async function stored(s: TestServer, entity: string, id: string) {
	const r = await s.db.client.execute({
		sql: 'SELECT data FROM records WHERE entity = ? AND id = ? AND deleted = 0',
		args: [entity, id]
	});
	return r.rows.length ? JSON.parse(String(r.rows[0].data)) : undefined;
}

describe('renewals on one server (libSQL file)', () => {
	let s: TestServer;
	beforeAll(async () => {
		s = await startTestServer();
	});
	afterAll(async () => {
		await s?.close();
	});

	it('issuing the factura moves the next renewal on a year, once; a deleted draft moves nothing', async () => {
		const { a, factura } = await seed(s);
		const deleted = factura();
		await applied(s, s.adminToken, 'document.create', deleted);
		await applied(s, s.adminToken, 'document.delete', { id: deleted.id });
		const quote = factura('presupuesto');
		await applied(s, s.adminToken, 'document.create', quote);
		await applied(s, s.adminToken, 'document.issue', { id: quote.id });
		expect((await stored(s, 'renewalAssignment', a.id)).nextRenewal).toBe('2027-01-31');

		const f = factura();
		await applied(s, s.adminToken, 'document.create', f);
		await applied(s, s.adminToken, 'document.issue', { id: f.id });
		const doc = await stored(s, 'document', f.id);
		expect(doc.totals).toMatchObject({ baseCents: 20000, vatCents: 4200, totalCents: 24200 });
		expect(await stored(s, 'renewalAssignment', a.id)).toMatchObject({
			nextRenewal: '2028-01-31',
			lastInvoiced: { documentId: f.id, number: doc.number, from: '2027-01-31', to: '2028-01-30' }
		});
		// The same renewal on another factura, and the factura issued again: nothing moves.
		const again = factura();
		await applied(s, s.adminToken, 'document.create', again);
		await applied(s, s.adminToken, 'document.issue', { id: again.id });
		const replay = await pushOne(s.url, s.adminToken, 'document.issue', { id: f.id });
		expect(replay.body.results[0].status).toBe('rejected');
		expect(await stored(s, 'renewalAssignment', a.id)).toMatchObject({
			nextRenewal: '2028-01-31',
			lastInvoiced: { documentId: f.id }
		});
	});

	it('a technician receives the packages and assignments but cannot write them', async () => {
		const { a, p } = await seed(s);
		const { techToken } = await officeAndTechnician(s);
		const { changes } = await pullAll(s.url, techToken);
		const ids = new Set(changes.map((c) => `${c.entity}:${c.id}`));
		expect(ids.has(`renewalPackage:${p.id}`)).toBe(true);
		expect(ids.has(`renewalAssignment:${a.id}`)).toBe(true);
		const r = await pushOne(s.url, techToken, 'renewalAssignment.update', {
			id: a.id,
			patch: { quantity: 5 }
		});
		expect(r.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
		// A package with assignments cannot be deleted.
		const del = await pushOne(s.url, s.adminToken, 'renewalPackage.delete', { id: p.id });
		expect(del.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'in-use' } });
	});
});

describe('renewals on two servers sharing sqld', () => {
	let two: TwoServers;
	beforeAll(async () => {
		two = await startTwoServersOnSqld();
	});
	afterAll(async () => {
		await two?.close();
	});

	it('two facturas of the same renewal issued at once on two servers move it one period', async () => {
		const { a, factura } = await seed(two.a);
		const f1 = factura();
		const f2 = factura();
		await applied(two.a, two.a.adminToken, 'document.create', f1);
		await applied(two.a, two.a.adminToken, 'document.create', f2);
		const tokenB = await two.b.login('admin@enlace.test', 'admin-password-0001');
		const [r1, r2] = await Promise.all([
			pushOne(two.a.url, two.a.adminToken, 'document.issue', { id: f1.id }),
			pushOne(two.b.url, tokenB, 'document.issue', { id: f2.id })
		]);
		expect([r1.body.results[0].status, r2.body.results[0].status]).toEqual(['applied', 'applied']);
		const stored1 = await stored(two.a, 'renewalAssignment', a.id);
		expect(stored1.nextRenewal).toBe('2028-01-31');
		expect([f1.id, f2.id]).toContain(stored1.lastInvoiced.documentId);
	});
});

describe('the package as a PDF', () => {
	it('prints the package, its items, price, next renewal and total; not a draft, no number', async () => {
		const p = { ...pkg(), name: 'Dominio y hosting' };
		const input = renewalPdfInput({
			assignment: {
				id: 'a1',
				customerId: 'c1',
				packageId: p.id,
				startDate: '2026-01-31',
				priceCents: 10000,
				quantity: 2,
				nextRenewal: '2027-01-31',
				notes: 'Renovar antes de que caduque el dominio',
				lastInvoiced: {
					documentId: 'd1',
					number: 'F2026-0007',
					from: '2026-01-31',
					to: '2027-01-30'
				}
			},
			package: p,
			company: CompanyProfile.parse(companyProfile()),
			customer: { name: 'Lucía Pérez', code: '000123', address: 'C/ Sol 3, 28002 Madrid' }
		});
		const bytes = await renderDocumentPdf(input, { createdAt: new Date('2026-12-03T10:00:00Z') });
		expect(documentPdfFileName(input)).toBe('Paquete Dominio y hosting.pdf');
		const text = pdfText(bytes).replace(/\s+/g, ' ');
		for (const s of [
			'PAQUETE DOMINIO Y HOSTING',
			'Periodicidad: Anual',
			'Inicio: 31/01/2026',
			'Próxima renovación: 31/01/2027',
			'Última facturada: F2026-0007 (hasta el 30/01/2027)',
			'Dominio y hosting · anual, del 31/01/2027 al 30/01/2028',
			'· Dominio .es',
			'· Hosting 10 GB',
			'Lucía Pérez (000123)',
			'Redes del Valle SL',
			'242,00',
			'Renovar antes de que caduque el dominio'
		]) {
			expect(text).toContain(s);
		}
		expect(text).not.toContain('BORRADOR');
		expect(text).not.toContain('Pendiente de numerar');
		expect(redPixels(renderPage(bytes, 1, 50))).toBe(0);
	});
});
