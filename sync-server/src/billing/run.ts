import { randomUUID } from 'node:crypto';
import {
	AppError,
	COMPANY_PROFILE_ID,
	billingRunItems,
	getMutator,
	isAppError,
	madridTime,
	runSummary,
	type CompanyProfile,
	type Contract,
	type Document,
	type PaymentMethod,
	type RenewalAssignment,
	type RenewalPackage,
	type Role,
	type RunCustomer,
	type RunInput,
	type RunItem,
	type RunStatus,
	type Setting,
	type Tariff,
	type TariffAssignment
} from '@enlace/shared';
import type { Client } from '@libsql/client';

export type { RunStatus };
import type { Db } from '../db/client';
import type { SeqNotifier } from '../sync/notifier';
import { ServerTx, currentSeq } from '../sync/store';
import { writeGuarded } from '../sync/writer';

/**
 * The billing run (docs/billing-run.md): a month's invoices, one per contract with something due,
 * previewed with their exceptions and then issued by a server job in batches. Each batch is one
 * transaction that issues its invoices through `document.issue` itself (numbers from the guarded
 * counters, the VeriFactu chain) and moves the run's progress. The database holds one invoice per
 * contract and month (migration 0009), so a run done again — after a kill, or by a second server
 * at the same time — issues only what is missing, and a batch that another server beat to a
 * contract fails whole and is redone without it: no number is lost or given twice.
 */

export type RunUser = { id: string; name: string; role: Role };

/** Invoices per transaction: large enough to amortise a commit, small enough to show progress. */
export const RUN_BATCH = 500;

const parse = <T>(rows: readonly Record<string, unknown>[]) =>
	rows.map((r) => JSON.parse(String(r.data)) as T);

async function live<T>(client: Client, entity: string): Promise<T[]> {
	const r = await client.execute({
		sql: 'SELECT data FROM records WHERE entity = ? AND deleted = 0',
		args: [entity]
	});
	return parse<T>(r.rows);
}

/** The office's rows the run is computed from. */
export async function runInput(db: Db, month: string, issueDay: string): Promise<RunInput> {
	const [
		customers,
		contracts,
		assignments,
		tariffs,
		paymentMethods,
		types,
		renewalAssignments,
		renewalPackages
	] = await Promise.all([
		db.client
			.execute(
				`SELECT id, data ->> '$.name' AS name, data ->> '$.code' AS code, data ->> '$.taxId' AS taxId
				FROM records WHERE entity = 'customer' AND deleted = 0`
			)
			.then((r) =>
				r.rows.map((x): RunCustomer => ({
					id: String(x.id),
					name: String(x.name ?? ''),
					code: String(x.code ?? ''),
					taxId: String(x.taxId ?? '')
				}))
			),
		live<Contract>(db.client, 'contract'),
		live<TariffAssignment>(db.client, 'tariffAssignment'),
		live<Tariff>(db.client, 'tariff'),
		live<PaymentMethod>(db.client, 'paymentMethod'),
		live<Setting>(db.client, 'setting'),
		live<RenewalAssignment>(db.client, 'renewalAssignment'),
		live<RenewalPackage>(db.client, 'renewalPackage')
	]);
	const bankTypeIds = new Set(
		types.filter((t) => t.list === 'paymentMethodType' && t.usesBank).map((t) => t.id)
	);
	return {
		month,
		issueDay,
		customers,
		contracts,
		assignments,
		tariffs,
		paymentMethods,
		bankTypeIds,
		renewalAssignments,
		renewalPackages
	};
}

/** The contracts already invoiced in the month's run (by any server, any earlier run). */
async function invoicedContracts(client: Client, month: string): Promise<Map<string, string>> {
	const r = await client.execute({
		sql: `SELECT data ->> '$.billingRun.contractId' AS contract, data ->> '$.number' AS number
			FROM records WHERE entity = 'document' AND json_extract(data, '$.billingRun.period') = ?`,
		args: [month]
	});
	return new Map(r.rows.map((x) => [String(x.contract), String(x.number ?? '')]));
}

export type PreviewItem = RunItem & { number?: string };

