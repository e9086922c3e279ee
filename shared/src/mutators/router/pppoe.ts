import { z } from 'zod';
import { AppError } from '../../protocol/errors';
import { Id } from '../../schemas/common';
import { Ipv4, PppoeAccount, ipInRanges, type IpPool } from '../../schemas/router';
import { ALL_ROLES, defineMutator, parseOrThrow, type MutatorTx } from '../types';
import { alreadyExists, customerOrThrow, notFound } from '../guards';
import { linkedTariffId } from '../contract';
import {
	OFFLINE_PROFILE,
	accountJob,
	accountOrThrow,
	compact,
	desiredSecret,
	enqueue,
	ensureOfflineProfile,
	ensureSecret,
	ensureTariffProfile,
	offlinePoolOf,
	onlineProfile,
	poolsOf,
	routerOrThrow,
	tariffOf
} from './jobs';
import { madridTime } from '../../domain/madrid';

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

/**
 * A static IP must lie in one of its router's IP pools, the offline pool aside (its addresses
 * are for accounts cut off, handed out by the router). A router with no such pool in Enlace
 * takes any address: its pools may simply not have been entered yet, and refusing every static
 * IP there would block the office for a missing setting rather than a wrong address.
 */
export function staticIpOutsidePools(ip: string, pools: readonly IpPool[]): string | undefined {
	const served = pools.filter((p) => !p.isOffline);
	if (!served.length || served.some((p) => ipInRanges(ip, p.ranges))) return undefined;
	const names = served
		.map((p) => p.name)
		.sort()
		.join(', ');
	return `La IP fija no está en ningún pool de IP de este router (${names})`;
}

/** The uniqueness and pool rules of a username and static IP on one router. */
async function checkAccount(
	tx: MutatorTx,
	args: PppoeSaveArgs,
	staticIp: string | undefined,
	existing: PppoeAccount | undefined
) {
	// RouterOS keys secrets by name: two accounts with one name on a router would overwrite
	// each other's secret; the same name on another router is a different secret.
	const sameName = await tx.findBy('pppoeAccount', 'username', args.username);
	if (sameName.some((a) => a.routerId === args.routerId && a.id !== args.id)) {
		throw alreadyExists('Ese usuario PPPoE ya existe en este router', 'username');
	}
	if (!staticIp) return;
	const sameIp = await tx.findBy('pppoeAccount', 'staticIp', staticIp);
	if (sameIp.some((a) => a.routerId === args.routerId && a.id !== args.id)) {
		throw alreadyExists('Esa IP fija ya la usa otra cuenta de este router', 'staticIp');
	}
	// Checked when the address or the router changes, so a pool edited later never blocks
	// saving an account's other fields (the router check shows what no longer fits).
	if (existing?.staticIp === staticIp && existing.routerId === args.routerId) return;
	const outside = staticIpOutsidePools(staticIp, await poolsOf(tx, args.routerId));
	if (outside) throw new AppError('invalid-field', outside, 'staticIp');
}

/** "Guardar Secret": create or update the account, and (server) the job that writes the secret. */
export const pppoeSave = defineMutator({
	name: 'pppoe.save',
	args: PppoeSaveArgs,
	roles: ALL_ROLES,
	async apply(tx, args) {
		await customerOrThrow(tx, args.customerId);
		await routerOrThrow(tx, args.routerId, 'routerId');
		const existing = await tx.get('pppoeAccount', args.id);
		if (existing && existing.customerId !== args.customerId) {
			throw new AppError('conflict', 'La cuenta PPPoE es de otro cliente', 'customerId', 409);
		}
		// An account linked to a tariff assignment takes its tariff from it (mutators/contract.ts).
		const linked = await linkedTariffId(tx, args, madridTime(tx.ctx.now).day);
		const tariffId =
			linked !== undefined
				? (linked ?? undefined)
				: args.tariffId === undefined
					? existing?.tariffId
					: (args.tariffId ?? undefined);
		const tariff = tariffId ? await tx.get('tariff', tariffId) : undefined;
		if (tariffId && !tariff) throw notFound('La tarifa', 'tariffId');
		const staticIp =
			args.staticIp === undefined ? existing?.staticIp : (args.staticIp ?? undefined);
		await checkAccount(tx, args, staticIp, existing);

		// Offline mode belongs to a router (its offline pool): moving to another router ends it.
		const offline = !!existing?.offline && existing.routerId === args.routerId;
		const profile = offline && existing ? existing.profile : onlineProfile(tariff);
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
		if (existing && renamed) await accountJob(tx, existing, 'secret.remove');
		if (!offline) await ensureTariffProfile(tx, row.routerId, tariff);
		// A live session keeps its old password, profile and address until it reconnects.
		let kick = false;
		if (existing && !renamed) {
			const [was, now] = [await desiredSecret(tx, existing), await desiredSecret(tx, row)];
			kick =
				existing.password !== row.password ||
				(['profile', 'remoteAddress'] as const).some((k) => was[k] !== now[k]);
		}
		await ensureSecret(tx, row, kick);
	}
});

