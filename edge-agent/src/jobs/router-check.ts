/**
 * `router.check` { accounts }: read-only drift report between Enlace's PPPoE accounts and the
 * router's secrets. It never writes: fixing drift is a decision for a person (or a secret.ensure
 * job), and secrets Enlace does not manage are only listed, never touched (routeros-api.md §4.6).
 */
import { JobPayloads } from '@enlace/shared/protocol/agent';
import type { DriftReport } from '@enlace/shared/schemas/router';
import { defineHandler } from './types';

/** A full print of a big router can take a while; give it more than one ordinary command. */
const FULL_PRINT_MIN_MS = 60_000;

export const routerCheck = defineHandler({
	payload: JobPayloads.routerCheck,
	async run({ ros, commandTimeoutMs }, { accounts }): Promise<DriftReport> {
		const rows = await ros.print(
			'/ppp/secret',
			{ proplist: ['name', 'password', 'profile', 'remote-address'] },
			{ timeoutMs: Math.max(commandTimeoutMs, FULL_PRINT_MIN_MS) }
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
		return { missing, different, unknown };
	}
});
