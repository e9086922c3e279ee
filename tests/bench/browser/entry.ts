// Runs inside Chromium: the app's own sync engine, Dexie schema and search, driven by the bench.
import { EnlaceDb } from '../../../app/src/lib/db/db';
import { SyncEngine } from '../../../app/src/lib/sync/engine';
import { httpTransport } from '../../../app/src/lib/sync/http-transport';
import {
	buildHits,
	facetList,
	hasFacet,
	matchTab,
	searchHits,
	townList
} from '../../../app/src/lib/features/clientes/search';
import { SearchIndex } from '../../../app/src/lib/features/clientes/search-index';
import {
	NO_FILTERS,
	filterList,
	sortList,
	type ListFilters,
	type ListSort
} from '../../../app/src/lib/features/clientes/list';
import type { Change, PullResponse } from '@enlace/shared';

const user = { userId: 'bench', userName: 'Bench', role: 'admin' as const };

async function login(email: string, password: string) {
	const res = await fetch('/api/auth/login', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password })
	});
	if (!res.ok) throw new Error(`login ${res.status}`);
}

/** Fetch every change first (not timed), so the baseline writes exactly the rows sync writes. */
async function fetchAll(): Promise<Change[]> {
	const all: Change[] = [];
	let since = 0;
	for (;;) {
		const page = (await (
			await fetch(`/api/sync/pull?since=${since}&limit=10000`)
		).json()) as PullResponse;
		all.push(...page.changes);
		since = page.seq;
		if (!page.more) return all;
	}
}

/** Baseline: plain Dexie bulkPut of the same rows into a fresh database, 5,000 rows a call. */
async function raw(): Promise<{ rows: number; ms: number }> {
	const changes = await fetchAll();
	const db = new EnlaceDb(`bench-raw-${Date.now()}`);
	await db.open();
	const byEntity = new Map<string, unknown[]>();
	for (const c of changes) {
		if (!byEntity.has(c.entity)) byEntity.set(c.entity, []);
		byEntity.get(c.entity)!.push(c.data);
	}
	const t0 = performance.now();
	for (const [entity, rows] of byEntity) {
		for (let i = 0; i < rows.length; i += 5000)
			await db.table(entity).bulkPut(rows.slice(i, i + 5000));
	}
	const ms = performance.now() - t0;
	db.close();
	return { rows: changes.length, ms };
}

/** The real first sync: the app's SyncEngine pulling from seq 0 into a fresh database. */
async function sync(limit: number): Promise<{ rows: number; ms: number }> {
	const db = new EnlaceDb(`bench-sync-${Date.now()}`);
	await db.open();
	const engine = new SyncEngine(db, httpTransport(), 'bench', () => user, limit);
	const t0 = performance.now();
	const { rows } = await engine.pull();
	const ms = performance.now() - t0;
	(window as unknown as { benchDb: EnlaceDb }).benchDb = db;
	return { rows, ms };
}

/** Search latency over the synced customers: build the in-memory index once, then time queries. */
async function search(
	queries: string[]
): Promise<{ buildMs: number; times: number[]; customers: number }> {
	const db = (window as unknown as { benchDb: EnlaceDb }).benchDb;
	const t0 = performance.now();
	const [customers, addresses] = await Promise.all([db.customer.toArray(), db.address.toArray()]);
	const hits = buildHits(customers, addresses);
	const buildMs = performance.now() - t0;
	const times: number[] = [];
	for (const text of queries) {
		const t = performance.now();
		const r = searchHits(hits, { text, limit: 100 });
		times.push(performance.now() - t);
		if (r.total < 0) throw new Error('unreachable');
	}
	return { buildMs, times, customers: hits.length };
}

/**
 * A signed-in user's first sync into this (fresh) profile, as the app does it: the user's role
 * comes from the server; then what IndexedDB takes on disk, from the browser's own estimate.
 */
async function firstSync(): Promise<{ rows: number; ms: number; usage: number; history: number }> {
	const me = (await (await fetch('/api/me')).json()) as {
		user: { id: string; name: string; role: 'admin' | 'office' | 'technician' };
	};
	const db = new EnlaceDb(`bench-first-${Date.now()}`);
	await db.open();
	const who = { userId: me.user.id, userName: me.user.name, role: me.user.role };
	const engine = new SyncEngine(db, httpTransport(), 'bench', () => who);
	const t0 = performance.now();
	const { rows } = await engine.pull();
	const ms = performance.now() - t0;
	const history = await db.history.count();
	db.close();
	const { usage = 0 } = await navigator.storage.estimate();
	return { rows, ms, usage, history };
}

