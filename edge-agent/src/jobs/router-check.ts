/**
 * `router.check` { accounts, pools?, profiles? }: read-only drift report between what Enlace
 * manages and the router: the PPPoE secrets, and (when the payload lists them) the IP pools and
 * the PPP profiles (tariffs and suspension) the secrets depend on. It never writes: fixing drift
 * is a decision for a person ("Reaplicar"), and secrets Enlace does not manage are only listed,
 * never touched. Pools and profiles Enlace does not manage are not listed:
 * every router has its own (`default`, `default-encryption`, the operator's).
 */
import type { z } from 'zod';
import { JobPayloads } from '@enlace/shared/protocol/agent';
import type { DriftReport, ObjectDrift } from '@enlace/shared/schemas/router';
import type { RouterOsRow } from '../routeros/client';
import { normalizeRanges } from './pool';
import { defineHandler, type RouterOs } from './types';

/** A full print of a big router can take a while; give it more than one ordinary command. */
const FULL_PRINT_MIN_MS = 60_000;

type Payload = z.infer<typeof JobPayloads.routerCheck>;

/** Payload field → RouterOS property of a profile, compared only when the payload gives it. */
const PROFILE_PROPS = {
	rateLimit: 'rate-limit',
	localAddress: 'local-address',
	remoteAddress: 'remote-address'
} as const;

async function printByName(
	ros: RouterOs,
	menu: string,
	proplist: string[],
	timeoutMs: number
): Promise<Map<string, RouterOsRow>> {
	const rows = await ros.print(menu, { proplist: ['name', ...proplist] }, { timeoutMs });
	return new Map(rows.flatMap((row) => (row.name === undefined ? [] : [[row.name, row]])));
}

function poolDrift(wanted: NonNullable<Payload['pools']>, onRouter: Map<string, RouterOsRow>) {
	const drift: ObjectDrift = { missing: [], different: [] };
	for (const pool of wanted) {
		const row = onRouter.get(pool.name);
		if (!row) drift.missing.push(pool.name);
		else if (normalizeRanges(row.ranges ?? '') !== normalizeRanges(pool.ranges)) {
			drift.different.push({ name: pool.name, fields: ['ranges'] });
		}
	}
	return drift;
}

function profileDrift(
	wanted: NonNullable<Payload['profiles']>,
	onRouter: Map<string, RouterOsRow>
) {
	const drift: ObjectDrift = { missing: [], different: [] };
	for (const profile of wanted) {
		const row = onRouter.get(profile.name);
		if (!row) {
			drift.missing.push(profile.name);
			continue;
		}
		const fields = Object.entries(PROFILE_PROPS)
			.filter(([field, prop]) => {
				const value = profile[field as keyof typeof PROFILE_PROPS];
				return value !== undefined && (row[prop] ?? '') !== value;
			})
			.map(([field]) => field);
		if (fields.length > 0) drift.different.push({ name: profile.name, fields });
	}
	return drift;
}

export const routerCheck = defineHandler({
	payload: JobPayloads.routerCheck,
	async run({ ros, commandTimeoutMs }, { accounts, pools, profiles }): Promise<DriftReport> {
		const timeoutMs = Math.max(commandTimeoutMs, FULL_PRINT_MIN_MS);
		const rows = await ros.print(
			'/ppp/secret',
			{ proplist: ['name', 'password', 'profile', 'remote-address'] },
			{ timeoutMs }
		);
		const onRouter = new Map(rows.map((row) => [row.name, row]));
		const wanted = new Set(accounts.map((a) => a.name));
		const missing: string[] = [];
		const different: DriftReport['different'] = [];
		for (const account of accounts) {
			const row = onRouter.get(account.name);
			if (!row) {
				missing.push(account.name);
				continue;
			}
			const fields: string[] = [];
			// An API user without the `sensitive` policy gets no passwords: nothing to compare.
			if (row.password !== undefined && row.password !== account.password) fields.push('password');
			if (row.profile !== account.profile) fields.push('profile');
			if ((row['remote-address'] ?? '') !== (account.remoteAddress ?? '')) {
				fields.push('remoteAddress');
			}
			if (fields.length > 0) different.push({ name: account.name, fields });
		}
		const unknown = rows
			.map((row) => row.name)
			.filter((name): name is string => name !== undefined && !wanted.has(name));
		const report: DriftReport = { missing, different, unknown };
		if (pools) {
			report.pools = poolDrift(pools, await printByName(ros, '/ip/pool', ['ranges'], timeoutMs));
		}
		if (profiles) {
			const props = Object.values(PROFILE_PROPS);
			report.profiles = profileDrift(
				profiles,
				await printByName(ros, '/ppp/profile', props, timeoutMs)
			);
		}
		return report;
	}
});
