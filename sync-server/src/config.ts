import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_PULL_PAGE_BYTES } from '@enlace/shared';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');

/** Every setting: a default that works on one machine, and an environment variable. */
export type Config = {
	port: number;
	host: string;
	dataDir: string;
	databaseUrl: string;
	databaseAuthToken?: string;
	staticDir: string;
	adminEmail: string;
	adminPassword?: string;
	sessionDays: number;
	/** How often to look for writes made by other server instances (remote database only). */
	seqPollMs: number;
	logRequests: boolean;
	/** How long a claimed router job stays the agent's before it is handed out again. */
	jobLeaseSeconds: number;
	/** How often edge agents post the routers' status (sessions online). */
	statusIntervalSeconds: number;
	/** A pull page stops before its changes pass this many bytes (one row always goes). */
	pullPageBytes: number;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const dataDir = path.resolve(env.DATA_DIR ?? path.join(REPO_ROOT, 'data'));
	return {
		port: Number(env.PORT ?? 8787),
		host: env.HOST ?? '0.0.0.0',
		dataDir,
		databaseUrl: env.DATABASE_URL ?? `file:${path.join(dataDir, 'enlace.db')}`,
		databaseAuthToken: env.DATABASE_AUTH_TOKEN || undefined,
		staticDir: path.resolve(env.STATIC_DIR ?? path.join(REPO_ROOT, 'app/build')),
		adminEmail: env.ADMIN_EMAIL ?? 'admin@enlace.local',
		adminPassword: env.ADMIN_PASSWORD || undefined,
		sessionDays: Number(env.SESSION_DAYS ?? 30),
		seqPollMs: Number(env.SEQ_POLL_MS ?? 1000),
		logRequests: env.LOG_REQUESTS === '1',
		jobLeaseSeconds: Number(env.JOB_LEASE_SECONDS ?? 60),
		statusIntervalSeconds: Number(env.STATUS_INTERVAL_SECONDS ?? 5),
		pullPageBytes: Number(env.PULL_PAGE_BYTES ?? MAX_PULL_PAGE_BYTES)
	};
}
