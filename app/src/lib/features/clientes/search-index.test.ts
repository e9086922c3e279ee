import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Change, PullResponse } from '@enlace/shared';
import { EnlaceDb } from '../../db/db';
import { SyncEngine, type ChangeNotice, type Transport } from '../../sync/engine';
import { HIT_PART, matchTab, PackedColumn, searchHits, type CustomerHit } from './search';
import {
	GRAM_BUCKETS,
	gramCandidates,
	gramPlan,
	searchCandidates,
	type GramBucket
} from './search-grams';
import {
	FORMAT,
	gramsKey,
	HAYSTACKS,
	hayPartKey,
	HEAD,
	hitPartKey,
	JOURNAL_FLOOR,
	SearchIndex,
	type HayPart
} from './search-index';

/** A server that answers each pull with the next queued page. */
class Pages implements Transport {
	private readonly pages: PullResponse[] = [];
	private seq = 0;
	queue(changes: Omit<Change, 'seq'>[]) {
		this.seq += changes.length;
		this.pages.push({
			changes: changes.map((c, i) => ({ ...c, seq: this.seq - changes.length + i + 1 })),
			seq: this.seq,
			more: false,
			serverId: 'server-1'
		});
	}
	async push(): Promise<never> {
		throw new Error('push no esperado');
	}
	async pull(): Promise<PullResponse> {
		const page = this.pages.shift();
		if (!page) throw new Error('pull no esperado');
		return page;
	}
	async older(): Promise<never> {
		throw new Error('older no esperado');
	}
}

const USER = { userId: 'u-ana', userName: 'Ana', role: 'admin' as const };
const customer = (id: string, name: string, over: Record<string, unknown> = {}) => ({
	id,
	code: `C${id}`,
	isCompany: false,
	name,
	taxIdType: 'nif',
	taxId: '12345678Z',
	...over
});
const put = (entity: string, data: { id: string }) =>
	({ entity, id: data.id, op: 'put', data }) as Omit<Change, 'seq'>;
/** Customer c1's service address in Ávila. */
const addressA1 = put('address', {
	id: 'a1',
	customerId: 'c1',
	label: 'servicio',
	street: 'x',
	town: 'Ávila'
} as never);
const del = (entity: string, id: string) => ({ entity, id, op: 'delete' }) as Omit<Change, 'seq'>;

let db: EnlaceDb;
let server: Pages;
let engine: SyncEngine;
let indexes: SearchIndex[] = [];
let n = 0;
const factory = new IDBFactory();

/** An index listening to the engine, as the app's tab does. */
async function openIndex(): Promise<SearchIndex> {
	const index = new SearchIndex(db, { saveAfterRows: 1e9, maxUnsavedMs: 1e9 });
	indexes.push(index);
	engine.onChange((notice) => void index.notice(notice));
	await index.open();
	return index;
}

/** What a fresh build from the tables gives, to compare an incrementally kept index with. */
async function fresh() {
	await db.search.snapshot.clear();
	const index = new SearchIndex(db);
	indexes.push(index);
	await index.open();
	return index.set.hits;
}

async function pull(changes: Omit<Change, 'seq'>[]) {
	server.queue(changes);
	await engine.pull();
}

/** Watches an index read every table again (rather than its snapshot and the journal). */
const rebuilds = (index: SearchIndex) =>
	vi.spyOn(index as never as { rebuild: () => Promise<void> }, 'rebuild');

/** Ana (with her address in Ávila) and Luis, pulled and saved in a snapshot by an index now closed. */
async function savedAnaAndLuis() {
	const first = await openIndex();
	await pull([
		put('customer', customer('c1', 'Ana')),
		put('customer', customer('c2', 'Luis')),
		addressA1
	]);
	await first.save();
	first.close();
}

beforeEach(async () => {
	db = new EnlaceDb(`search-index-${++n}`, { indexedDB: factory, IDBKeyRange });
	await db.open();
	server = new Pages();
	engine = new SyncEngine(db, server, 'client-a', () => USER, 50);
});

afterEach(() => {
	for (const i of indexes) i.close();
	indexes = [];
	db.close();
	vi.restoreAllMocks();
});

