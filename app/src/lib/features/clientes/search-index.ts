import type { EnlaceDb } from '../../db/db';
import type { ChangeNotice } from '../../sync/engine';
import { HitSet, INDEXED_ENTITIES, type HitPart, type HitSetDump } from './search';
import { buildGrams, type GramBucket } from './search-grams';

/**
 * Snapshot rows (the SearchDb beside the device database), all written together at one rev:
 *
 * - the head (the format): what the boot script reads first;
 * - every hit's haystack in one row, read by the app's index at start (and by the boot script
 *   for a query its postings cannot narrow);
 * - the trigram postings (search-grams.ts) and the haystacks again, in parts of HIT_PART hits:
 *   what the boot script reads to answer most queries, a few kilobytes;
 * - the hits' other columns in parts (`hitPartKey`), in order; the children's parts.
 */
export const HEAD = 'search.head';
export const HAYSTACKS = 'search.haystacks';
const PARTS = 'search.hits.';
/** The key of the hits' part `k` (zero-padded: the keys sort in the hits' order). */
export const hitPartKey = (k: number) => PARTS + String(k).padStart(5, '0');
/** The key of the haystacks of the hits' part `k`. */
export const hayPartKey = (k: number) => 'search.hay.' + String(k).padStart(5, '0');
/** The key of postings bucket `b`. */
export const gramsKey = (b: number) => 'search.grams.' + String(b).padStart(4, '0');
const KIDS = 'search.kids';
/** Raised when the dump's shape changes: an older snapshot is rebuilt, not misread. */
export const FORMAT = 6;
/** Meta key: the highest journal rev ever trimmed. An index behind it cannot catch up. */
export const JOURNAL_FLOOR = 'journalFloor';

/** The head row's value. */
export type SnapshotHead = { v: number };
/** A part's haystacks (PackedColumn). */
export type HayPart = { n: number; haystack: string };
export type { GramBucket };

export type SearchIndexOptions = {
	/** Save once this many rows changed since the last snapshot (after `saveDelayMs` of quiet). */
	saveAfterRows: number;
	saveDelayMs: number;
	/**
	 * Save anyway this long after the first unsaved change, once the changes pause (none for
	 * `saveDelayMs`)…
	 */
	maxUnsavedMs: number;
	/** …or this long after it, if they never do. */
	maxBusyMs: number;
};

const DEFAULTS: SearchIndexOptions = {
	saveAfterRows: 2000,
	saveDelayMs: 3000,
	maxUnsavedMs: 60_000,
	maxBusyMs: 10 * 60_000
};

/**
 * The customer search index of one tab, kept equal to the tables without re-reading them:
 *
 * - at start it loads the snapshot saved at some journal rev (its haystacks and the parts of its
 *   hits: long strings, no row of the tables), then re-reads only the rows the journal names
 *   after it;
 * - this tab's engine's notices carry the changed rows: the next rev is applied from them
 *   directly; another tab's (over the BroadcastChannel, rows omitted) and a gap (a notice that
 *   came late or never) are read from the journal; a reset, a snapshot of another format or a
 *   trimmed journal rebuild it all;
 * - it saves a snapshot after many changes, a minute after a few, or when the tab is hidden,
 *   and trims the journal up to it; not while the changes keep coming (a first sync's pages),
 *   unless they come for ten minutes on end.
 *
 * Everything runs in one queue, so a notice never interleaves with a load or a save.
 */
export class SearchIndex {
	readonly set = new HitSet();
	/** The journal rev the hits reflect. */
	rev = 0;
	/** The hits can be searched (a snapshot or a full build was loaded). */
	ready = false;
	/** Told after every change of `set.hits` and of `ready`. */
	onUpdate: () => void = () => undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private unsaved = 0;
	/** The rev of the snapshot whose children's parts are still to be read; 0 once read. */
	private kidsAt = 0;
	private kidsTimer?: ReturnType<typeof setTimeout>;
	private saveTimer?: ReturnType<typeof setTimeout>;
	private maxTimer?: ReturnType<typeof setTimeout>;
	/** When the oldest unsaved change and the latest change came (Date.now()). */
	private firstUnsavedAt?: number;
	private lastChangeAt = 0;
	private readonly opts: SearchIndexOptions;

	constructor(
		private readonly db: EnlaceDb,
		opts: Partial<SearchIndexOptions> = {}
	) {
		this.opts = { ...DEFAULTS, ...opts };
	}

	private run<T>(fn: () => Promise<T>): Promise<T> {
		const next = this.queue.then(fn);
		this.queue = next.catch((e: unknown) => console.error('search index', e));
		return next;
	}

