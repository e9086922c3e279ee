import { boundedDriftReport, syncedJobPayload } from '../schemas/router/job';
import type { RowShapeChange } from './row-shapes';

/**
 * Router jobs queued before job rows stopped carrying secrets: a `secret.ensure` without its
 * PPPoE password, a `router.check` without the router's account list (the server completes both
 * when an agent claims the job), and a drift report cut to what differs, bounded. Server only: the
 * rewritten rows reach devices through their pull (new seqs), so no Dexie version applies it.
 */
export const ROUTER_JOBS_WITHOUT_SECRETS: RowShapeChange = {
	name: 'router_jobs_without_secrets',
	rows: {
		routerJob: (row) => {
			const kind = String(row.kind);
			const payload = (row.payload ?? {}) as Record<string, unknown>;
			const synced = syncedJobPayload(kind, payload);
			let out = synced === payload ? row : { ...row, payload: synced };
			if (kind === 'router.check' && row.result !== undefined) {
				const result = boundedDriftReport(row.result);
				if (JSON.stringify(result) !== JSON.stringify(row.result)) out = { ...out, result };
			}
			return out;
		}
	}
};
