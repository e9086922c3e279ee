// `npm run bench`: every benchmark, printed as tables with ratios against a baseline measured in
// the same run, and written as JSON to BENCH_OUT (default bench-results.json).
import fs from 'node:fs';
import { printTable, type Figures } from './report';
import { syncBench } from './sync';

const out = process.env.BENCH_OUT ?? 'bench-results.json';
const log = (s: string) => console.log(`[bench] ${s}`);
const figures: Figures = {};

const f = (n: number, d = 0) =>
	n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

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

fs.writeFileSync(out, JSON.stringify(figures, null, 2) + '\n');
log(`figures written to ${out}`);
