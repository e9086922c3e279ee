import {
	AppError,
	DEFAULT_PULL_LIMIT,
	ENTITY_NAMES,
	MAX_PINNED_CUSTOMERS,
	MUTATORS,
	WINDOWED_ENTITIES,
	forbidden,
	windowCutoff,
	windowTime,
	getMutator,
	isEntityName,
	parseOrThrow,
	type EntityName,
	type MutatorContext,
	type OlderPage,
	type PullResponse,
	type PushRequest,
	type PushResponse,
	type Role,
	type WireError
} from '@enlace/shared';
import type { EnlaceDb, JournalRow, OutboxRow } from '../db/db';
import { DexieTx, shadowKey } from './dexie-tx';

export type PushReply = { status: number; body: PushResponse | { error: WireError } };

/** How the engine reaches the server; HTTP in the app, anything in tests. */
export type Transport = {
	push(req: PushRequest): Promise<PushReply>;
	/**
	 * `access`: the key the device synced under (see PullResponse); absent on a pull from 0.
	 * `pinned`: the customers opened lately, whose windowed rows come whatever their age.
	 */
	pull(since: number, limit: number, access?: string, pinned?: string[]): Promise<PullResponse>;
	/** One page of a customer's older windowed rows (online only), newest first. */
	older(entity: EntityName, customerId: string, before?: string): Promise<OlderPage>;
};

/** A whole push refused (not one mutation): the outbox stays as it is. */
export class PushFailed extends Error {
	constructor(readonly error: WireError) {
		super(error.message);
	}
}

export type DeviceUser = Pick<MutatorContext, 'userId' | 'userName' | 'role'>;

/**
 * The rows one transaction changed, by entity: id → the row as it now is in its table (null:
 * deleted); 'all' after a reset, when every table was emptied.
 */
export type Changes = Map<EntityName, Map<string, unknown> | 'all'>;

/**
 * What a listener is told after each transaction that changed entity tables: the changed rows
 * and the rev of the transaction's journal row (JournalRow), so a listener that missed a notice
 * (another tab's) can read the journal from the last rev it applied.
 */
export type ChangeNotice = {
	rev: number;
	changes: Changes;
	/**
	 * Set on a notice relayed from another tab without its rows (they would be copied for every
	 * pulled page even with no other tab open): the listener reads what changed from the journal.
	 */
	rowsOmitted?: boolean;
};

const journalOf = (changes: Changes): JournalRow['touched'] => {
	const touched: Partial<Record<EntityName, string[]>> = {};
	for (const [entity, rows] of changes) {
		if (rows === 'all') return 'all';
		touched[entity] = [...rows.keys()];
	}
	return touched;
};

/** Adds `rows` to what `into` says changed for `entity` (later writes win). */
function merge(into: Changes, entity: EntityName, rows: Map<string, unknown>) {
	const known = into.get(entity);
	if (known === 'all') return;
	if (!known) into.set(entity, new Map(rows));
	else for (const [id, row] of rows) known.set(id, row);
}

const PUSH_BATCH = 100;

/**
 * Every entity's table: a mutation or a pull page touching a table outside its transaction would
 * throw. (Here, not in db.ts: the entity list comes with the schemas, which the first screen,
 * opening the database, does without.)
 */
const entityTables = (db: EnlaceDb) => ENTITY_NAMES.map((e) => db.table(e));

/** Rows that may have fallen out of the window, read through an index (the rest never can). */
function candidates(db: EnlaceDb, entity: EntityName, cutoff: string): Promise<unknown[]> {
	const table = db.table(entity);
	if (entity === 'history') return table.where('at').below(cutoff).toArray();
	if (entity === 'routerJob') return table.where('state').anyOf('done', 'failed').toArray();
	return table.toArray();
}

/**
 * The server (or a proxy before it) found the push too large: 413, whatever its body. A transport
 * that throws (HTTP) carries `status`; one that answers carries the error's code.
 */
const isTooLarge = (e: unknown) => {
	const failure = e as { status?: number; error?: WireError } | undefined;
	return failure?.status === 413 || failure?.error?.code === 'payload-too-large';
};