/**
 * The header's quick search over the synced rows: the app's SearchIndex built once from the
 * tables, then each query with the tab its match opens (every answer checked); then a pulled
 * one-row change, from the engine's notice to the index answering with the new name.
 */
async function quick(
	queries: { text: string; id?: string; tab?: string }[],
	updates: number
): Promise<{
	buildMs: number;
	times: number[];
	customers: number;
	updateMs: number[];
	listMs: number[];
}> {
	const db = (window as unknown as { benchDb: EnlaceDb }).benchDb;
	const t0 = performance.now();
	const index = new SearchIndex(db);
	await index.open();
	const buildMs = performance.now() - t0;
	const times: number[] = [];
	for (const q of queries) {
		const t = performance.now();
		const r = searchHits(index.set.hits, { text: q.text, limit: 8 });
		const tabs = r.rows.map((h) => matchTab(h, q.text));
		times.push(performance.now() - t);
		if (q.id && (r.rows[0]?.id !== q.id || tabs[0] !== q.tab))
			throw new Error(`"${q.text}" found ${r.rows[0]?.id} on ${tabs[0]}, not ${q.id} on ${q.tab}`);
	}
	const listMs = listTimes(index.set.hits);
	// A server that sends one changed customer per pull.
	const serverId = (await db.getMeta<string>('serverId'))!;
	const target = index.set.hits[Math.floor(index.set.hits.length / 2)];
	const row = await db.customer.get(target.id);
	let k = 0;
	const transport = {
		push: () => Promise.reject(new Error('no push')),
		older: () => Promise.reject(new Error('no older pages')),
		pull: async (since: number): Promise<PullResponse> => ({
			changes: [
				{
					seq: since + 1,
					entity: 'customer',
					id: target.id,
					op: 'put',
					data: { ...row, name: `Renombrado ${++k} Zuloaga` }
				}
			],
			seq: since + 1,
			more: false,
			serverId
		})
	};
	const engine = new SyncEngine(db, transport, 'bench', () => user);
	const updateMs: number[] = [];
	let applied: Promise<void> = Promise.resolve();
	engine.onChange((n) => {
		const t = performance.now();
		applied = index.notice(n).then(() => {
			updateMs.push(performance.now() - t);
		});
	});
	for (let i = 0; i < updates; i++) {
		await engine.pull();
		await applied;
		const found = searchHits(index.set.hits, { text: `renombrado ${k} zuloaga` }).rows;
		if (found[0]?.id !== target.id) throw new Error('the pulled change is not in the index');
	}
	index.close();
	return { buildMs, times, customers: index.set.hits.length, updateMs, listMs };
}

/**
 * The customer list over every synced customer: each filter (none, a state, a town, a router,
 * a text) in each sort (name either way, code, town, state, fecha de alta), filtered and sorted
 * from scratch, twice over; every answer checked against a plain filter of the hits.
 */
function listTimes(hits: ReturnType<typeof buildHits>): number[] {
	const names = {
		state: (id?: string) => id ?? '',
		type: () => '',
		tariff: String,
		router: String
	};
	const router = hits
		.flatMap(facetList)
		.find((f) => f.startsWith('r:'))!
		.slice(2);
	const filters: [Partial<ListFilters>, (h: (typeof hits)[number]) => boolean][] = [
		[{}, () => true],
		[{ stateId: 'customerState-alta' }, (h) => h.stateId === 'customerState-alta'],
		[{ town: hits[0].town }, (h) => townList(h).includes(hits[0].town)],
		[{ routerId: router }, (h) => hasFacet(h, `r:${router}`)],
		[{ text: 'garcía' }, (h) => h.haystack.includes('garcia')]
	];
	const sorts: ListSort[] = [
		{ by: 'name', desc: false },
		{ by: 'name', desc: true },
		{ by: 'code', desc: false },
		{ by: 'town', desc: false },
		{ by: 'state', desc: true },
		{ by: 'altaDate', desc: false }
	];
	const out: number[] = [];
	for (let round = 0; round < 2; round++)
		for (const [f, want] of filters)
			for (const sort of sorts) {
				const t = performance.now();
				const rows = sortList(filterList(hits, { ...NO_FILTERS, ...f }, '2026-03-10'), sort, names);
				out.push(performance.now() - t);
				const expected = hits.filter(want).length;
				if (rows.length !== expected)
					throw new Error(`list ${JSON.stringify(f)} gave ${rows.length}, not ${expected}`);
			}
	return out;
}

(window as unknown as { bench: unknown }).bench = { login, raw, sync, search, quick, firstSync };
