import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
	/** Wrong passwords for one email, then for one client address, before logins wait (429). */
	loginFailuresPerAccount: number;
	loginFailuresPerIp: number;
	/** How long failed logins are remembered, and so the longest wait. */
	loginWindowMinutes: number;
	/** Behind one reverse proxy: take the client's address and scheme from its X-Forwarded-* headers. */
	trustProxy: boolean;
	/** The server is reached over HTTPS (TLS ends in front of it): the session cookie is Secure. */
	cookieSecure: boolean;
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
		loginFailuresPerAccount: Number(env.LOGIN_FAILURES_PER_ACCOUNT ?? 10),
		loginFailuresPerIp: Number(env.LOGIN_FAILURES_PER_IP ?? 50),
		loginWindowMinutes: Number(env.LOGIN_WINDOW_MINUTES ?? 15),
		trustProxy: env.TRUST_PROXY === '1',
		cookieSecure: env.COOKIE_SECURE === '1'
	};
}
