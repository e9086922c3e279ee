/**
 * Router work (docs/router-work.md), by subject: the routers the agents declare and what they
 * report, IP pools, tariffs, PPPoE accounts, and the jobs that bring a router to what these rows say.
 */
export * from './router/router';
export * from './router/ip-pool';
export * from './router/tariff';
export * from './router/pppoe';
export * from './router/job';
