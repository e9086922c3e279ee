// `npm run bench`: every benchmark, printed as tables with ratios against a baseline measured in
// the same run, and written as JSON to BENCH_OUT (default bench-results.json).
// `npm run bench -- PART…` runs only those parts: sync, storage, app, agent, durability, previo,
// sepa, pdf, renewals, billing, files.
import fs from 'node:fs';
import { printTable, type Figures } from './report';
import { agentBench } from './agent';
import { billingBench } from './billing';
import { appBench } from './app';
import { durabilityBench } from './durability';
import { pdfBench } from './pdf';
import { filesBench } from './files';
import { previoBench } from './previo';
import { renewalsBench } from './renewals';
import { sepaBench } from './sepa';
import { storageBench } from './storage';
import { syncBench } from './sync';

const PARTS = [
	'sync',
	'storage',
	'app',
	'agent',
	'durability',
	'previo',
	'sepa',
	'pdf',
	'renewals',
	'billing',
	'files'
];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((p) => !PARTS.includes(p));
if (unknown.length) {
	console.error(`Unknown bench part ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
	process.exit(1);
}
const runs = (part: string) => !chosen.length || chosen.includes(part);

const out = process.env.BENCH_OUT ?? 'bench-results.json';
const started = performance.now();
/** Each line with the minutes and seconds since the start: what each part costs the budget. */
const log = (s: string) => {
	const sec = Math.round((performance.now() - started) / 1000);
	const at = `${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, '0')}`;
	console.log(`[bench ${at}] ${s}`);
};
const figures: Figures = {};

const f = (n: number, d = 0) =>
	n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

if (runs('sync')) {
	Object.assign(figures, await syncBench(log));
	printTable(
		'Sync: first sync of 50,000 customers + 50,000 addresses + 50,000 contacts (headless Chromium)',
		[
			{
				what: 'rows/s',
				value: f(figures['sync.rowsPerSec']),
				baseline: `${f(figures['sync.rawBulkPutRowsPerSec'])} (raw bulkPut)`,
				ratio: f(figures['sync.ratioToRaw'], 2),
				target: '≥ 0.60',
				ok: figures['sync.ratioToRaw'] >= 0.6
			},
			{ what: 'seconds', value: f(figures['sync.seconds'], 2) },
			{ what: 'search p50 (ms)', value: f(figures['search.p50Ms'], 2) },
			{
				what: 'search p95 (ms)',
				value: f(figures['search.p95Ms'], 2),
				target: '< 50',
				ok: figures['search.p95Ms'] < 50
			},
			{ what: 'search index build (ms)', value: f(figures['search.indexBuildMs']) }
		]
	);
}

if (runs('storage')) {
	Object.assign(figures, await storageBench(log));
	const mb = (k: string) => `${f(figures[k], 1)}`;
	printTable(
		`Storage: first sync of 50,000 customers with ${f(figures['storage.historyLines'])} Historial lines over three years (fresh Chromium profile)`,
		[
			{
				what: 'office first sync (s)',
				value: f(figures['storage.officeSeconds'], 2),
				baseline: `${f(figures['storage.baseSeconds'], 2)} (same ISP, no Historial)`,
				ratio: f(figures['storage.firstSyncRatio'], 2),
				target: '≤ 1.3',
				ok: figures['storage.firstSyncRatio'] <= 1.3
			},
			{
				what: 'office IndexedDB (MB)',
				value: mb('storage.officeMB'),
				baseline: `${mb('storage.baseMB')} (no Historial)`,
				target: '≤ 400',
				ok: figures['storage.officeMB'] <= 400
			},
			{
				what: 'technician IndexedDB (MB)',
				value: mb('storage.technicianMB'),
				target: '≤ 150',
				ok: figures['storage.technicianMB'] <= 150
			},
			{
				what: 'office rows (Historial)',
				value: `${f(figures['storage.officeRows'])} (${f(figures['storage.officeHistoryRows'])})`
			},
			{
				what: 'technician rows (Historial)',
				value: `${f(figures['storage.technicianRows'])} (${f(figures['storage.technicianHistoryRows'])})`
			},
			{ what: 'technician first sync (s)', value: f(figures['storage.technicianSeconds'], 2) }
		]
	);
}

if (runs('app')) {
	Object.assign(figures, await appBench(log));
	printTable(
		'The app on a 360 px phone: first sync of 50,000 customers + addresses + Historial (+ PPPoE and Datos operadora for 1 in 5), start, quick search',
		[
			{
				what: 'first sync through the app, rows/s',
				value: f(figures['sync.appRowsPerSec']),
				baseline: `${f(figures['sync.engineRowsPerSec'])} (SyncEngine alone)`,
				ratio: f(figures['sync.appFirstSyncRatio'], 2),
				target: '≥ 0.80',
				ok: figures['sync.appFirstSyncRatio'] >= 0.8
			},
			{ what: 'first sync through the app (s)', value: f(figures['sync.appSeconds'], 2) },
			{
				what: 'open → first quick search answered, CPU 4× slower (ms)',
				value: f(figures['search.readyAfterOpenMs']),
				target: '< 500',
				ok: figures['search.readyAfterOpenMs'] < 500
			},
			{
				what: 'open → header shown, CPU 4× slower (ms)',
				value: f(figures['search.shellAfterOpenMs'])
			},
			{
				what: 'open → scripts fetched before the answer (KB)',
				value: f(figures['search.scriptsBeforeAnswerKB'])
			},
			{ what: 'quick search p50 (ms)', value: f(figures['search.quick.p50Ms'], 2) },
			{
				what: 'quick search p95 (ms)',
				value: f(figures['search.quick.p95Ms'], 2),
				target: '< 50',
				ok: figures['search.quick.p95Ms'] < 50
			},
			{
				what: 'index built from the tables, no snapshot (ms)',
				value: f(figures['search.quick.buildMs'])
			},
			{
				what: 'pulled one-row change → index, p95 (ms)',
				value: f(figures['search.updateOneMs'], 2),
				target: '< 5',
				ok: figures['search.updateOneMs'] < 5
			},
			{
				what: 'customer list filter + sort p50 (ms)',
				value: f(figures['list.filterSort.p50Ms'], 2)
			},
			{
				what: 'customer list filter + sort p95 (ms)',
				value: f(figures['list.filterSort.p95Ms'], 2),
				baseline: `${f(figures['search.quick.p95Ms'], 2)} (quick search p95)`,
				ratio: f(figures['list.filterSortVsQuickSearch'], 2),
				target: '< 100',
				ok: figures['list.filterSort.p95Ms'] < 100
			}
		]
	);
}

if (runs('agent')) {
	Object.assign(figures, await agentBench(log));
	printTable(
		'Router work: 1,000 PPPoE secrets through server + edge agent, against a raw client on one connection (same fake router)',
		[
			{
				what: 'provision 1,000 (s)',
				value: f(figures['agent.provision1000.seconds'], 2),
				baseline: `${f(figures['agent.provision1000.rawSeconds'], 2)} (raw client)`,
				ratio: f(figures['agent.provision1000.ratioToRaw'], 2),
				target: '≤ 1.5',
				ok: figures['agent.provision1000.ratioToRaw'] <= 1.5
			},
			{
				what: 'Guardar Secret → router p50 (ms)',
				value: f(figures['agent.saveToRouter.p50Ms'], 1)
			},
			{
				what: 'Guardar Secret → router p95 (ms)',
				value: f(figures['agent.saveToRouter.p95Ms'], 1),
				target: '< 1000',
				ok: figures['agent.saveToRouter.p95Ms'] < 1000
			}
		]
	);
}

if (runs('durability')) {
	Object.assign(figures, await durabilityBench(log));
	printTable(
		`Durability: ${f(figures['durability.pushes'])} mutations pushed one by one to the embedded database`,
		[
			{
				what: 'mutations/s, synchronous=FULL',
				value: f(figures['durability.fullPushesPerSec']),
				baseline: `${f(figures['durability.normalPushesPerSec'])} (synchronous=NORMAL)`,
				ratio: f(figures['durability.fullToNormal'], 2)
			}
		]
	);
}

if (runs('previo')) {
	Object.assign(figures, await previoBench(log));
	printTable(
		`Previo: "Calcular próximo previo" of ${f(figures['previo.customers'])} customers from IndexedDB (headless Chromium)`,
		[
			{
				what: 'all customers (ms)',
				value: f(figures['previo.allCustomers.ms']),
				baseline: `${f(figures['previo.readOnlyMs'])} (reading the rows only)`,
				ratio: f(figures['previo.ratioToRead'], 2),
				target: '< 3000 ms',
				ok: figures['previo.allCustomers.ms'] < 3000
			}
		]
	);
}

if (runs('sepa')) {
	Object.assign(figures, await sepaBench(log));
	printTable(
		`SEPA: a remittance of ${f(figures['sepa.debits'])} debits made from stored invoices as pain.008.001.02, validated with xmllint against the XSD`,
		[
			{
				what: 'from stored invoices: remittance.create + file + xmllint (s)',
				value: f(figures['sepa.remittance50k.seconds'], 2),
				baseline: `${f(figures['sepa.bareSeconds'], 2)} (buildPain008 + xmllint on ready debits)`,
				ratio: f(figures['sepa.remittance50k.seconds'] / figures['sepa.bareSeconds'], 1),
				target: '< 10',
				ok: figures['sepa.remittance50k.seconds'] < 10
			},
			{ what: 'remittance.create (s)', value: f(figures['sepa.createSeconds'], 2) },
			{ what: 'file from the stored row (s)', value: f(figures['sepa.fileSeconds'], 2) },
			{
				what: 'generate (s)',
				value: f(figures['sepa.buildSeconds'], 2),
				baseline: `${f(figures['sepa.jsonBaselineSeconds'], 3)} (JSON.stringify of the same data)`,
				ratio: f(figures['sepa.buildRatioToJson'], 1)
			},
			{ what: 'xmllint (s)', value: f(figures['sepa.xmllintSeconds'], 2) },
			{ what: 'file size (MB)', value: f(figures['sepa.xmlMB'], 1) }
		]
	);
}

if (runs('renewals')) {
	Object.assign(figures, await renewalsBench(log));
	printTable(
		`Renovaciones: the renewals due in a month of ${f(figures['renewals.assignments'])} assigned packages (renewalsDue, Node)`,
		[
			{
				what: 'renewalsDue (ms)',
				value: f(figures['renewals.dueMs']),
				baseline: `${f(figures['renewals.sortBaselineMs'])} (sorting them by customer)`,
				ratio: f(figures['renewals.ratioToSort'], 2),
				target: 'ratio ≤ 3',
				ok: figures['renewals.ratioToSort'] <= 3
			},
			{ what: 'renewals due', value: f(figures['renewals.due']) }
		]
	);
}

if (runs('pdf')) {
	Object.assign(figures, await pdfBench(log));
	printTable(
		`PDF: an invoice of 20 lines with its VeriFactu QR, made in headless Chromium (${f(figures['pdf.runs'])} runs)`,
		[
			{
				what: 'invoice p95 (ms)',
				value: f(figures['pdf.invoice.p95Ms'], 1),
				baseline: `${f(figures['pdf.empty.p95Ms'], 1)} (empty one-page PDF)`,
				ratio: f(figures['pdf.invoiceToEmpty'], 2),
				target: '< 300',
				ok: figures['pdf.invoice.p95Ms'] < 300
			},
			{ what: 'invoice p50 (ms)', value: f(figures['pdf.invoice.p50Ms'], 1) },
			{ what: 'invoice size (bytes)', value: f(figures['pdf.invoice.bytes']) }
		]
	);
}

if (runs('billing')) {
	Object.assign(figures, await billingBench(log));
	printTable(
		`Billing run: January for ${f(figures['billing.customers'])} customers, ${f(figures['billing.run.invoices'])} invoices with their lines, VeriFactu records and Historial (${f(figures['billing.run.rows'])} rows)`,
		[
			{
				what: 'run (s)',
				value: f(figures['billing.run.seconds'], 2),
				baseline: `${f(figures['billing.run.rawSeconds'], 2)} (raw libSQL insert of the same rows)`,
				ratio: f(figures['billing.run.ratio'], 2),
				target: '≤ 2 × raw, < 60 s',
				ok: figures['billing.run.ratio'] <= 2 && figures['billing.run.seconds'] < 60
			},
			{ what: 'preview (s)', value: f(figures['billing.preview.seconds'], 2) }
		]
	);
}

if (runs('files')) {
	Object.assign(figures, await filesBench(log));
	printTable(
		`Files: a 50 MB tus upload with the connection cut every 5 MB (${f(figures['files.resume.cuts'])} cuts), local disk`,
		[
			{
				what: 'bytes sent ÷ file size',
				value: f(figures['files.resume.bytesSentRatio'], 3),
				target: '≤ 1.1',
				ok: figures['files.resume.bytesSentRatio'] <= 1.1
			},
			{
				what: 'throughput (MB/s)',
				value: f(figures['files.upload.MBps'], 1),
				baseline: `${f(figures['files.put.MBps'], 1)} (plain PUT, loopback; medians of 3)`,
				ratio: f(figures['files.upload.ratioToPut'], 2),
				target: '≥ 0.7',
				ok: figures['files.upload.ratioToPut'] >= 0.7
			}
		]
	);
}

fs.writeFileSync(out, JSON.stringify(figures, null, 2) + '\n');
log(`figures written to ${out}`);