describe('the customer search index', () => {
	it('finds by PPPoE user, static IP, session address and ONT serial, and opens their tab', async () => {
		const index = await openIndex();
		await pull([
			put('customer', customer('c1', 'José Álvarez', { phone: '600 11 22 33' })),
			put('customer', customer('c2', 'Ana Ruiz')),
			put('pppoeAccount', {
				id: 'p1',
				customerId: 'c1',
				routerId: 'r1',
				username: 'jalvarez.fibra',
				password: 'secreto1',
				profile: '100M',
				staticIp: '10.20.30.40',
				offline: false
			} as never),
			put('cmiStatus', {
				id: 's2',
				routerId: 'r1',
				username: 'aruiz',
				customerId: 'c2',
				online: true,
				address: '100.64.1.77'
			} as never),
			put('operatorData', { id: 'c2', customerId: 'c2', ontSerial: 'HWTC1234ABCD' } as never)
		]);
		const find = (text: string) =>
			searchHits(index.set.hits, { text }).rows.map((h) => [h.id, matchTab(h, text)]);
		expect(find('jalvarez')).toEqual([['c1', 'mikrotik']]);
		expect(find('10.20.30.40')).toEqual([['c1', 'mikrotik']]);
		expect(find('100.64.1.77')).toEqual([['c2', 'mikrotik']]);
		expect(find('hwtc1234')).toEqual([['c2', 'operadora']]);
		expect(find('ruiz hwtc')).toEqual([['c2', 'operadora']]);
		expect(find('600112233')).toEqual([['c1', 'general']]);
		// A session that went offline no longer finds its customer by its address.
		await pull([
			put('cmiStatus', {
				id: 's2',
				routerId: 'r1',
				username: 'aruiz',
				customerId: 'c2',
				online: false,
				address: '100.64.1.77'
			} as never)
		]);
		expect(find('100.64.1.77')).toEqual([]);
	});

	it('kept from the rows of each change equals a build from the tables, through any changes', async () => {
		const index = await openIndex();
		const towns = ['Ávila', 'Segovia', 'Toro', 'Soria'];
		const names = ['María', 'Muñoz', 'Munuera', 'Álvaro', 'Zoe', 'Ana'];
		let seed = 7;
		const rnd = (k: number) =>
			Math.floor((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 65536) % k;
		for (let round = 0; round < 30; round++) {
			const changes: Omit<Change, 'seq'>[] = [];
			for (let i = 0; i < 1 + rnd(80); i++) {
				const c = `c${rnd(40)}`;
				switch (rnd(6)) {
					case 0:
						changes.push(del('customer', c));
						break;
					case 1:
						changes.push(
							put('address', {
								id: `a${rnd(60)}`,
								customerId: c,
								label: rnd(2) ? 'fiscal' : 'servicio',
								street: 'Mayor 1',
								town: towns[rnd(4)],
								country: 'ES'
							} as never)
						);
						break;
					case 2:
						changes.push(del('address', `a${rnd(60)}`));
						break;
					case 3:
						changes.push(
							put('customFieldValue', {
								id: `v${rnd(30)}`,
								customerId: c,
								fieldId: 'f',
								value: rnd(2) ? true : `nota ${rnd(9)}`
							} as never)
						);
						break;
					default:
						changes.push(put('customer', customer(c, `${names[rnd(6)]} ${round}`)));
				}
			}
			// A page holds a row once, at its latest version (as the server sends it). Some rounds
			// bring a single row, as a local mutation's notice would.
			const latest = [...new Map(changes.map((c) => [`${c.entity}/${c.id}`, c])).values()];
			await pull(round % 5 ? latest : latest.slice(0, 1));
		}
		expect(index.set.hits.length).toBeGreaterThan(10);
		expect(index.set.hits).toEqual(await fresh());
		expect(index.set.hits.map((h) => h.name)).toEqual(
			[...index.set.hits.map((h) => h.name)].sort((a, b) => a.localeCompare(b, 'es'))
		);
	});

	it('starts from its snapshot without reading the tables, then applies only the journal after it', async () => {
		await savedAnaAndLuis();
		expect(await db.journal.count()).toBe(0);
		// Changes made while no index listened (the app was closed, another tab…).
		const device = new SyncEngine(db, server, 'client-a', () => USER, 50);
		server.queue([put('customer', customer('c3', 'Berta')), del('customer', 'c2')]);
		await device.pull();
		await device.mutate('customer.update', { id: 'c1', patch: { name: 'Ana María' } });

		const second = new SearchIndex(db);
		indexes.push(second);
		const rebuilt = rebuilds(second);
		await second.open();
		expect(rebuilt).not.toHaveBeenCalled();
		expect(second.set.hits.map((h) => [h.name, h.town])).toEqual([
			['Ana María', 'Ávila'],
			['Berta', '']
		]);
		expect(second.rev).toBe((await db.journal.toCollection().lastKey()) as number);

		// Saved again; a third start has nothing to catch up: its children's parts are read with
		// the first change, which keeps the customer's other rows (the address) in its hit.
		await second.save();
		const third = new SearchIndex(db);
		indexes.push(third);
		await third.open();
		// What a search reads and shows; each hit's gen and key come with the children's parts.
		const shown = (hits: CustomerHit[]) => hits.map(({ gen: _g, key: _k, ...rest }) => rest);
		expect(shown(third.set.hits)).toEqual(shown(second.set.hits));
		expect(third.set.hits.map((h) => h.key)).toEqual(['', '']);
		device.onChange((n) => void third.notice(n));
		await device.mutate('customer.update', { id: 'c1', patch: { name: 'Ana Belén' } });
		await third.save();
		expect(third.set.get('c3')).toEqual(second.set.get('c3'));
		expect(third.set.hits.map((h) => [h.name, h.town])).toEqual([
			['Ana Belén', 'Ávila'],
			['Berta', '']
		]);
		expect(searchHits(third.set.hits, { text: 'belen avila' }).total).toBe(1);
	});

	it('saves the hits in parts and loads them in order; a part of another save, or an older format, is rebuilt', async () => {
		const first = await openIndex();
		const many = Array.from({ length: HIT_PART * 2 + 3 }, (_, i) =>
			put('customer', customer(`c${String(i).padStart(4, '0')}`, `Cliente ${i}`))
		);
		await pull(many);
		await first.save();
		const keys = (await db.search.snapshot.toCollection().primaryKeys()).sort();
		expect(keys.filter((k) => !k.startsWith('search.grams.'))).toEqual([
			hayPartKey(0),
			hayPartKey(1),
			hayPartKey(2),
			HAYSTACKS,
			HEAD,
			hitPartKey(0),
			hitPartKey(1),
			hitPartKey(2),
			'search.kids'
		]);
		// Every bucket, empty or not: the boot script takes a missing one for another save's.
		expect(keys.filter((k) => k.startsWith('search.grams.'))).toEqual(
			Array.from({ length: GRAM_BUCKETS }, (_, b) => gramsKey(b))
		);
		const saved = first.set.hits;

		// What the boot script reads answers as the index does: the query's buckets, then the
		// haystacks of its candidates' parts.
		for (const text of ['cliente 1001', 'cliente 7', 'nadie']) {
			const plan = gramPlan(text)!;
			const buckets = await db.search.snapshot.bulkGet(plan.buckets.map(gramsKey));
			const bucket = (b: number) => buckets[plan.buckets.indexOf(b)]!.value as GramBucket;
			const candidates = gramCandidates(plan, bucket);
			const hays = new Map<number, HayPart>();
			for (const k of new Set(candidates.map((at) => Math.floor(at / HIT_PART))))
				hays.set(k, (await db.search.snapshot.get(hayPartKey(k)))!.value as HayPart);
			const haystack = (at: number) =>
				new PackedColumn(hays.get(Math.floor(at / HIT_PART))!.haystack, HIT_PART).get(
					at % HIT_PART
				);
			const found = searchCandidates(candidates, haystack, text, 8);
			const want = searchHits(saved, { text, limit: 8 });
			expect(
				found.rows.map((at) => saved[at].id),
				text
			).toEqual(want.rows.map((h) => h.id));
			expect(found.total, text).toBe(want.total);
		}
		expect(searchHits(saved, { text: 'cliente 7' }).total).toBeGreaterThan(10);

		const second = new SearchIndex(db);
		indexes.push(second);
		const secondRebuilt = rebuilds(second);
		await second.open();
		expect(secondRebuilt).not.toHaveBeenCalled();
		const shown = (hits: CustomerHit[]) => hits.map(({ gen: _g, key: _k, ...rest }) => rest);
		expect(shown(second.set.hits)).toEqual(shown(saved));

		// The middle part left from another save: the tables are read again, nothing misplaced.
		const part = (await db.search.snapshot.get(hitPartKey(1)))!;
		await db.search.snapshot.put({ ...part, rev: part.rev - 1 });
		const third = new SearchIndex(db);
		indexes.push(third);
		const thirdRebuilt = rebuilds(third);
		await third.open();
		expect(thirdRebuilt).toHaveBeenCalledTimes(1);
		expect(third.set.hits).toEqual(saved);

		// A device that saved the format before (one row of every column) gets the new rows, and
		// its old row goes.
		await db.search.snapshot.clear();
		await db.search.snapshot.put({ key: 'search.hits', rev: 1, value: { v: FORMAT - 1 } });
		const fourth = new SearchIndex(db);
		indexes.push(fourth);
		const fourthRebuilt = rebuilds(fourth);
		await fourth.open();
		expect(fourthRebuilt).toHaveBeenCalledTimes(1);
		expect(fourth.set.hits).toEqual(saved);
		expect(await db.search.snapshot.get('search.hits')).toBeUndefined();
		expect(await db.search.snapshot.get(HAYSTACKS)).toMatchObject({ value: { v: FORMAT } });
	});

	it('applies changes to the snapshot it loaded; one saved over since by another tab is rebuilt, not kept wrong', async () => {
		await savedAnaAndLuis();
		const device = new SyncEngine(db, server, 'client-a', () => USER, 50);
		const second = new SearchIndex(db);
		indexes.push(second);
		const secondRebuilt = rebuilds(second);
		device.onChange((n) => void second.notice(n));
		await second.open();
		expect(second.set.hits.map((h) => [h.name, h.town])).toEqual([
			['Ana', 'Ávila'],
			['Luis', '']
		]);
		// A change: the children's parts of the same snapshot come, the address stays in its hit.
		await device.mutate('customer.update', { id: 'c1', patch: { name: 'Ana Belén' } });
		await second.save();
		expect(second.set.hits.map((h) => [h.name, h.town])).toEqual([
			['Ana Belén', 'Ávila'],
			['Luis', '']
		]);
		expect(secondRebuilt).not.toHaveBeenCalled();

		// Hits loaded from a snapshot another tab saved over before this one read its children's
		// parts: those no longer fit, and the index is rebuilt from the tables.
		const third = new SearchIndex(db);
		indexes.push(third);
		const thirdRebuilt = rebuilds(third);
		await third.open();
		const other = new SearchIndex(db);
		indexes.push(other);
		device.onChange((n) => void other.notice(n));
		await other.open();
		await device.mutate('customer.update', { id: 'c2', patch: { name: 'Luisa' } });
		const rev = (await db.journal.toCollection().lastKey()) as number;
		await other.save();
		// The change reaches this tab as another tab's notice (its rows omitted).
		await third.notice({ rev, changes: new Map(), rowsOmitted: true });
		expect(thirdRebuilt).toHaveBeenCalled();
		expect(third.set.hits.map((h) => [h.name, h.town])).toEqual([
			['Ana Belén', 'Ávila'],
			['Luisa', '']
		]);
	});

	it("applies a burst of notices at once (a first sync's pages): later rows win, as a fresh build", async () => {
		const burst = new SearchIndex(db, { saveAfterRows: 1e9, maxUnsavedMs: 1e9 });
		indexes.push(burst);
		await burst.open();
		const notices: ChangeNotice[] = [];
		engine.onChange((n) => void notices.push(n));
		// The customers, then an address in a later page, then a rename and a deletion.
		await pull([put('customer', customer('c1', 'Ana')), put('customer', customer('c2', 'Luis'))]);
		await pull([addressA1]);
		await pull([put('customer', customer('c1', 'Ana María')), del('customer', 'c2')]);
		expect(notices).toHaveLength(3);
		await burst.noticeMany(notices);
		expect(burst.rev).toBe((await db.journal.toCollection().lastKey()) as number);
		expect(burst.set.hits.map((h) => [h.name, h.town])).toEqual([['Ana María', 'Ávila']]);
		expect(burst.set.hits).toEqual(await fresh());

		// A burst missing a transaction reads what changed from the journal instead.
		const gappy = new SearchIndex(db, { saveAfterRows: 1e9, maxUnsavedMs: 1e9 });
		indexes.push(gappy);
		await gappy.open();
		const before = gappy.rev;
		notices.length = 0;
		await pull([put('customer', customer('c4', 'Marta'))]);
		await pull([put('customer', customer('c5', 'Nuria'))]);
		await gappy.noticeMany([notices[1]]);
		expect(gappy.rev).toBeGreaterThan(before);
		expect(gappy.set.hits.map((h) => h.name)).toEqual(['Ana María', 'Marta', 'Nuria']);
	});

	it("reads another tab's change (a notice without its rows) from the journal", async () => {
		const other = new SearchIndex(db);
		indexes.push(other);
		await other.open();
		await pull([put('customer', customer('c1', 'Ana')), put('customer', customer('c2', 'Luis'))]);
		const rev = (await db.journal.toCollection().lastKey()) as number;
		await other.notice({ rev, changes: new Map(), rowsOmitted: true });
		expect(other.set.hits.map((h) => h.name)).toEqual(['Ana', 'Luis']);
		expect(other.rev).toBe(rev);
	});

	it('rebuilds after a reset, or when the journal it needs was trimmed', async () => {
		const index = await openIndex();
		await pull([put('customer', customer('c1', 'Ana'))]);
		await engine.resetLocal();
		await index.save();
		expect(index.set.hits).toEqual([]);

		await pull([put('customer', customer('c2', 'Luis'))]);
		// A tab that saved up to a later rev trimmed what this index (behind it) needs.
		const behind = new SearchIndex(db);
		indexes.push(behind);
		await db.search.snapshot.clear();
		await behind.open();
		behind.rev = 0;
		await db.setMeta(JOURNAL_FLOOR, 10_000);
		await engine.mutate('customer.update', { id: 'c2', patch: { name: 'Luisa' } });
		await behind.notice({ rev: 10_001, changes: new Map() });
		expect(behind.set.hits.map((h) => h.name)).toEqual(['Luisa']);
	});

	it("keeps its snapshot beside the device database: the journal is trimmed once it is saved, and a snapshot ahead of the journal (another device database's) is rebuilt", async () => {
		const first = await openIndex();
		for (const [id, name] of [
			['c1', 'Ana'],
			['c2', 'Luis'],
			['c3', 'Marta']
		])
			await pull([put('customer', customer(id, name))]);
		await first.save();
		const saved = (await db.search.snapshot.get(HEAD))!.rev;
		expect(await db.journal.where('rev').belowOrEqual(saved).count()).toBe(0);
		expect(await db.getMeta(JOURNAL_FLOOR)).toBe(saved);

		// The device database begun again (its journal and floor start over), the snapshot's kept.
		const again = new EnlaceDb(`search-index-${++n}`, { indexedDB: factory, IDBKeyRange });
		const rows = await db.search.snapshot.toArray();
		await again.search.snapshot.bulkPut(rows);
		const device = new SyncEngine(again, server, 'client-a', () => USER, 50);
		server.queue([put('customer', customer('c9', 'Zoe'))]);
		await device.pull();
		expect(((await again.journal.toCollection().lastKey()) as number) < saved).toBe(true);
		const index = new SearchIndex(again);
		indexes.push(index);
		const rebuilt = rebuilds(index);
		await index.open();
		expect(rebuilt).toHaveBeenCalledTimes(1);
		expect(index.set.hits.map((h) => h.name)).toEqual(['Zoe']);
		again.close();
	});

	it('saves while changes keep coming only after maxBusyMs, and as soon as they pause', async () => {
		const index = new SearchIndex(db, {
			saveAfterRows: 1e9,
			saveDelayMs: 150,
			maxUnsavedMs: 50,
			maxBusyMs: 700
		});
		indexes.push(index);
		engine.onChange((notice) => void index.notice(notice));
		await index.open();
		const saved = async () => (await db.search.snapshot.get(HAYSTACKS))?.rev;
		const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
		let k = 0;
		/** Pages one after another (a first sync) for `ms`. */
		const stream = async (ms: number) => {
			for (const until = Date.now() + ms; Date.now() < until; await sleep(10))
				await pull([put('customer', customer(`s${++k}`, `Cliente ${k}`))]);
		};
		const before = await saved();

		// Four times maxUnsavedMs of pages: no save among them.
		await stream(200);
		expect(await saved()).toBe(before);
		// They pause: saved soon after, up to the last page.
		await sleep(400);
		expect(await saved()).toBe(index.rev);

		// Pages for longer than maxBusyMs: one save before they end.
		const start = index.rev;
		await stream(1200);
		const during = await saved();
		expect(during).toBeGreaterThan(start);
		expect(during).toBeLessThan(index.rev);
	});
});