/** A single change the server will never take in; it is set aside so the rest can go. */
const TOO_LARGE: WireError = {
	code: 'payload-too-large',
	message: 'Este cambio es demasiado grande para enviarlo al servidor'
};

/**
 * The client half of sync (docs/sync-protocol.md): optimistic mutations with their outbox row in
 * the same Dexie transaction; push in order; pull by seq; rebase pending work over pulled changes.
 *
 * Invariants:
 * - A mutation's local effect and its outbox row are written in the same Dexie transaction.
 * - For every row with unsent local changes, `shadow` holds the server's latest version and the
 *   table holds that version with the outbox replayed on top.
 * - Every transaction that changes entity tables appends, in that same transaction, one
 *   `journal` row naming the ids it touched ('all' for a reset), and listeners are told the
 *   changed rows with that row's rev: a cache built from the tables at rev R plus the journal
 *   after R is the tables.
 * - Windowed rows (Historial, router jobs: WINDOWED_ENTITIES) are held only while they are inside
 *   the window the server reports or belong to a pinned customer; pruning and stored older pages
 *   never touch a shadowed row, the outbox or the rejected list.
 */
export class SyncEngine {
	private readonly listeners = new Set<(n: ChangeNotice) => void>();
	private readonly roleListeners = new Set<(role: Role) => void>();
	/**
	 * Applied by the server but not pulled yet: a rebase replays them before the outbox, so a
	 * rejection's rollback does not hide them until the next pull brings the server's rows.
	 */
	private acked: OutboxRow[] = [];

	constructor(
		readonly db: EnlaceDb,
		private readonly transport: Transport,
		readonly clientId: string,
		private readonly user: () => DeviceUser | undefined,
		private readonly pullLimit = DEFAULT_PULL_LIMIT
	) {}

	/** The role the server reports on every pull page: the device learns a change of role. */
	onRole(fn: (role: Role) => void): () => void {
		this.roleListeners.add(fn);
		return () => this.roleListeners.delete(fn);
	}

