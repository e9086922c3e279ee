import { z } from 'zod';
import { AppError } from '../protocol/errors';
import { Id } from '../schemas/common';
import {
	IpPool,
	Ipv4,
	PppoeAccount,
	Router,
	Tariff,
	mikrotikProfile,
	type JobKind,
	type RouterJob
} from '../schemas/router';
import { crudMutators } from './crud';
import {
	ADMIN_ONLY,
	ALL_ROLES,
	OFFICE_ROLES,
	defineMutator,
	notFound,
	parseOrThrow,
	type Mutator,
	type MutatorTx
} from './types';

/**
 * Router work (DESIGN.md "Router work"). Each mutator writes the desired state (tariffs, pools,
 * PPPoE accounts) on the device and on the server alike; only the server run adds the jobs that
 * bring the routers to that state, because job order and numbering are the server's to decide.
 */

/**
 * The PPP profile of a suspended service ("Suspender servicio") on every router; its remote address
 * is the suspension pool. The name predates the wording and stays: routers already hold it.
 */
export const OFFLINE_PROFILE = 'enlace-sin-conexion';
/** RouterOS's own profile, used by accounts without a tariff. */
export const DEFAULT_PROFILE = 'default';
/** What Historial shows in place of a password, old and new. */
export const MASKED_SECRET = '••••';

/** How each kind of job reads in Historial and the job list when no more specific action is set. */
export const JOB_KIND_LABELS: Record<JobKind, string> = {
	'secret.ensure': 'Guardar Secret',
	'secret.remove': 'Eliminar secret',
	'session.kick': 'Reiniciar sesión',
	ping: 'Ping',
	'profile.ensure': 'Perfil PPP',
	'pool.ensure': 'Pool de IP',
	'pool.remove': 'Eliminar pool de IP',
	'router.check': 'Comprobar router'
};

type JobSpec = {
	routerId: string;
	kind: JobKind;
	payload: Record<string, unknown>;
	customerId?: string;
	accountId?: string;
	action?: string;
};

/** JSON drops undefined keys anyway; dropping them here keeps both runs' rows identical. */
const compact = <T extends Record<string, unknown>>(o: T): T =>
	Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Server only: append a job to its router's queue. On a device this does nothing. */