/** The preview: every invoice of the month's run, with the number of those already issued. */
export async function previewRun(db: Db, month: string) {
	const issueDay = madridTime(new Date().toISOString()).day;
	const items: PreviewItem[] = billingRunItems(await runInput(db, month, issueDay));
	const invoiced = await invoicedContracts(db.client, month);
	for (const it of items) {
		const number = invoiced.get(it.contractId);
		if (number !== undefined) it.number = number;
	}
	return { month, issueDay, summary: { ...runSummary(items), issued: invoiced.size }, items };
}

function statusOf(r: Record<string, unknown>): RunStatus {
	return {
		period: String(r.period),
		state: String(r.state) as RunStatus['state'],
		total: Number(r.total),
		issued: Number(r.issued),
		held: Number(r.held),
		totalCents: Number(r.total_cents),
		startedAt: String(r.started_at),
		startedBy: r.started_by === null ? null : String(r.started_by),
		updatedAt: String(r.updated_at),
		finishedAt: r.finished_at === null ? null : String(r.finished_at),
		error: r.error === null ? null : String(r.error)
	};
}

export async function runStatus(db: Db, month: string): Promise<RunStatus | undefined> {
	const r = await db.client.execute({
		sql: 'SELECT * FROM billing_runs WHERE period = ?',
		args: [month]
	});
	return r.rows[0] ? statusOf(r.rows[0]) : undefined;
}

const COUNT_ISSUED = `(SELECT count(*) FROM records WHERE entity = 'document'
	AND json_extract(data, '$.billingRun.period') = ?)`;

/**
 * Reads everything the batch's `document.issue` runs will read, in a few queries, and hands it
 * to the tx (guarded as if read one by one): the company, the customers and their addresses, the
 * new documents' ids (none stored) and the chain positions the batch will look back to.
 */
async function primeBatch(db: Db, tx: ServerTx, items: RunItem[], ids: string[]) {
	const customerIds = JSON.stringify([...new Set(items.map((i) => i.customerId))]);
	const [company, customers, addresses] = await Promise.all([
		db.client.execute({
			sql: `SELECT data, seq FROM records WHERE entity = 'companyProfile' AND id = ? AND deleted = 0`,
			args: [COMPANY_PROFILE_ID]
		}),
		db.client.execute({
			sql: `SELECT id, data, seq, deleted FROM records
				WHERE entity = 'customer' AND id IN (SELECT value FROM json_each(?))`,
			args: [customerIds]
		}),
		db.client.execute({
			sql: `SELECT customer_id, data, seq FROM records WHERE entity = 'address' AND deleted = 0
				AND customer_id IN (SELECT value FROM json_each(?))`,
			args: [customerIds]
		})
	]);
	const profile = company.rows[0];
	if (!profile) return; // document.issue refuses with its own reason
	tx.prime(
		'companyProfile',
		COMPANY_PROFILE_ID,
		JSON.parse(String(profile.data)),
		Number(profile.seq)
	);
	for (const c of customers.rows) {
		tx.prime(
			'customer',
			String(c.id),
			Number(c.deleted) ? undefined : JSON.parse(String(c.data)),
			Number(c.seq)
		);
	}
	const byCustomer = new Map<string, { rows: Record<string, unknown>[]; maxSeq: number }>();
	for (const i of items) byCustomer.set(i.customerId, { rows: [], maxSeq: 0 });
	for (const a of addresses.rows) {
		const entry = byCustomer.get(String(a.customer_id));
		if (!entry) continue;
		entry.rows.push(JSON.parse(String(a.data)));
		entry.maxSeq = Math.max(entry.maxSeq, Number(a.seq));
	}
	for (const [id, e] of byCustomer) tx.primeQuery('address', 'customerId', id, e.rows, e.maxSeq);
	for (const id of ids) tx.prime('document', id, undefined, null);
	// The chain: the batch's records go after position `last`; each looks back at the one before,
	// which for all but the first is the batch's own (not stored yet).
	const nif = (JSON.parse(String(profile.data)) as CompanyProfile).nif;
	const counter = await db.client.execute({
		sql: 'SELECT value FROM counters WHERE name = ?',
		args: [`number:verifactu:${nif}`]
	});
	const last = counter.rows[0] ? Number(counter.rows[0].value) : 0;
	for (let p = last + 1; p < last + items.length; p++) {
		tx.primeQuery('verifactuRecord', 'chainKey', `${nif}#${p}`, [], 0);
	}
}

/** An invoice `document.issue` refused (its reason): the batch is redone without it. */
class ItemRefused extends Error {
	constructor(
		readonly contractId: string,
		readonly reason: string
	) {
		super(reason);
	}
}

