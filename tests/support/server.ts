// An in-process sync-server on a loopback port, over a fresh temporary data directory, driven by
// real HTTP (fetch). Used by the integration tests; nothing here is mocked.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeNif, type PullResponse, type PushResponse, type WireError } from '@enlace/shared';
import { loadConfig } from '../../sync-server/src/config';
import type { Db } from '../../sync-server/src/db/client';
import { startServer } from '../../sync-server/src/server';
import type { BillingRuns } from '../../sync-server/src/billing/run';
import type { BillingRunMail } from '../../sync-server/src/billing/mail';
import type { MailService } from '../../sync-server/src/mail/service';
import { startSqld } from './sqld';

export const ADMIN_EMAIL = 'admin@enlace.test';
export const ADMIN_PASSWORD = 'admin-password-0001';

export type TestServer = {
	url: string;
	/** The server's own database handle: for assertions and for rows the API cannot write. */
	db: Db;
	dataDir: string;
	/** The server's billing-run jobs (docs/billing-run.md). */
	billingRuns: BillingRuns;
	/** The runs' "Enviar facturas" jobs and the mail outbox (docs/mail.md). */
	billingRunMail: BillingRunMail;
	mail: MailService;
	/** The (empty) directory served as the built PWA: tests put the files they fetch there. */
	staticDir: string;
	adminToken: string;
	login(email: string, password: string): Promise<string>;
	close(): Promise<void>;
};

export type TestServerOptions = {
	/** `http://127.0.0.1:PORT` of a sqld; default: an embedded file under the temp DATA_DIR. */
	databaseUrl?: string;
	/** Extra environment for loadConfig (SEQ_POLL_MS, SESSION_DAYS…). */
	env?: Record<string, string>;
	/** Keep the server's start-up banner (admin created, migrations applied) on stdout. */
	verbose?: boolean;
	/** Use this data directory (a restart over the same database); it is kept on close. */
	dataDir?: string;
};

/** Start-up prints a banner per server; tests start many, so it is held back unless asked for. */
async function quietly<T>(verbose: boolean, fn: () => Promise<T>): Promise<T> {
	if (verbose) return fn();
	const log = console.log;
	console.log = () => undefined;
	try {
		return await fn();
	} finally {
		console.log = log;
	}
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
	const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-data-'));
	const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-static-'));
	const removeDirs = () => {
		if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
		fs.rmSync(staticDir, { recursive: true, force: true });
	};
	const config = loadConfig({
		PORT: '0',
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		STATIC_DIR: staticDir,
		ADMIN_EMAIL,
		ADMIN_PASSWORD,
		...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
		...opts.env
	});
	let server;
	try {
		server = await quietly(opts.verbose ?? false, () => startServer(config));
	} catch (e) {
		removeDirs();
		throw e;
	}
	const { url } = server;
	const login = async (email: string, password: string) => {
		const r = await api(url).post('/api/auth/login', { email, password });
		if (r.status !== 200 || typeof r.body?.token !== 'string') {
			throw new Error(`login ${email} failed: ${r.status} ${JSON.stringify(r.body)}`);
		}
		return r.body.token as string;
	};
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		try {
			await server.close();
		} finally {
			removeDirs();
		}
	};
	let adminToken: string;
	try {
		adminToken = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
	} catch (e) {
		await close();
		throw e;
	}
	return {
		url,
		db: server.db,
		billingRuns: server.billingRuns,
		billingRunMail: server.billingRunMail,
		mail: server.mail,
		dataDir,
		staticDir,
		adminToken,
		login,
		close
	};
}

// Response bodies are whatever the server sent; tests assert on them field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export type ApiResponse<T = Json> = { status: number; body: T; headers: Headers };

/** `fetch` against the test server, with a bearer token when given; the body parsed as JSON. */
export function api(url: string, token?: string) {
	async function request<T = Json>(
		method: string,
		p: string,
		body?: unknown,
		init: RequestInit = {}
	): Promise<ApiResponse<T>> {
		const headers = new Headers(init.headers);
		if (token) headers.set('authorization', `Bearer ${token}`);
		let payload = init.body;
		if (body !== undefined) {
			headers.set('content-type', 'application/json');
			payload = JSON.stringify(body);
		}
		const res = await fetch(url + p, { ...init, method, headers, body: payload });
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// Not JSON (static fallback, plain-text errors): hand the text to the test as is.
			parsed = text;
		}
		return { status: res.status, body: parsed as T, headers: res.headers };
	}
	return {
		get: <T = Json>(p: string, init?: RequestInit) => request<T>('GET', p, undefined, init),
		post: <T = Json>(p: string, body?: unknown, init?: RequestInit) =>
			request<T>('POST', p, body, init),
		patch: <T = Json>(p: string, body?: unknown, init?: RequestInit) =>
			request<T>('PATCH', p, body, init),
		/** A raw request: `init.body` goes out untouched (bad JSON, huge bodies, streams). */
		raw: <T = Json>(method: string, p: string, init: RequestInit = {}) =>
			request<T>(method, p, undefined, init)
	};
}

