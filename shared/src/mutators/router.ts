import type { Mutator } from './types';
import { routerCheck, routerReapply } from './router/checks';
import { ipPoolMutators } from './router/ip-pools';
import { pppoeDelete, pppoeKick, pppoePing, pppoeSave, pppoeSetOffline } from './router/pppoe';
import { tariffMutators } from './router/tariffs';

/**
 * Router work (docs/router-work.md, "Which mutation creates which jobs"), by subject: tariffs, IP
 * pools, PPPoE accounts and whole routers; router/jobs.ts holds the jobs they queue and the reads
 * they share.
 */
export { DEFAULT_PROFILE, OFFLINE_PROFILE } from './router/jobs';
export * from './router/pppoe';
export { routerCheck, routerReapply } from './router/checks';
export { ACCOUNT_GONE, agentPayload } from './router/agent-payload';
export type { RowReader } from './router/jobs';

export const routerMutators: Mutator[] = [
	...tariffMutators,
	...ipPoolMutators,
	pppoeSave as Mutator,
	pppoeSetOffline as Mutator,
	pppoeKick as Mutator,
	pppoePing as Mutator,
	pppoeDelete as Mutator,
	routerCheck as Mutator,
	routerReapply as Mutator
];