/** Refused when a router has no suspension pool to put a suspended account in. */
export const noOfflinePool = () =>
	new AppError(
		'no-offline-pool',
		'Este router no tiene pool de suspensión: márquelo en Configuración › Routers',
		'offline',
		409
	);

/**
 * Suspend (offline mode: the router's suspension profile and pool) or reactivate one account, and
 * (server) the jobs that bring its secret there. `action` names the jobs in Historial. Shared by
 * "Suspender servicio" / "Reactivar servicio" and a customer's state change (customer.setState).
 */
export async function setOfflineMode(
	tx: MutatorTx,
	account: PppoeAccount,
	offline: boolean,
	action = offline ? 'Suspender servicio' : 'Reactivar servicio'
): Promise<void> {
	const router = await routerOrThrow(tx, account.routerId, 'routerId');
	if (offline) {
		const pool = await offlinePoolOf(tx, router.id);
		if (!pool) throw noOfflinePool();
		const profile = router.offlineProfile ?? OFFLINE_PROFILE;
		const next = { ...account, offline: true, profile, updatedAt: tx.ctx.now };
		await tx.put('pppoeAccount', next);
		await ensureOfflineProfile(tx, router.id, pool, profile);
		await ensureSecret(tx, next, true, action);
		return;
	}
	const tariff = await tariffOf(tx, account);
	const next = {
		...account,
		offline: false,
		profile: onlineProfile(tariff),
		updatedAt: tx.ctx.now
	};
	await tx.put('pppoeAccount', next);
	await ensureTariffProfile(tx, router.id, tariff);
	await ensureSecret(tx, next, true, action);
}

/** "Suspender servicio" (the offline profile and pool) and "Reactivar servicio". */
export const pppoeSetOffline = defineMutator({
	name: 'pppoe.setOffline',
	args: z.object({ id: Id, offline: z.boolean() }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { id, offline }) {
		await setOfflineMode(tx, await accountOrThrow(tx, id), offline);
	}
});

/** "Reiniciar sesión": the client re-authenticates with whatever the secret now says. */
export const pppoeKick = defineMutator({
	name: 'pppoe.kick',
	args: z.object({ id: Id }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { id }) {
		await accountJob(tx, await accountOrThrow(tx, id), 'session.kick');
	}
});

/** The address of the account's live session on its own router, if it is online. */
async function sessionAddress(tx: MutatorTx, a: PppoeAccount): Promise<string | undefined> {
	const seen = [
		...(await tx.findBy('cmiStatus', 'accountId', a.id)),
		...(await tx.findBy('cmiStatus', 'username', a.username))
	];
	return seen.find((s) => s.routerId === a.routerId && s.online && s.address)?.address;
}

/**
 * Where a ping goes: the address asked for, which must be the account's own (its static IP or its
 * live session's: the router pings from inside the ISP's network, so it is no general ping tool);
 * else the live session's address, else the static IP; none: not online.
 */
async function pingAddress(
	tx: MutatorTx,
	a: PppoeAccount,
	asked: string | undefined
): Promise<string | undefined> {
	const live = await sessionAddress(tx, a);
	if (asked !== undefined) {
		if (asked === a.staticIp || asked === live) return asked;
		throw new AppError(
			'forbidden',
			'Solo se puede hacer ping a la dirección de la cuenta: su IP fija o la de su sesión',
			'address',
			403
		);
	}
	if (live) return live;
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
		const target = await pingAddress(tx, a, address);
		if (!target) {
			throw new AppError(
				'not-online',
				'La cuenta no tiene sesión activa ni IP fija: no hay dirección a la que hacer ping',
				'address',
				409
			);
		}
		await accountJob(tx, a, 'ping', { address: target, count: count ?? 4 });
	}
});

/** The account row goes, and (server) the job that removes its secret from the router. */
export async function deleteAccount(tx: MutatorTx, a: PppoeAccount, action?: string) {
	await tx.del('pppoeAccount', a.id);
	await enqueue(tx, {
		routerId: a.routerId,
		kind: 'secret.remove',
		payload: { name: a.username },
		customerId: a.customerId,
		accountId: a.id,
		action
	});
}

export const pppoeDelete = defineMutator({
	name: 'pppoe.delete',
	args: z.object({ id: Id }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { id }) {
		const a = await tx.get('pppoeAccount', id);
		// Already gone: the end state asked for holds, and its removal job was queued back then.
		if (a) await deleteAccount(tx, a);
	}
});
