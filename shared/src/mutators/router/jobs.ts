import {
	JOB_KIND_LABELS,
	Router,
	mikrotikProfile,
	type IpPool,
	type JobKind,
	type PppoeAccount,
	type RouterJob,
	type Tariff
} from '../../schemas/router';
import { type MutatorTx } from '../types';
import { notFound } from '../guards';

/**
 * What the router mutators share: the reads they all need and the jobs they queue. Each mutator
 * writes the desired state (tariffs, pools, PPPoE accounts) on the device and on the server
 * alike; only the server run adds the jobs that bring the routers to that state, because job
 * order and numbering are the server's to decide.
 */

/**
 * The PPP profile of a suspended service ("Suspender servicio") on every router; its remote address
 * is the suspension pool. The name predates the wording and stays: routers already hold it.
 */
export const OFFLINE_PROFILE = 'enlace-sin-conexion';
/** RouterOS's own profile, used by accounts without a tariff. */
export const DEFAULT_PROFILE = 'default';

type JobSpec = {
	routerId: string;
	kind: JobKind;
	payload: Record<string, unknown>;
	customerId?: string;
	accountId?: string;
	action?: string;
};

/** JSON drops undefined keys anyway; dropping them here keeps both runs' rows identical. */
export const compact = <T extends Record<string, unknown>>(o: T): T =>
	Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Server only: append a job to its router's queue. On a device this does nothing. */
export async function enqueue(tx: MutatorTx, spec: JobSpec): Promise<void> {
	if (!tx.ctx.server) return;
	const job: RouterJob = compact({
		id: globalThis.crypto.randomUUID(),
		routerId: spec.routerId,
		customerId: spec.customerId,
		accountId: spec.accountId,
		kind: spec.kind,
		payload: compact(spec.payload),
		state: 'queued' as const,
		attempts: 0,
		createdAt: tx.ctx.now,
		updatedAt: tx.ctx.now,
		requestedBy: tx.ctx.userId,
		n: await tx.nextNumber('job'),
		action: spec.action ?? JOB_KIND_LABELS[spec.kind]
	});
	await tx.put('routerJob', job);
}

/** A job about one account's secret or session (`secret.remove`, `session.kick`, `ping`). */
export const accountJob = (
	tx: MutatorTx,
	a: PppoeAccount,
	kind: JobKind,
	payload: Record<string, unknown> = { name: a.username }
) =>
	enqueue(tx, { routerId: a.routerId, kind, payload, customerId: a.customerId, accountId: a.id });

/**
 * Every router the server knows. MutatorTx has no "all rows" read, but a router is always in one
 * of its states, so asking per state (from the schema, so a new state is not missed) covers them.
 */
export async function allRouters(tx: MutatorTx): Promise<Router[]> {
	const found: Router[] = [];
	for (const state of Router.shape.state.options) {
		found.push(...(await tx.findBy('router', 'state', state)));
	}
	return found.sort((a, b) => a.id.localeCompare(b.id));
}

export async function routerOrThrow(tx: MutatorTx, id: string, field?: string): Promise<Router> {
	const router = await tx.get('router', id);
	if (!router) throw notFound('El router', field);
	return router;
}

/** The reads the job payloads need: what a mutation's tx and the server's claim both offer. */
export type RowReader = Pick<MutatorTx, 'get' | 'findBy'>;

export async function accountOrThrow(tx: MutatorTx, id: string): Promise<PppoeAccount> {
	const account = await tx.get('pppoeAccount', id);
	if (!account) throw notFound('La cuenta PPPoE');
	return account;
}

export async function poolsOf(tx: RowReader, routerId: string): Promise<IpPool[]> {
	return tx.findBy('ipPool', 'routerId', routerId);
}

export async function offlinePoolOf(tx: MutatorTx, routerId: string): Promise<IpPool | undefined> {
	return (await poolsOf(tx, routerId)).find((p) => p.isOffline);
}

/** A secret's remote address: offline mode hands out one from the offline pool, and a static one would bypass it. */
export const secretAddress = (a: Pick<PppoeAccount, 'offline' | 'staticIp'>) =>
	a.offline ? undefined : a.staticIp;

/**
 * The secret as the router must hold it, as the synced job row keeps it: the "secret.ensure"
 * payload (see protocol/agent.ts) without the password, which the server adds from the account
 * when an agent claims the job (agent-payload.ts). Job rows reach every device; they never carry
 * a password.
 */
export async function desiredSecret(
	tx: RowReader,
	a: PppoeAccount
): Promise<Record<string, unknown>> {
	const customer = await tx.get('customer', a.customerId);
	return compact({
		name: a.username,
		profile: a.profile,
		remoteAddress: secretAddress(a),
		comment: customer ? `${customer.code} ${customer.name}`.trim().slice(0, 255) : undefined
	});
}

export async function ensureSecret(tx: MutatorTx, a: PppoeAccount, kick: boolean, action?: string) {
	if (!tx.ctx.server) return;
	const payload = await desiredSecret(tx, a);
	await enqueue(tx, {
		routerId: a.routerId,
		kind: 'secret.ensure',
		payload: kick ? { ...payload, kick: true } : payload,
		customerId: a.customerId,
		accountId: a.id,
		action
	});
}

/** A tariff's PPP profile on one router (cheap and idempotent, so queued whenever it may matter). */
export async function ensureProfile(
	tx: MutatorTx,
	routerId: string,
	tariff: Pick<Tariff, 'name' | 'downloadMbps' | 'uploadMbps'>
) {
	const p = mikrotikProfile(tariff);
	await enqueue(tx, {
		routerId,
		kind: 'profile.ensure',
		payload: { name: p.name, rateLimit: p.rateLimit }
	});
}

/** A secret names a profile, so the profile must exist on that router first. */
export async function ensureTariffProfile(
	tx: MutatorTx,
	routerId: string,
	tariff: Tariff | undefined
) {
	if (tariff) await ensureProfile(tx, routerId, tariff);
}

export async function ensureOfflineProfile(
	tx: MutatorTx,
	routerId: string,
	pool: IpPool,
	name: string
) {
	await enqueue(tx, {
		routerId,
		kind: 'profile.ensure',
		payload: { name, remoteAddress: pool.name }
	});
}

export async function tariffOf(tx: RowReader, a: Pick<PppoeAccount, 'tariffId'>) {
	return a.tariffId ? tx.get('tariff', a.tariffId) : undefined;
}

/** The profile an account online (not in offline mode) uses: its tariff's, else the default. */
export const onlineProfile = (tariff: Tariff | undefined) =>
	tariff ? mikrotikProfile(tariff).name : DEFAULT_PROFILE;