	onChange(fn: (n: ChangeNotice) => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	/** Inside an engine transaction: the journal row of what it changed; its rev, 0 for nothing. */
	private async journal(changes: Changes): Promise<number> {
		if (!changes.size) return 0;
		return this.db.journal.add({ touched: journalOf(changes) });
	}

	private emit(rev: number, changes: Changes) {
		if (changes.size) for (const fn of this.listeners) fn({ rev, changes });
	}

	/**
	 * Apply a mutation on the device now and queue it for the server. Throws an AppError with a
	 * field when the arguments are invalid, before anything is written, so forms can show it.
	 */
	async mutate(name: string, args: unknown): Promise<string> {
		const mutator = getMutator(name);
		const user = this.user();
		if (!user) throw new AppError('unauthorized', 'Inicie sesión para continuar', undefined, 401);
		if (!mutator.roles.includes(user.role)) throw forbidden();
		const parsed = parseOrThrow(mutator.args, args);
		const now = new Date().toISOString();
		const tx = new DexieTx(this.db, { ...user, now, server: false });
		const id = crypto.randomUUID();
		const rev = await this.db.transaction(
			'rw',
			[...entityTables(this.db), this.db.shadow, this.db.outbox, this.db.journal],
			async () => {
				await mutator.apply(tx, parsed);
				await this.db.outbox.add({ id, name, args: parsed, createdAt: now, ctx: user });
				return this.journal(tx.touched);
			}
		);
		this.emit(rev, tx.touched);
		return id;
	}

	/**
	 * Send the outbox in order until it is empty. Network failures propagate; nothing is lost.
	 * Only the signed-in user's mutations go: the session pushing them is the one the server
	 * records as their author (another user's work is discarded at sign-in, never sent).
	 */
	async push(): Promise<{ applied: number; rejected: number }> {
		let applied = 0;
		let rejected = 0;
		const userId = this.user()?.userId;
		if (!userId) return { applied, rejected };
		// Halved while the server finds a batch too large, so a big outbox never wedges the device.
		let size = PUSH_BATCH;
		for (;;) {
			const batch = await this.db.outbox
				.orderBy('seq')
				.filter((m) => m.ctx.userId === userId)
				.limit(size)
				.toArray();
			if (!batch.length) break;
			let results: PushResponse['results'];
			try {
				const reply = await this.transport.push({
					clientId: this.clientId,
					mutations: batch.map(({ id, name, args }) => ({ id, name, args }))
				});
				if (!('results' in reply.body)) throw new PushFailed(reply.body.error);
				results = reply.body.results;
			} catch (e) {
				if (!isTooLarge(e)) throw e;
				if (batch.length > 1) {
					size = Math.ceil(batch.length / 2);
					continue;
				}
				results = [{ id: batch[0].id, status: 'rejected', error: TOO_LARGE }];
			}
			const now = new Date().toISOString();
			let anyRejected = false;
			const appliedRows: OutboxRow[] = [];
			await this.db.transaction('rw', [this.db.outbox, this.db.rejected], async () => {
				for (const r of results) {
					const row = batch.find((b) => b.id === r.id);
					if (!row) continue;
					await this.db.outbox.delete(row.seq!);
					if (r.status === 'rejected') {
						anyRejected = true;
						rejected++;
						await this.db.rejected.put({ ...row, error: r.error, rejectedAt: now });
					} else appliedRows.push(row);
				}
			});
			applied += appliedRows.length;
			this.acked.push(...appliedRows);
			// The rejected change must disappear from the screens: restore and replay the rest.
			if (anyRejected) await this.rebase();
			if (results.length < batch.length) break;
		}
		return { applied, rejected };
	}

	/** Fetch every change after our position; the next page is requested while this one is stored. */
	async pull(): Promise<{ rows: number }> {
		let since = (await this.db.getMeta<number>('seq')) ?? 0;
		let knownServer = await this.db.getMeta<string>('serverId');
		// What the device synced under; a device from before access keys sends '' and resets once.
		const access = (await this.db.getMeta<string>('access')) ?? '';
		const pinned = await this.pinned();
		let rows = 0;
		// Pushes answered before this pull started are in the server rows it brings.
		const ackedBefore = this.acked.length;
		let next = this.transport.pull(since, this.pullLimit, since ? access : undefined, pinned);
		for (;;) {
			const page = await next;
			if (page.reset || (knownServer && page.serverId !== knownServer)) {
				if (since === 0 && knownServer === page.serverId)
					throw new Error('El servidor pide reiniciar sin fin');
				// Another role or scope: nothing it held may stay, whatever the next pull brings.
				await this.resetLocal();
				since = 0;
				knownServer = page.serverId;
				next = this.transport.pull(0, this.pullLimit, undefined, pinned);
				continue;
			}
			if (page.more) next = this.transport.pull(page.seq, this.pullLimit, page.access, pinned);
			await this.applyPage(page);
			knownServer = page.serverId;
			rows += page.changes.length;
			since = page.seq;
			if (!page.more) break;
		}
		this.acked.splice(0, ackedBefore);
		if ((await this.db.outbox.count()) || (await this.db.shadow.count())) await this.rebase();
		await this.prune();
		return { rows };
	}

	/** Customers opened lately, most recent first (their windowed rows stay whatever their age). */
	async pinned(): Promise<string[]> {
		return (await this.db.getMeta<string[]>('pinned')) ?? [];
	}

	/**
	 * The user opened this customer: pin it (at most MAX_PINNED_CUSTOMERS, the least recent
	 * drops out and its old rows are pruned). Pull sends the pinned customers' changes whatever
	 * their age; their rows from before the pin come through `fetchOlder`.
	 */
	async pin(customerId: string): Promise<void> {
		const before = await this.pinned();
		if (before[0] === customerId) return;
		const after = [customerId, ...before.filter((c) => c !== customerId)];
		await this.db.setMeta('pinned', after.slice(0, MAX_PINNED_CUSTOMERS));
		if (after.length > MAX_PINNED_CUSTOMERS) await this.prune();
	}

	/**
	 * One page of a customer's older windowed rows from the server (online only: network
	 * failures propagate), stored on the device — the customer is pinned, so they stay — except
	 * rows with local changes pending, whose table version is the device's. `before`: the
	 * cursor of the page (OlderPage.next), absent for the newest rows.
	 */
	async fetchOlder(entity: EntityName, customerId: string, before?: string): Promise<OlderPage> {
		await this.pin(customerId);
		const page = await this.transport.older(entity, customerId, before);
		const changes: Changes = new Map();
		const rev = await this.db.transaction(
			'rw',
			[this.db.table(entity), this.db.shadow, this.db.journal],
			async () => {
				const rows = [];
				for (const row of page.rows) {
					if (!(await this.db.shadow.get(shadowKey(entity, String(row.id))))) rows.push(row);
				}
				await this.db.table(entity).bulkPut(rows);
				if (rows.length) changes.set(entity, new Map(rows.map((r) => [String(r.id), r])));
				return this.journal(changes);
			}
		);
		this.emit(rev, changes);
		return page;
	}

	/**
	 * Drop windowed rows that fell out of the window (older than the server's period for this
	 * role and not of a pinned customer). Local only: nothing is queued, shadowed rows stay.
	 */
	async prune(now = Date.now()): Promise<number> {
		const window = await this.db.getMeta<{ days: number }>('window');
		if (!window) return 0;
		const cutoff = windowCutoff(window.days, now);
		const pinned = new Set(await this.pinned());
		const changes: Changes = new Map();
		let pruned = 0;
		const tables = WINDOWED_ENTITIES.map((e) => this.db.table(e));
		const scope = [...tables, this.db.shadow, this.db.meta, this.db.journal];
		const rev = await this.db.transaction('rw', scope, async () => {
			const shadowed = new Set((await this.db.shadow.toCollection().primaryKeys()) as string[]);
			for (const entity of WINDOWED_ENTITIES) {
				const old = (await candidates(this.db, entity, cutoff)) as Record<string, unknown>[];
				const ids = old
					.filter(
						(row) =>
							(windowTime(entity, row) ?? '') < cutoff &&
							!pinned.has(String(row.customerId)) &&
							!shadowed.has(shadowKey(entity, String(row.id)))
					)
					.map((row) => String(row.id));
				if (!ids.length) continue;
				await this.db.table(entity).bulkDelete(ids);
				pruned += ids.length;
				changes.set(entity, new Map(ids.map((id) => [id, null])));
			}
			return this.journal(changes);
		});
		this.emit(rev, changes);
		return pruned;
	}

	async sync(): Promise<void> {
		await this.push();
		await this.pull();
	}

	private async applyPage(page: PullResponse): Promise<void> {
		const notice: Changes = new Map();
		const rev = await this.db.transaction(
			'rw',
			[...entityTables(this.db), this.db.shadow, this.db.meta, this.db.journal],
			async () => {
				const shadowed = new Set((await this.db.shadow.toCollection().primaryKeys()) as string[]);
				const puts = new Map<EntityName, unknown[]>();
				const dels = new Map<EntityName, string[]>();
				const shadowUpdates = [];
				for (const c of page.changes) {
					// A newer server may know entities this app version does not: skip, do not fail.
					if (!isEntityName(c.entity)) continue;
					const key = shadowKey(c.entity, c.id);
					if (shadowed.has(key)) {
						shadowUpdates.push({
							key,
							entity: c.entity,
							id: c.id,
							row: c.op === 'put' ? (c.data ?? null) : null
						});
						continue;
					}
					if (c.op === 'put') {
						if (!puts.has(c.entity)) puts.set(c.entity, []);
						puts.get(c.entity)!.push(c.data);
					} else {
						if (!dels.has(c.entity)) dels.set(c.entity, []);
						dels.get(c.entity)!.push(c.id);
					}
					let rows = notice.get(c.entity) as Map<string, unknown> | undefined;
					if (!rows) notice.set(c.entity, (rows = new Map()));
					rows.set(c.id, c.op === 'put' ? c.data : null);
				}
				for (const [entity, rows] of puts) await this.db.table(entity).bulkPut(rows);
				for (const [entity, ids] of dels) await this.db.table(entity).bulkDelete(ids);
				if (shadowUpdates.length) await this.db.shadow.bulkPut(shadowUpdates);
				await this.db.meta.bulkPut([
					{ key: 'seq', value: page.seq },
					{ key: 'serverId', value: page.serverId },
					// The rows above are what this access may hold: kept with the position they reach.
					...(page.access !== undefined ? [{ key: 'access', value: page.access }] : []),
					...(page.role ? [{ key: 'role', value: page.role }] : []),
					...(page.window ? [{ key: 'window', value: page.window }] : [])
				]);
				return this.journal(notice);
			}
		);
		this.emit(rev, notice);
		if (page.role) for (const fn of this.roleListeners) fn(page.role);
	}

	/** Put the server's versions back and replay the outbox on top (after pulls and rejections). */
	async rebase(): Promise<void> {
		const notice: Changes = new Map();
		const rev = await this.db.transaction(
			'rw',
			[...entityTables(this.db), this.db.shadow, this.db.outbox, this.db.journal],
			async () => {
				for (const s of await this.db.shadow.toArray()) {
					if (s.row) await this.db.table(s.entity).put(s.row);
					else await this.db.table(s.entity).delete(s.id);
					merge(notice, s.entity, new Map([[s.id, s.row]]));
				}
				await this.db.shadow.clear();
				const replay = [...this.acked, ...(await this.db.outbox.orderBy('seq').toArray())];
				for (const p of replay) {
					const tx = new DexieTx(this.db, { ...p.ctx, now: p.createdAt, server: false });
					try {
						await MUTATORS.get(p.name)?.apply(tx, p.args);
					} catch (e) {
						// It no longer applies on this device (its row is gone…); the server has the last word.
						console.warn(`rebase: ${p.name} no longer applies locally`, e);
					}
					for (const [entity, rows] of tx.touched) merge(notice, entity, rows);
				}
				return this.journal(notice);
			}
		);
		this.emit(rev, notice);
	}

	/** Drop the server state we hold (not the outbox nor the rejected list) and start from seq 0. */
	async resetLocal(): Promise<void> {
		const all: Changes = new Map(ENTITY_NAMES.map((e) => [e, 'all' as const]));
		const rev = await this.db.transaction(
			'rw',
			[...entityTables(this.db), this.db.shadow, this.db.meta, this.db.journal],
			async () => {
				for (const t of entityTables(this.db)) await t.clear();
				await this.db.shadow.clear();
				await this.db.meta.bulkDelete(['seq', 'serverId', 'access']);
				return this.journal(all);
			}
		);
		this.emit(rev, all);
	}

	/**
	 * Everything the device holds for its user: server rows, shadows, position, the outbox, the
	 * rejected list. For a different user signing in (after they confirmed the loss).
	 */
	async discardAll(): Promise<void> {
		await this.resetLocal();
		const tables = [
			this.db.outbox,
			this.db.rejected,
			this.db.meta,
			this.db.fileUpload,
			this.db.fileCache
		];
		await this.db.transaction('rw', tables, async () => {
			await this.db.outbox.clear();
			await this.db.rejected.clear();
			await this.db.meta.delete('role');
			// The previous user's files: their uploads went with their changes, and no cached copy stays.
			await this.db.fileUpload.clear();
			await this.db.fileCache.clear();
		});
		this.acked = [];
	}

	/** Queue a rejected mutation again, as it was (the user may have fixed what blocked it). */
	async retryRejected(id: string): Promise<void> {
		const row = await this.db.rejected.get(id);
		if (!row) return;
		await this.db.rejected.delete(id);
		const { error: _e, rejectedAt: _r, seq: _s, ...rest } = row;
		await this.mutate(rest.name, rest.args).catch(async (e: unknown) => {
			// Still invalid here: keep it in the rejected list with the new reason.
			const error = e instanceof AppError ? e.toWire() : { code: 'internal', message: String(e) };
			await this.db.rejected.put({ ...row, error, rejectedAt: new Date().toISOString() });
			throw e;
		});
	}

	async discardRejected(id: string): Promise<void> {
		await this.db.rejected.delete(id);
	}

	pending(): Promise<OutboxRow[]> {
		return this.db.outbox.orderBy('seq').toArray();
	}
}