const issueMutator = getMutator('document.issue');

/**
 * One transaction: the batch's invoices not issued yet (another server may have issued some),
 * each created as a draft and issued by `document.issue`, and the run's progress.
 */
function issueBatch(db: Db, month: string, user: RunUser, batch: RunItem[]): Promise<number> {
	let attempt = 0;
	return writeGuarded(db, async () => {
		const now = new Date().toISOString();
		const tx = new ServerTx(db.client, {
			userId: user.id,
			userName: user.name,
			role: user.role,
			now,
			server: true
		});
		// The run left out what was invoiced when it started; only when this batch failed on the
		// (contract, month) index — another server issued some of it meanwhile — is it looked up
		// again, one lookup per contract in that index.
		const skip = new Set<string>();
		if (attempt++ > 0) {
			const done = await db.client.execute({
				sql: `SELECT g.value AS contract FROM json_each(?) g WHERE EXISTS (
					SELECT 1 FROM records WHERE entity = 'document'
					AND json_extract(data, '$.billingRun.contractId') = g.value
					AND json_extract(data, '$.billingRun.period') = ?)`,
				args: [JSON.stringify(batch.map((i) => i.contractId)), month]
			});
			for (const r of done.rows) skip.add(String(r.contract));
		}
		const todo = batch.filter((i) => !skip.has(i.contractId));
		if (!todo.length) return { stmts: [], value: 0 };
		const ids = todo.map(() => randomUUID());
		await primeBatch(db, tx, todo, ids);
		const day = madridTime(now).day;
		for (const [n, item] of todo.entries()) {
			const draft: Document = {
				id: ids[n],
				customerId: item.customerId,
				kind: 'factura',
				state: 'borrador',
				date: day,
				lines: item.lines,
				billingRun: { contractId: item.contractId, period: month },
				createdAt: now,
				updatedAt: now
			};
			await tx.put('document', draft);
			try {
				await issueMutator.apply(tx, { id: draft.id });
			} catch (e) {
				if (isAppError(e)) throw new ItemRefused(item.contractId, e.message);
				throw e;
			}
		}
		const stmts = await tx.statements('document.issue');
		stmts.push({
			sql: 'UPDATE billing_runs SET issued = issued + ?, updated_at = ? WHERE period = ?',
			args: [todo.length, now, month]
		});
		return { stmts, value: todo.length };
	});
}

export type RunOptions = {
	batchSize?: number;
	/** Stops between batches, leaving the run `running` as a kill would (tests, shutdown). */
	signal?: AbortSignal;
};

/**
 * Runs (or takes up again) the month's billing run to the end: computes the invoices, records the
 * run, and issues those not issued yet, batch by batch.
 */
export async function runBilling(
	db: Db,
	notifier: SeqNotifier,
	month: string,
	user: RunUser,
	opts: RunOptions = {}
): Promise<RunStatus> {
	return (await prepareRun(db, notifier, month, user, opts))();
}

/**
 * The first step of a run: computes the invoices and records the run (`running`, its totals and
 * what is issued already); answers the rest of the job, the batches.
 */