async function enqueue(tx: MutatorTx, spec: JobSpec): Promise<void> {
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

/**
 * Every router the server knows. MutatorTx has no "all rows" read, but a router is always in one
 * of its states, so asking per state (from the schema, so a new state is not missed) covers them.
 */
async function allRouters(tx: MutatorTx): Promise<Router[]> {
	const found: Router[] = [];
	for (const state of Router.shape.state.options) {
		found.push(...(await tx.findBy('router', 'state', state)));
	}
	return found.sort((a, b) => a.id.localeCompare(b.id));
}

async function routerOrThrow(tx: MutatorTx, id: string, field?: string): Promise<Router> {
	const router = await tx.get('router', id);
	if (!router) throw notFound('El router', field);
	return router;
}

async function accountOrThrow(tx: MutatorTx, id: string): Promise<PppoeAccount> {
	const account = await tx.get('pppoeAccount', id);
	if (!account) throw notFound('La cuenta PPPoE');
	return account;
}

async function offlinePoolOf(tx: MutatorTx, routerId: string): Promise<IpPool | undefined> {
	return (await tx.findBy('ipPool', 'routerId', routerId)).find((p) => p.isOffline);
}

/** The secret as the router must hold it ("secret.ensure" payload, see protocol/agent.ts). */
async function desiredSecret(tx: MutatorTx, a: PppoeAccount): Promise<Record<string, unknown>> {
	const customer = await tx.get('customer', a.customerId);
	return compact({
		name: a.username,
		password: a.password,
		profile: a.profile,
		// Offline mode hands out an address from the offline pool: a static one would bypass it.
		remoteAddress: a.offline ? undefined : a.staticIp,
		comment: customer ? `${customer.code} ${customer.name}`.trim().slice(0, 255) : undefined
	});
}

async function ensureSecret(tx: MutatorTx, a: PppoeAccount, kick: boolean, action?: string) {
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

/** A secret names a profile, so the profile must exist on that router first (cheap, idempotent). */
async function ensureTariffProfile(tx: MutatorTx, routerId: string, tariff: Tariff | undefined) {
	if (!tariff) return;
	const p = mikrotikProfile(tariff);
	await enqueue(tx, {
		routerId,
		kind: 'profile.ensure',
		payload: { name: p.name, rateLimit: p.rateLimit }
	});
}

async function ensureOfflineProfile(tx: MutatorTx, routerId: string, pool: IpPool, name: string) {
	await enqueue(tx, {
		routerId,
		kind: 'profile.ensure',
		payload: { name, remoteAddress: pool.name }
	});
}

async function tariffOf(tx: MutatorTx, a: Pick<PppoeAccount, 'tariffId'>) {
	return a.tariffId ? tx.get('tariff', a.tariffId) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Tariffs

const tariffCrud = crudMutators({
	entity: 'tariff',
	noun: 'La tarifa',
	object: Tariff,
	roles: OFFICE_ROLES
});

/**
 * After a tariff is written: its profile on every router when the profile changed; a renamed
 * profile also moves the accounts on that tariff to the new name (and kicks them, like any
 * profile change). A speed change alone updates the profile in place: sessions pick the new
 * limit up when they reconnect, rather than cutting every customer on the tariff at once.
 */
async function tariffWritten(tx: MutatorTx, before: Tariff | undefined, after: Tariff) {
	const next = mikrotikProfile(after);
	const prev = before ? mikrotikProfile(before) : undefined;
	if (prev && prev.name === next.name && prev.rateLimit === next.rateLimit) return;
	if (tx.ctx.server) {
		for (const r of await allRouters(tx)) {
			await enqueue(tx, {
				routerId: r.id,
				kind: 'profile.ensure',
				payload: { name: next.name, rateLimit: next.rateLimit }
			});
		}
	}
	if (!prev || prev.name === next.name) return;
	const accounts = await tx.findBy('pppoeAccount', 'tariffId', after.id);
	for (const a of accounts.sort((x, y) => x.id.localeCompare(y.id))) {
		if (a.offline) continue;
		const moved: PppoeAccount = { ...a, profile: next.name, updatedAt: tx.ctx.now };
		await tx.put('pppoeAccount', moved);
		await ensureSecret(tx, moved, true);
	}
}

const [tariffCreateBase, tariffUpdateBase, tariffDeleteBase] = tariffCrud;

const tariffCreate: Mutator = {
	...tariffCreateBase,
	async apply(tx, args) {
		const id = (args as { id: string }).id;
		const before = await tx.get('tariff', id);
		await tariffCreateBase.apply(tx, args);
		const after = await tx.get('tariff', id);
		if (after) await tariffWritten(tx, before, after);
	}
};

const tariffUpdate: Mutator = {
	...tariffUpdateBase,
	async apply(tx, args) {
		const id = (args as { id: string }).id;
		const before = await tx.get('tariff', id);
		await tariffUpdateBase.apply(tx, args);
		const after = await tx.get('tariff', id);
		if (after) await tariffWritten(tx, before, after);
	}
};

const tariffDelete: Mutator = {
	...tariffDeleteBase,
	async apply(tx, args) {
		const id = (args as { id: string }).id;
		// An account whose tariff vanished could no longer be saved or brought back online.
		const users = await tx.findBy('pppoeAccount', 'tariffId', id);
		if (users.length) {
			throw new AppError(
				'in-use',
				`La tarifa está asignada a ${users.length} cuenta(s) PPPoE: cámbielas antes de eliminarla`,
				undefined,
				409
			);
		}
		await tariffDeleteBase.apply(tx, args);
	}
};

// ---------------------------------------------------------------------------------------------
// IP pools

const poolCrud = crudMutators({
	entity: 'ipPool',
	noun: 'El pool de IP',
	object: IpPool,
	roles: ADMIN_ONLY,
	async check(tx, row) {
		await routerOrThrow(tx, row.routerId, 'routerId');
		const clash = (await tx.findBy('ipPool', 'routerId', row.routerId)).find(
			(p) => p.id !== row.id && p.name === row.name
		);
		if (clash) {
			throw new AppError(
				'already-exists',
				'Ya hay un pool con ese nombre en este router',
				'name',
				409
			);
		}
	}
});

async function setOfflineProfile(tx: MutatorTx, routerId: string, name: string | undefined) {
	const router = await tx.get('router', routerId);
	if (!router || router.offlineProfile === name) return;
	const next: Router = { ...router };
	if (name) next.offlineProfile = name;
	else delete next.offlineProfile;
	await tx.put('router', next);
}

/**
 * After a pool is written or removed: one offline pool per router (marking one un-marks the
 * other), the router's offline profile follows it, and the jobs run in an order the router
 * accepts: the new pool, then the profile that points at it, then the removal of the old pool.
 */
async function poolWritten(tx: MutatorTx, before: IpPool | undefined, after: IpPool | undefined) {
	const moved =
		!!before && (!after || before.routerId !== after.routerId || before.name !== after.name);
	if (after && (!before || moved || before.ranges !== after.ranges)) {
		await enqueue(tx, {
			routerId: after.routerId,
			kind: 'pool.ensure',
			payload: { name: after.name, ranges: after.ranges }
		});
	}
	if (after?.isOffline) {
		const others = await tx.findBy('ipPool', 'routerId', after.routerId);
		for (const p of others.sort((x, y) => x.id.localeCompare(y.id))) {
			if (p.id === after.id || !p.isOffline) continue;
			await tx.put('ipPool', { ...p, isOffline: false, updatedAt: tx.ctx.now });
		}
		const router = await tx.get('router', after.routerId);
		const profile = router?.offlineProfile ?? OFFLINE_PROFILE;
		await setOfflineProfile(tx, after.routerId, profile);
		if (!before?.isOffline || moved) await ensureOfflineProfile(tx, after.routerId, after, profile);
	}
	if (before?.isOffline && (!after?.isOffline || before.routerId !== after.routerId)) {
		if (!(await offlinePoolOf(tx, before.routerId))) {
			await setOfflineProfile(tx, before.routerId, undefined);
		}
	}
	if (before && moved) {
		await enqueue(tx, {
			routerId: before.routerId,
			kind: 'pool.remove',
			payload: { name: before.name }
		});
	}
}

const [poolCreateBase, poolUpdateBase, poolDeleteBase] = poolCrud;

const poolCreate: Mutator = {
	...poolCreateBase,
	async apply(tx, args) {
		const id = (args as { id: string }).id;
		const before = await tx.get('ipPool', id);
		await poolCreateBase.apply(tx, args);
		await poolWritten(tx, before, await tx.get('ipPool', id));
	}
};

const poolUpdate: Mutator = {
	...poolUpdateBase,
	async apply(tx, args) {
		const id = (args as { id: string }).id;
		const before = await tx.get('ipPool', id);
		await poolUpdateBase.apply(tx, args);
		await poolWritten(tx, before, await tx.get('ipPool', id));
	}
};

const poolDelete: Mutator = {
	...poolDeleteBase,
	async apply(tx, args) {
		const id = (args as { id: string }).id;
		const before = await tx.get('ipPool', id);
		await poolDeleteBase.apply(tx, args);
		if (before) await poolWritten(tx, before, undefined);
	}
};

// ---------------------------------------------------------------------------------------------
// PPPoE accounts

export const PppoeSaveArgs = z
	.object({
		id: Id,
		customerId: Id,
		routerId: Id,
		username: PppoeAccount.shape.username,
		password: PppoeAccount.shape.password,
		/** Absent: keep the account's; null: no tariff (RouterOS default profile). */
		tariffId: Id.nullable().optional(),
		/** Absent: keep the account's; null: clear it. */
		staticIp: Ipv4.nullable().optional()
	})
	.strict();
export type PppoeSaveArgs = z.infer<typeof PppoeSaveArgs>;

/** "Guardar Secret": create or update the account, and (server) the job that writes the secret. */
export const pppoeSave = defineMutator({
	name: 'pppoe.save',
	args: PppoeSaveArgs,
	roles: ALL_ROLES,
	async apply(tx, args) {
		if (!(await tx.get('customer', args.customerId))) throw notFound('El cliente', 'customerId');
		await routerOrThrow(tx, args.routerId, 'routerId');
		const existing = await tx.get('pppoeAccount', args.id);
		if (existing && existing.customerId !== args.customerId) {
			throw new AppError('conflict', 'La cuenta PPPoE es de otro cliente', 'customerId', 409);
		}
		const tariffId =
			args.tariffId === undefined ? existing?.tariffId : (args.tariffId ?? undefined);
		const tariff = tariffId ? await tx.get('tariff', tariffId) : undefined;
		if (tariffId && !tariff) throw notFound('La tarifa', 'tariffId');
		const staticIp =
			args.staticIp === undefined ? existing?.staticIp : (args.staticIp ?? undefined);

		// RouterOS keys secrets by name: two accounts with one name on a router would overwrite
		// each other's secret; the same name on another router is a different secret.
		const sameName = await tx.findBy('pppoeAccount', 'username', args.username);
		if (sameName.some((a) => a.routerId === args.routerId && a.id !== args.id)) {
			throw new AppError(
				'already-exists',
				'Ese usuario PPPoE ya existe en este router',
				'username',
				409
			);
		}
		if (staticIp) {
			const sameIp = await tx.findBy('pppoeAccount', 'staticIp', staticIp);
			if (sameIp.some((a) => a.routerId === args.routerId && a.id !== args.id)) {
				throw new AppError(
					'already-exists',
					'Esa IP fija ya la usa otra cuenta de este router',
					'staticIp',
					409
				);
			}
		}

		// Offline mode belongs to a router (its offline pool): moving to another router ends it.
		const offline = !!existing?.offline && existing.routerId === args.routerId;
		const profile =
			offline && existing
				? existing.profile
				: tariff
					? mikrotikProfile(tariff).name
					: DEFAULT_PROFILE;
		const row = parseOrThrow(
			PppoeAccount,
			compact({
				id: args.id,
				customerId: args.customerId,
				routerId: args.routerId,
				username: args.username,
				password: args.password,
				tariffId,
				profile,
				staticIp,
				offline,
				createdAt: existing?.createdAt ?? tx.ctx.now,
				updatedAt: tx.ctx.now
			})
		);
		await tx.put('pppoeAccount', row);
		if (!tx.ctx.server) return;

		const renamed =
			!!existing && (existing.routerId !== row.routerId || existing.username !== row.username);
		if (existing && renamed) {
			await enqueue(tx, {
				routerId: existing.routerId,
				kind: 'secret.remove',
				payload: { name: existing.username },
				customerId: existing.customerId,
				accountId: existing.id
			});
		}
		if (!offline) await ensureTariffProfile(tx, row.routerId, tariff);
		// A live session keeps its old password, profile and address until it reconnects.
		let kick = false;
		if (existing && !renamed) {
			const [was, now] = [await desiredSecret(tx, existing), await desiredSecret(tx, row)];
			kick = (['password', 'profile', 'remoteAddress'] as const).some((k) => was[k] !== now[k]);
		}
		await ensureSecret(tx, row, kick);
	}
});

/** "Suspender servicio" (the offline profile and pool) and "Reactivar servicio". */
export const pppoeSetOffline = defineMutator({
	name: 'pppoe.setOffline',
	args: z.object({ id: Id, offline: z.boolean() }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { id, offline }) {
		const account = await accountOrThrow(tx, id);
		const router = await routerOrThrow(tx, account.routerId, 'routerId');
		let next: PppoeAccount;
		if (offline) {
			const pool = await offlinePoolOf(tx, router.id);
			if (!pool) {
				throw new AppError(
					'no-offline-pool',
					'Este router no tiene pool de suspensión: márquelo en Configuración › Routers',
					'offline',
					409
				);
			}
			const profile = router.offlineProfile ?? OFFLINE_PROFILE;
			next = { ...account, offline: true, profile, updatedAt: tx.ctx.now };
			await tx.put('pppoeAccount', next);
			await ensureOfflineProfile(tx, router.id, pool, profile);
			await ensureSecret(tx, next, true, 'Suspender servicio');
			return;
		}
		const tariff = await tariffOf(tx, account);
		const profile = tariff ? mikrotikProfile(tariff).name : DEFAULT_PROFILE;
		next = { ...account, offline: false, profile, updatedAt: tx.ctx.now };
		await tx.put('pppoeAccount', next);
		await ensureTariffProfile(tx, router.id, tariff);
		await ensureSecret(tx, next, true, 'Reactivar servicio');
	}
});

/** "Reiniciar sesión": the client re-authenticates with whatever the secret now says. */
export const pppoeKick = defineMutator({
	name: 'pppoe.kick',
	args: z.object({ id: Id }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { id }) {
		const a = await accountOrThrow(tx, id);
		await enqueue(tx, {
			routerId: a.routerId,
			kind: 'session.kick',
			payload: { name: a.username },
			customerId: a.customerId,
			accountId: a.id
		});
	}
});

/** Where a ping goes: the live session's address, else the static IP; none: not online. */
async function pingAddress(tx: MutatorTx, a: PppoeAccount): Promise<string | undefined> {
	const seen = [
		...(await tx.findBy('cmiStatus', 'accountId', a.id)),
		...(await tx.findBy('cmiStatus', 'username', a.username))
	];
	const live = seen.find((s) => s.routerId === a.routerId && s.online && s.address);
	if (live?.address) return live.address;
	return a.offline ? undefined : a.staticIp;
}

export const pppoePing = defineMutator({
	name: 'pppoe.ping',
	args: z
		.object({
			id: Id,
			count: z.number().int().min(1).max(20).optional(),
			address: Ipv4.optional()
		})
		.strict(),
	roles: ALL_ROLES,
	async apply(tx, { id, count, address }) {
		const a = await accountOrThrow(tx, id);
		const target = address ?? (await pingAddress(tx, a));
		if (!target) {
			throw new AppError(
				'not-online',
				'La cuenta no tiene sesión activa ni IP fija: no hay dirección a la que hacer ping',
				'address',
				409
			);
		}
		await enqueue(tx, {
			routerId: a.routerId,
			kind: 'ping',
			payload: { address: target, count: count ?? 4 },
			customerId: a.customerId,
			accountId: a.id
		});
	}
});

export const pppoeDelete = defineMutator({
	name: 'pppoe.delete',
	args: z.object({ id: Id }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { id }) {
		const a = await tx.get('pppoeAccount', id);
		// Already gone: the end state asked for holds, and its removal job was queued back then.
		if (!a) return;
		await tx.del('pppoeAccount', id);
		await enqueue(tx, {
			routerId: a.routerId,
			kind: 'secret.remove',
			payload: { name: a.username },
			customerId: a.customerId,
			accountId: a.id
		});
	}
});

// ---------------------------------------------------------------------------------------------
// Whole routers

async function accountsOf(tx: MutatorTx, routerId: string): Promise<PppoeAccount[]> {
	const rows = await tx.findBy('pppoeAccount', 'routerId', routerId);
	return rows.sort((a, b) => a.username.localeCompare(b.username));
}

/** Compare the router with what Enlace says it should hold; the agent reports the drift. */
export const routerCheck = defineMutator({
	name: 'router.check',
	args: z.object({ routerId: Id }).strict(),
	roles: OFFICE_ROLES,
	async apply(tx, { routerId }) {
		await routerOrThrow(tx, routerId, 'routerId');
		if (!tx.ctx.server) return;
		const accounts = [];
		for (const a of await accountsOf(tx, routerId)) {
			const s = await desiredSecret(tx, a);
			accounts.push(
				compact({
					name: a.username,
					password: a.password,
					profile: a.profile,
					remoteAddress: s.remoteAddress
				})
			);
		}
		await enqueue(tx, { routerId, kind: 'router.check', payload: { accounts } });
	}
});

/** Write the desired secrets again (all of the router's, or the ones given), profiles first. */
export const routerReapply = defineMutator({
	name: 'router.reapply',
	args: z.object({ routerId: Id, accountIds: z.array(Id).min(1).max(10_000).optional() }).strict(),
	roles: OFFICE_ROLES,
	async apply(tx, { routerId, accountIds }) {
		await routerOrThrow(tx, routerId, 'routerId');
		let accounts = await accountsOf(tx, routerId);
		if (accountIds) {
			const wanted = new Set(accountIds);
			const known = new Set(accounts.map((a) => a.id));
			if ([...wanted].some((id) => !known.has(id))) {
				throw notFound('Alguna de las cuentas PPPoE de este router', 'accountIds');
			}
			accounts = accounts.filter((a) => wanted.has(a.id));
		}
		if (!tx.ctx.server) return;
		const profiles = new Set<string>();
		const pool = await offlinePoolOf(tx, routerId);
		for (const a of accounts) {
			if (profiles.has(a.profile)) continue;
			profiles.add(a.profile);
			if (a.offline) {
				if (pool) await ensureOfflineProfile(tx, routerId, pool, a.profile);
				continue;
			}
			const tariff = await tariffOf(tx, a);
			if (tariff && mikrotikProfile(tariff).name === a.profile) {
				await ensureTariffProfile(tx, routerId, tariff);
			}
		}
		for (const a of accounts) await ensureSecret(tx, a, false, 'Reaplicar secret');
	}
});

export const routerMutators: Mutator[] = [
	tariffCreate,
	tariffUpdate,
	tariffDelete,
	poolCreate,
	poolUpdate,
	poolDelete,
	pppoeSave as Mutator,
	pppoeSetOffline as Mutator,
	pppoeKick as Mutator,
	pppoePing as Mutator,
	pppoeDelete as Mutator,
	routerCheck as Mutator,
	routerReapply as Mutator
];
