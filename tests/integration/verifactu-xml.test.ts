// The XML of every kind of record the mutators make (F1, F2, R by substitution and by
// differences, exempt lines, a foreign recipient, an anulación), validated with xmllint against the
// AEAT's own schemas; and a file of 1,000 records, the most one may hold.
import { describe, expect, it } from 'vitest';
import { MAX_RECORDS_PER_FILE, checkChain, makeCif, makeNif, verifactuXml } from '@enlace/shared';
import { billingTx } from '../../shared/src/mutators/billing-fixtures';
import { xmllintErrors } from '../support/money';

const NIF = makeCif(1357913);

function setup() {
	const m = billingTx(NIF);
	m.table('customer').set('c1', {
		id: 'c1',
		name: 'Lucía & Cía <SL>',
		taxIdType: 'nif',
		taxId: makeNif(7)
	});
	m.table('customer').set('c2', {
		id: 'c2',
		name: 'John Smith',
		taxIdType: 'passport',
		taxId: 'X1234567'
	});
	return m;
}

const line = (o: Record<string, unknown> = {}) => ({
	description: 'Fibra 300',
	quantity: 1,
	unitCents: 3000,
	vatRate: 21,
	...o
});

async function issue(m: ReturnType<typeof setup>, id: string, o: Record<string, unknown> = {}) {
	await m.run('document.create', {
		id,
		customerId: 'c1',
		kind: 'factura',
		state: 'borrador',
		date: '2026-12-03',
		lines: [line()],
		...o
	});
	await m.run('document.issue', { id });
}

const records = (m: ReturnType<typeof setup>) => m.records();
const SI = { version: '0.1.0', installation: 'test' };

describe('VeriFactu XML', () => {
	it('every kind of record validates against SuministroLR.xsd', async () => {
		const m = setup();
		await issue(m, 'f1', {
			lines: [
				line(),
				line({ description: 'Libro', vatRate: 4, unitCents: 1999 }),
				line({ description: 'Formación', vatRate: 0, exemptReason: 'E1' }),
				line({ description: 'Descuento', quantity: 2, discountPercent: 12.5 })
			]
		});
		await issue(m, 'f2', { kind: 'simplificada', customerId: 'c2' });
		await issue(m, 'f3', { customerId: 'c2' });
		await m.run('document.rectify', {
			id: 'r1',
			originalId: 'f1',
			method: 'I',
			type: 'R1',
			date: '2026-12-03'
		});
		await m.run('document.issue', { id: 'r1' });
		await m.run('document.rectify', {
			id: 'r2',
			originalId: 'f2',
			method: 'S',
			type: 'R5',
			date: '2026-12-03'
		});
		await m.run('document.issue', { id: 'r2' });
		await m.run('document.cancel', { id: 'f3' });
		const recs = records(m);
		expect(recs).toHaveLength(6);
		expect(checkChain(recs).ok).toBe(true);
		const xml = verifactuXml({ name: 'Redes del Valle SL', nif: NIF }, recs, SI);
		expect(xml).toContain('Lucía &amp; Cía &lt;SL&gt;');
		expect(xml).toContain('<sf:IDType>03</sf:IDType>');
		expect(xml).toContain('<sf:OperacionExenta>E1</sf:OperacionExenta>');
		expect(xml).toContain('<sf:TipoRectificativa>I</sf:TipoRectificativa>');
		// A substitution names the base and VAT it replaces (those of f2), an amount by differences not.
		const f2 = m.table('document').get('f2') as { totals: { baseCents: number; vatCents: number } };
		expect(recs.find((r) => r.documentId === 'r2')?.importeRectificacion).toEqual({
			baseRectificada: (f2.totals.baseCents / 100).toFixed(2),
			cuotaRectificada: (f2.totals.vatCents / 100).toFixed(2)
		});
		expect(recs.find((r) => r.documentId === 'r1')?.importeRectificacion).toBeUndefined();
		expect(xml.match(/<sf:ImporteRectificacion>/g)).toHaveLength(1);
		expect(xmllintErrors(xml)).toBe('');
	});

	it('a file holds at most 1,000 records, and 1,000 validate', async () => {
		const m = setup();
		for (let i = 0; i < 250; i++) await issue(m, `d${i}`);
		const base = records(m).sort((a, b) => a.position - b.position);
		const many = Array.from({ length: MAX_RECORDS_PER_FILE }, (_, i) => ({
			...base[i % base.length],
			position: i + 1
		}));
		expect(xmllintErrors(verifactuXml({ name: 'X', nif: NIF }, many, SI))).toBe('');
		expect(() => verifactuXml({ name: 'X', nif: NIF }, [...many, base[0]], SI)).toThrow(/1000/);
	});
});