	/**
	 * Load the snapshot's hits (searchable from then on), then catch up with the journal; without
	 * a usable snapshot (none, another format, parts of another save), build from the tables. The children's parts, needed only to apply a
	 * change, are read when the first one comes (or a few seconds later), not before the first
	 * search.
	 */
	open(): Promise<void> {
		return this.run(async () => {
			const head = await this.readHaystacks();
			// A snapshot ahead of the device database's journal is of another one (begun again
			// while the snapshot's database stayed): its hits are not these tables'.
			if (!head || head.rev > (await this.deviceRev())) return this.rebuild();
			const parts = await this.db.search.snapshot
				.where('key')
				.between(PARTS, PARTS + '\uffff')
				.toArray();
			const fits =
				parts.every((p) => p.rev === head.rev) &&
				this.set.loadHits(
					head.haystacks,
					parts.map((p) => p.value as HitPart)
				);
			if (!fits) return this.rebuild();
			this.rev = head.rev;
			this.kidsAt = this.rev;
			this.ready = true;
			performance.mark('enlace:search-ready', { detail: 'snapshot' });
			this.onUpdate();
			if (await this.db.journal.where('rev').above(this.rev).count()) await this.catchUp();
			else this.kidsTimer = setTimeout(() => void this.run(() => this.loadKids()), 5000);
		});
	}

	private async readHaystacks(): Promise<
		{ rev: number; haystacks: HitSetDump['haystacks'] } | undefined
	> {
		const row = await this.db.search.snapshot.get(HAYSTACKS);
		const value = row?.value as (HitSetDump['haystacks'] & { v?: number }) | undefined;
		return row && value?.v === FORMAT ? { rev: row.rev, haystacks: value } : undefined;
	}

	/** The device database's latest journal rev (trimmed ones included). */
	private async deviceRev(): Promise<number> {
		const last = (await this.db.journal.toCollection().lastKey()) as number | undefined;
		return Math.max(last ?? 0, (await this.db.getMeta<number>(JOURNAL_FLOOR)) ?? 0);
	}

	/** The children's parts saved with the hits (snapshot rev `kidsAt`), if not read yet. */
	private async loadKids(): Promise<boolean> {
		if (!this.kidsAt) return true;
		const kids = await this.db.search.snapshot.get(KIDS);
		if (!kids || kids.rev !== this.kidsAt || !this.set.loadKids(kids.value as HitSetDump['kids'])) {
			await this.rebuild();
			return false;
		}
		this.kidsAt = 0;
		return true;
	}

	/** The rows of one engine transaction changed (this tab's or another's). */
	notice(n: ChangeNotice): Promise<void> {
		return this.noticeMany([n]);
	}

	/**
	 * Several transactions' notices at once, in rev order (a burst: a first sync's pages): their
	 * rows are merged (a later transaction's row wins) and applied once, so a customer whose
	 * addresses, accounts and fields came in several pages is composed once, not once per page.
	 */
	noticeMany(ns: readonly ChangeNotice[]): Promise<void> {
		return this.run(async () => {
			const fresh = ns.filter((n) => n.rev > this.rev);
			if (!fresh.length || !(await this.loadKids())) return;
			const gap = fresh.some((n, i) => n.rev !== this.rev + 1 + i);
			const unread = fresh.some((n) => n.rowsOmitted || [...n.changes.values()].includes('all'));
			if (gap || unread) return this.catchUp();
			const merged = new Map<string, Map<string, unknown>>();
			for (const n of fresh) {
				for (const [entity, changed] of n.changes) {
					if (changed === 'all' || !(INDEXED_ENTITIES as readonly string[]).includes(entity))
						continue;
					const into = merged.get(entity);
					if (!into) merged.set(entity, fresh.length === 1 ? changed : new Map(changed));
					else for (const [id, row] of changed) into.set(id, row);
				}
			}
			let rows = 0;
			for (const m of merged.values()) rows += m.size;
			if (merged.size) this.set.applyMany(merged);
			this.rev = fresh[fresh.length - 1].rev;
			if (merged.size) this.changed(rows);
		});
	}

	/** Apply what the journal names after our rev, reading those rows (and only those). */
	private async catchUp(): Promise<void> {
		if (!(await this.loadKids())) return;
		const tables = INDEXED_ENTITIES.map((e) => this.db.table(e));
		const read = await this.db.transaction(
			'r',
			[...tables, this.db.journal, this.db.meta],
			async () => {
				const floor = (await this.db.getMeta<number>(JOURNAL_FLOOR)) ?? 0;
				const entries = await this.db.journal.where('rev').above(this.rev).toArray();
				if (!entries.length) return { rev: this.rev, changes: [] };
				if (this.rev < floor || entries.some((j) => j.touched === 'all')) return undefined;
				const ids = new Map<string, Set<string>>();
				for (const j of entries) {
					if (j.touched === 'all') continue;
					for (const e of INDEXED_ENTITIES) {
						const touched = j.touched[e];
						if (!touched) continue;
						let set = ids.get(e);
						if (!set) ids.set(e, (set = new Set()));
						for (const id of touched) set.add(id);
					}
				}
				const changes: [string, Map<string, unknown>][] = [];
				for (const [entity, set] of ids) {
					const list = [...set];
					const rows = await this.db.table(entity).bulkGet(list);
					changes.push([entity, new Map(list.map((id, i) => [id, rows[i] ?? null]))]);
				}
				return { rev: entries[entries.length - 1].rev!, changes };
			}
		);
		if (!read) return this.rebuild();
		if (read.changes.length) this.set.applyMany(read.changes);
		this.rev = read.rev;
		const rows = read.changes.reduce((n, [, m]) => n + m.size, 0);
		if (rows) this.changed(rows);
	}