export type Mutation<A = unknown> = { id: string; name: string; args: A };
export type PushBody = PushResponse & { error?: WireError };

export const mutation = <A>(name: string, args: A, id: string = randomUUID()): Mutation<A> => ({
	id,
	name,
	args
});

/** `POST /api/sync/push` of the given mutations. */
export function push(
	url: string,
	token: string,
	mutations: Mutation[],
	clientId = 'test-client'
): Promise<ApiResponse<PushBody>> {
	return api(url, token).post<PushBody>('/api/sync/push', { clientId, mutations });
}

/** Push one mutation; the answer plus its id, for replays and assertions on `results[0]`. */
export async function pushOne(
	url: string,
	token: string,
	name: string,
	args: unknown,
	opts: { id?: string; clientId?: string } = {}
): Promise<ApiResponse<PushBody> & { id: string }> {
	const m = mutation(name, args, opts.id);
	const r = await push(url, token, [m], opts.clientId);
	return { ...r, id: m.id };
}

/** `GET /api/sync/pull`, failing loudly on anything but 200. */
export async function pull(
	url: string,
	token: string,
	since = 0,
	limit?: number
): Promise<PullResponse> {
	const q = `since=${since}${limit === undefined ? '' : `&limit=${limit}`}`;
	const r = await api(url, token).get<PullResponse>(`/api/sync/pull?${q}`);
	if (r.status !== 200) throw new Error(`pull failed: ${r.status} ${JSON.stringify(r.body)}`);
	return r.body;
}

/** Every change after `since`, following `more` page by page. */
export async function pullAll(
	url: string,
	token: string,
	since = 0,
	limit?: number
): Promise<{ pages: PullResponse[]; changes: PullResponse['changes']; seq: number }> {
	const pages: PullResponse[] = [];
	let at = since;
	for (;;) {
		const page = await pull(url, token, at, limit);
		pages.push(page);
		at = page.seq;
		if (!page.more) break;
		if (pages.length > 10_000) throw new Error('pull never ended');
	}
	return { pages, changes: pages.flatMap((p) => p.changes), seq: at };
}

let nifSeed = 10_000_000 + Math.floor(Math.random() * 80_000_000);

export type CustomerArgs = {
	id: string;
	isCompany: boolean;
	name: string;
	taxIdType: string;
	taxId: string;
	[field: string]: unknown;
};

/** `customer.create` args for a private person with a valid NIF. */
export function customerArgs(overrides: Record<string, unknown> = {}): CustomerArgs {
	return {
		id: randomUUID(),
		isCompany: false,
		name: 'María García López',
		taxIdType: 'nif',
		taxId: makeNif(nifSeed++),
		stateId: 'alta',
		...overrides
	};
}

/** A test server over its own fresh sqld (libSQL server on loopback); closing it stops both. */
export async function startTestServerOnSqld(
	opts: Omit<TestServerOptions, 'databaseUrl'> = {}
): Promise<TestServer> {
	const sqld = await startSqld();
	let server: TestServer;
	try {
		server = await startTestServer({ ...opts, databaseUrl: sqld.url });
	} catch (e) {
		await sqld.close();
		throw e;
	}
	if (!server.db.remote) throw new Error('the test server is not on the libSQL server');
	return {
		...server,
		close: async () => {
			try {
				await server.close();
			} finally {
				await sqld.close();
			}
		}
	};
}

export type TwoServers = { a: TestServer; b: TestServer; close(): Promise<void> };

/**
 * Two sync-servers in front of one fresh sqld, the way several instances share a database behind
 * a load balancer (docs/architecture.md › Several server instances). They poll the shared `seq`
 * counter quickly so each hears of the other's writes. Closing stops all three.
 */
export async function startTwoServersOnSqld(env: Record<string, string> = {}): Promise<TwoServers> {
	const sqld = await startSqld();
	const started: TestServer[] = [];
	const close = async () => {
		try {
			for (const s of started) await s.close();
		} finally {
			await sqld.close();
		}
	};
	try {
		for (let i = 0; i < 2; i++) {
			started.push(
				await startTestServer({ databaseUrl: sqld.url, env: { SEQ_POLL_MS: '100', ...env } })
			);
		}
	} catch (e) {
		await close();
		throw e;
	}
	return { a: started[0], b: started[1], close };
}

/**
 * An office user and a technician (`office@enlace.test`, `technician@enlace.test`) made by the
 * admin, and their session tokens.
 */
export async function officeAndTechnician(
	s: TestServer
): Promise<{ officeToken: string; techToken: string }> {
	const admin = api(s.url, s.adminToken);
	for (const role of ['office', 'technician'] as const) {
		const r = await admin.post('/api/users', {
			email: `${role}@enlace.test`,
			name: `Usuario ${role}`,
			role,
			password: `${role}-password-1`
		});
		if (r.status !== 201) throw new Error(`user ${role}: ${r.status} ${JSON.stringify(r.body)}`);
	}
	return {
		officeToken: await s.login('office@enlace.test', 'office-password-1'),
		techToken: await s.login('technician@enlace.test', 'technician-password-1')
	};
}
