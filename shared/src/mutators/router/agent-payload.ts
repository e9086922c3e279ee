import type { RouterJob } from '../../schemas/router';
import { routerCheckPayload } from './checks';
import type { RowReader } from './jobs';

/**
 * What an agent receives for a job it claims: the synced payload, completed from the rows as they
 * are at claim time with what job rows never hold (they reach every device): the PPPoE password of
 * a `secret.ensure` (the account's current one: a password changed after the job was queued is
 * the one written, which is the end state anyway), and the whole desired state of a
 * `router.check`. Other kinds go as they are. The agent protocol is unchanged by this: agents get
 * the payloads docs/router-work.md lists.
 *
 * `undefined`: the job cannot be completed because its account no longer exists (deleted after
 * the job was queued; its `secret.remove` follows in the queue). The server settles such a job as
 * failed instead of handing it out.
 */
export async function agentPayload(
	tx: RowReader,
	job: Pick<RouterJob, 'kind' | 'payload' | 'routerId' | 'accountId'>
): Promise<Record<string, unknown> | undefined> {
	if (job.kind === 'secret.ensure') {
		const account = job.accountId ? await tx.get('pppoeAccount', job.accountId) : undefined;
		return account ? { ...job.payload, password: account.password } : undefined;
	}
	if (job.kind === 'router.check') return routerCheckPayload(tx, job.routerId);
	return job.payload;
}

/** Why a job could not be handed out (agentPayload answered undefined), as Historial shows it. */
export const ACCOUNT_GONE = 'La cuenta PPPoE ya no existe en Enlace: no se escribe su secret';