	/** Every indexed row read again: no snapshot yet, or one that cannot be caught up. */
	private async rebuild(): Promise<void> {
		const tables = INDEXED_ENTITIES.map((e) => this.db.table(e));
		const { rev, changes } = await this.db.transaction(
			'r',
			[...tables, this.db.journal, this.db.meta],
			async () => {
				const last = (await this.db.journal.toCollection().lastKey()) as number | undefined;
				const floor = (await this.db.getMeta<number>(JOURNAL_FLOOR)) ?? 0;
				const changes: [string, Map<string, unknown>][] = [];
				for (const e of INDEXED_ENTITIES) {
					const rows = (await this.db.table(e).toArray()) as { id: string }[];
					changes.push([e, new Map(rows.map((r) => [r.id, r]))]);
				}
				return { rev: Math.max(last ?? 0, floor), changes };
			}
		);
		this.set.clear();
		this.set.applyMany(changes);
		this.rev = rev;
		this.kidsAt = 0;
		if (!this.ready) performance.mark('enlace:search-ready', { detail: 'tables' });
		this.ready = true;
		this.onUpdate();
		// The next start loads this instead of reading every row again.
		await this.write();
	}

	private changed(rows: number) {
		this.onUpdate();
		this.unsaved += rows;
		this.lastChangeAt = Date.now();
		this.firstUnsavedAt ??= this.lastChangeAt;
		clearTimeout(this.saveTimer);
		if (this.unsaved >= this.opts.saveAfterRows)
			this.saveTimer = setTimeout(() => void this.save(), this.opts.saveDelayMs);
		this.maxTimer ??= setTimeout(() => this.overdue(), this.opts.maxUnsavedMs);
	}

	/**
	 * The unsaved changes are `maxUnsavedMs` old. While they keep coming, the save waits for a
	 * pause: every save writes the whole index, and during a long first sync one a minute wrote
	 * the growing index again and again into the IndexedDB the engine was writing its pages to
	 * (on a slow device, four saves of up to 12 MB during 50,000 customers). What is not saved
	 * yet is in the journal, which a next start catches up from.
	 */
	private overdue() {
		const now = Date.now();
		const streaming = now - this.lastChangeAt < this.opts.saveDelayMs;
		if (streaming && now - (this.firstUnsavedAt ?? now) < this.opts.maxBusyMs) {
			this.maxTimer = setTimeout(() => this.overdue(), this.opts.saveDelayMs);
			return;
		}
		this.maxTimer = undefined;
		void this.save();
	}

	/** Save the snapshot now if anything changed since the last one (the tab is being hidden). */
	save(): Promise<void> {
		return this.run(async () => {
			if (this.unsaved) await this.write();
		});
	}

	/** Stop the timers (the tab's index is dropped: tests, sign-out). */
	close() {
		clearTimeout(this.kidsTimer);
		clearTimeout(this.saveTimer);
		clearTimeout(this.maxTimer);
	}

	private async write(): Promise<void> {
		if (!(await this.loadKids())) return;
		clearTimeout(this.saveTimer);
		clearTimeout(this.maxTimer);
		this.maxTimer = undefined;
		this.firstUnsavedAt = undefined;
		this.unsaved = 0;
		const rev = this.rev;
		const started = performance.now();
		const dump = this.set.dump();
		const hits = this.set.hits;
		const grams = buildGrams(hits.length, (i) => hits[i].haystack);
		const saved = await this.db.search.transaction('rw', this.db.search.snapshot, async () => {
			// Another tab may have saved a newer one.
			const current = await this.db.search.snapshot.get(HEAD);
			if (current && current.rev > rev) return false;
			// Every row of the last one goes (fewer customers, fewer parts; an older format's rows).
			await this.db.search.snapshot.where('key').startsWith('search.').delete();
			const head: SnapshotHead = { v: FORMAT };
			await this.db.search.snapshot.bulkPut([
				{ key: HEAD, rev, value: head },
				{ key: HAYSTACKS, rev, value: { v: FORMAT, ...dump.haystacks } },
				...dump.hays.map((value: HayPart, k) => ({ key: hayPartKey(k), rev, value })),
				...grams.map((value, b) => ({ key: gramsKey(b), rev, value })),
				...dump.parts.map((value, k) => ({ key: hitPartKey(k), rev, value })),
				{ key: KIDS, rev, value: dump.kids }
			]);
			return true;
		});
		// The journal up to it is trimmed only once the snapshot is written (another database: not
		// in one transaction). A tab stopped in between leaves a journal longer than it needs.
		if (saved)
			await this.db.transaction('rw', [this.db.journal, this.db.meta], async () => {
				await this.db.journal.where('rev').belowOrEqual(rev).delete();
				const floor = (await this.db.getMeta<number>(JOURNAL_FLOOR)) ?? 0;
				if (rev > floor) await this.db.setMeta(JOURNAL_FLOOR, rev);
			});
		// How long saving took, and when (the bench reports the saves during a first sync).
		performance.measure('enlace:search-save', { start: started, detail: dump.haystacks.n });
	}
}
