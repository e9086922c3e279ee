import {
	buildPain008,
	remittanceXml,
	type Remittance,
	type SepaDebit,
	type SepaRemittance
} from '@enlace/shared';
import {
	CREDITOR_IBAN,
	addCustomer,
	addInvoice,
	paymentTx
} from '@enlace/shared/mutators/payment-fixtures';
import { validatePain008 } from '../support/xmllint';
import type { Figures } from './report';

const DEBITS = Number(process.env.BENCH_SEPA_DEBITS ?? 50_000);

/** A month's remittance of a mid-size ISP: mostly RCUR, some new mandates (FRST), awkward names. */
function remittance(n: number): SepaRemittance {
	const names = ['José Núñez Peña', 'Güell & Hijos, S.A.', "O'Donnell «Ñandú»", 'Ana López'];
	const debits: SepaDebit[] = [];
	for (let i = 0; i < n; i++) {
		debits.push({
			endToEndId: `F26-${String(i + 1).padStart(6, '0')}`,
			amountCents: 1990 + (i % 50) * 100,
			mandateReference: `MND-C${String(i + 1).padStart(6, '0')}`,
			mandateSignedOn: '2024-05-31',
			debtorName: `${names[i % names.length]} ${i}`,
			debtorIban: 'ES7921000813610123456789',
			debtorBic: i % 3 ? undefined : 'CAIXESBBXXX',
			remittanceInfo: `Factura F26-${i + 1} cuota diciembre fibra 300 Mb`,
			sequenceType: i % 20 === 0 ? 'FRST' : 'RCUR',
			collectionDate: i % 2 ? '2026-12-05' : '2026-12-10'
		});
	}
	return {
		messageId: 'REM-20261203-BENCH',
		createdAt: '2026-12-03T09:30:00Z',
		scheme: 'CORE',
		creditor: {
			name: 'Fibra del Sur S.L.',
			iban: 'ES9121000418450200051332',
			creditorId: 'ES77000B85626240'
		},
		debits
	};
}

/**
 * The remittance as the office makes it: `n` customers paying by direct debit, each with an
 * issued invoice (19 of 20 with an earlier collection, so RCUR; the rest FRST), and
 * `remittance.create` run over those stored rows — the plan (sequence types, exceptions), the
 * payments and the invoices marked remesada, the stored remittance — then its file built from
 * the row as "Descargar XML" does. Rows in memory: the mutator's reads are what a device does.
 */
/**
 * The test store's `findBy` scans a whole table; Dexie and libSQL answer it from an index. The
 * bench gives it one (built on first use per entity and field, dropped when the entity is
 * written), so the figure is the mutator's work, not a scan per customer.
 */
function indexFindBy(m: ReturnType<typeof paymentTx>) {
	const indexes = new Map<string, Map<unknown, Record<string, unknown>[]>>();
	const { put } = m.tx;
	m.tx.put = async (entity, row, meta) => {
		for (const k of indexes.keys()) if (k.startsWith(`${entity}.`)) indexes.delete(k);
		await put(entity, row, meta);
	};
	m.tx.findBy = async (entity, field, value) => {
		const key = `${entity}.${field}`;
		let index = indexes.get(key);
		if (!index) {
			index = new Map();
			for (const row of m.table(entity).values()) {
				const list = index.get(row[field]) ?? index.set(row[field], []).get(row[field])!;
				list.push(row);
			}
			indexes.set(key, index);
		}
		return structuredClone(index.get(value) ?? []) as never;
	};
}

async function remittanceFromInvoices(n: number) {
	const m = paymentTx('2026-12-03T09:30:00.000Z');
	for (let i = 1; i <= n; i++) {
		addCustomer(m, `c${i}`);
		addInvoice(m, `d${i}`, `c${i}`, 1990 + (i % 50) * 100, '2026-12-01', `F26-${i}`);
		if (i % 20) {
			m.table('payment').set(`p${i}`, {
				id: `p${i}`,
				customerId: `c${i}`,
				documentId: `old${i}`,
				method: 'domiciliacion',
				amountCents: 1990,
				date: '2026-11-05',
				mandateReference: `MAND-c${i}`,
				sequenceType: 'FRST',
				collectionDate: '2026-11-05'
			});
		}
	}
	indexFindBy(m);
	const t0 = performance.now();
	await m.run('remittance.create', {
		id: 'bench',
		scheme: 'CORE',
		dueUpTo: '2026-12-31',
		collectionDate: '2026-12-10',
		creditorIban: CREDITOR_IBAN
	});
	const createMs = performance.now() - t0;
	const row = m.table('remittance').get('bench') as Remittance;
	const t1 = performance.now();
	const xml = remittanceXml(row);
	const fileMs = performance.now() - t1;
	return { row, xml, createMs, fileMs };
}

/**
 * A remittance of 50,000 debits made from stored invoices (remittance.create, then its file)
 * and validated with xmllint against the XSD; and the bare generator on ready-made debits,
 * against serialising the same data as JSON in the same process.
 */
export async function sepaBench(log: (s: string) => void): Promise<Figures> {
	const r = remittance(DEBITS);
	const t0 = performance.now();
	const json = JSON.stringify(r);
	const jsonMs = performance.now() - t0;
	const t1 = performance.now();
	const { xml, batches } = buildPain008(r);
	const buildMs = performance.now() - t1;
	const t2 = performance.now();
	const valid = validatePain008(xml);
	const validateMs = performance.now() - t2;
	if (!valid.ok) throw new Error(`the bench remittance does not validate: ${valid.output}`);
	const made = await remittanceFromInvoices(DEBITS);
	if (made.row.count !== DEBITS) throw new Error(`${made.row.count} debits, ${DEBITS} expected`);
	const t3 = performance.now();
	const madeValid = validatePain008(made.xml);
	const madeValidateMs = performance.now() - t3;
	if (!madeValid.ok)
		throw new Error(`the stored remittance does not validate: ${madeValid.output}`);
	const total = made.createMs + made.fileMs + madeValidateMs;
	log(
		`  remittance.create over ${DEBITS} stored invoices in ${made.createMs.toFixed(0)} ms, its file in ${made.fileMs.toFixed(0)} ms, xmllint ${madeValidateMs.toFixed(0)} ms`
	);
	log(
		`  ${DEBITS} debits in ${batches.length} batches: XML ${(xml.length / 1e6).toFixed(1)} MB built in ${buildMs.toFixed(0)} ms, validated in ${validateMs.toFixed(0)} ms; JSON ${(json.length / 1e6).toFixed(1)} MB in ${jsonMs.toFixed(0)} ms`
	);
	return {
		'sepa.debits': DEBITS,
		'sepa.remittance50k.seconds': total / 1000,
		'sepa.createSeconds': made.createMs / 1000,
		'sepa.fileSeconds': made.fileMs / 1000,
		'sepa.bareSeconds': (buildMs + validateMs) / 1000,
		'sepa.buildSeconds': buildMs / 1000,
		'sepa.xmllintSeconds': validateMs / 1000,
		'sepa.jsonBaselineSeconds': jsonMs / 1000,
		'sepa.buildRatioToJson': buildMs / jsonMs,
		'sepa.xmlMB': xml.length / 1e6
	};
}