export async function prepareRun(
	db: Db,
	notifier: SeqNotifier,
	month: string,
	user: RunUser,
	opts: RunOptions = {}
): Promise<() => Promise<RunStatus>> {
	const size = opts.batchSize ?? RUN_BATCH;
	const now = new Date().toISOString();
	const items = billingRunItems(await runInput(db, month, madridTime(now).day));
	const ready = items.filter((i) => !i.exceptions.length);
	const totalCents = ready.reduce((s, i) => s + i.totals.totalCents, 0);
	await db.exclusive(() =>
		db.client.execute({
			sql: `INSERT INTO billing_runs (period, state, total, issued, held, total_cents, started_at,
					started_by, updated_at, finished_at, error)
				VALUES (?, 'running', ?, ${COUNT_ISSUED}, ?, ?, ?, ?, ?, NULL, NULL)
				ON CONFLICT (period) DO UPDATE SET state = 'running', total = excluded.total,
					issued = excluded.issued, held = excluded.held, total_cents = excluded.total_cents,
					updated_at = excluded.updated_at, finished_at = NULL, error = NULL`,
			args: [
				month,
				ready.length,
				month,
				items.length - ready.length,
				totalCents,
				now,
				user.name,
				now
			]
		})
	);
	const setRun = (sql: string, args: (string | number | null)[]) =>
		db.exclusive(() => db.client.execute({ sql: `UPDATE billing_runs SET ${sql}`, args }));
	return async () => {
		const invoiced = await invoicedContracts(db.client, month);
		let todo = ready.filter((i) => !invoiced.has(i.contractId));
		const refused: string[] = [];
		try {
			while (todo.length) {
				if (opts.signal?.aborted) return (await runStatus(db, month))!;
				const batch = todo.slice(0, size);
				try {
					await issueBatch(db, month, user, batch);
				} catch (e) {
					if (!(e instanceof ItemRefused)) throw e;
					// Held back like an exception; the batch is redone without it.
					const item = batch.find((i) => i.contractId === e.contractId)!;
					refused.push(`${item.customerName} · ${item.contractName}: ${e.reason}`);
					todo = todo.filter((i) => i !== item);
					await setRun(
						'held = held + 1, total = total - 1, total_cents = total_cents - ? WHERE period = ?',
						[item.totals.totalCents, month]
					);
					continue;
				}
				todo = todo.slice(batch.length);
				notifier.bump(await currentSeq(db.client));
			}
			const end = new Date().toISOString();
			await setRun(
				`state = 'done', issued = ${COUNT_ISSUED}, updated_at = ?, finished_at = ?, error = ?
				WHERE period = ?`,
				[month, end, end, refused.length ? refused.slice(0, 50).join('\n') : null, month]
			);
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			await setRun(`state = 'failed', error = ?, updated_at = ? WHERE period = ?`, [
				message.slice(0, 2000),
				new Date().toISOString(),
				month
			]);
			throw e;
		}
		return (await runStatus(db, month))!;
	};
}

/**
 * The runs of one server process: at most one job per month here (another server may run the
 * same month at once; the database keeps them from invoicing twice).
 */
export class BillingRuns {
	private readonly jobs = new Map<string, Promise<RunStatus>>();
	private readonly stop = new AbortController();

	constructor(
		private readonly db: Db,
		private readonly notifier: SeqNotifier
	) {}

	/** Starts the month's run unless this server is running it already; answers its status. */
	async start(month: string, user: RunUser): Promise<RunStatus> {
		if (!this.jobs.has(month)) {
			const company = await this.db.client.execute({
				sql: `SELECT 1 FROM records WHERE entity = 'companyProfile' AND id = ? AND deleted = 0`,
				args: [COMPANY_PROFILE_ID]
			});
			if (!company.rows.length) {
				throw new AppError(
					'conflict',
					'Faltan los datos de la empresa: un administrador debe completarlos en Configuración › Empresa',
					undefined,
					409
				);
			}
			await this.launch(month, user);
		}
		return (await runStatus(this.db, month))!;
	}

	/** Records the run (awaited) and leaves its batches running. */
	private async launch(month: string, user: RunUser): Promise<void> {
		let prepared!: () => void;
		const recorded = new Promise<void>((r) => (prepared = r));
		const job = (async () => {
			const rest = await prepareRun(this.db, this.notifier, month, user, {
				signal: this.stop.signal
			}).finally(prepared);
			return rest();
		})();
		this.jobs.set(month, job);
		job.then(
			() => this.jobs.delete(month),
			(e: unknown) => {
				this.jobs.delete(month);
				console.error(`billing run ${month} failed`, e);
			}
		);
		await recorded;
	}

	/** Takes up the runs a stopped server left `running`. */
	async resume(): Promise<void> {
		const r = await this.db.client.execute(
			"SELECT period, started_by FROM billing_runs WHERE state = 'running'"
		);
		for (const row of r.rows) {
			const month = String(row.period);
			if (this.jobs.has(month)) continue;
			// Not awaited: computing a large month's invoices must not hold the server's start.
			void this.launch(month, {
				id: 'billing-run',
				name: String(row.started_by ?? 'Facturación'),
				role: 'office'
			});
		}
	}

	/** This server's job of the month, when it runs one (tests wait for it). */
	job(month: string): Promise<RunStatus> | undefined {
		return this.jobs.get(month);
	}

	/** Stops between batches (server shutdown): the runs stay `running` for the next start. */
	async close(): Promise<void> {
		this.stop.abort();
		await Promise.all([...this.jobs.values()].map((j) => j.catch(() => undefined)));
	}
}
