import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, PROTOCOL_VERSION, type WindowDays } from '@enlace/shared';
import type { Db } from './db/client';
import type { AppEnv } from './http';
import { limitBody } from './http';
import { sameOriginForCookies } from './auth/same-origin';
import { AgentHub } from './agent/hub';
import { agentRoutes, MAX_AGENT_BODY_BYTES } from './routes/agent';
import { agentAdminRoutes } from './routes/agents-admin';
import { authRoutes, type LoginSettings } from './routes/auth';
import { MAX_PUSH_BYTES, syncRoutes } from './routes/sync';
import { userRoutes } from './routes/users';
import { documentRoutes } from './routes/documents';
import { verifactuRoutes } from './routes/verifactu';
import { billingRoutes } from './routes/billing';
import { BillingRuns } from './billing/run';
import { BillingRunMail } from './billing/mail';
import { fileRoutes, TUS_PATH, type FileRouteOptions } from './routes/files';
import { mailRoutes } from './routes/mail';
import type { MailService } from './mail/service';
import { staticRoutes } from './static';
import type { SeqNotifier } from './sync/notifier';

export type AppDeps = {
	db: Db;
	notifier: SeqNotifier;
	serverId: string;
	staticDir: string;
	sessionDays: number;
	version: string;
	logRequests?: boolean;
	/** The byte cap of a pull page (default MAX_PULL_PAGE_BYTES). */
	pullPageBytes?: number;
	/** Days of Historial and router jobs a device holds, per role (default DEFAULT_WINDOW_DAYS). */
	windowDays?: WindowDays;
	/** Where agents' long polls wait, with the lease and status settings; a default one if absent. */
	agentHub?: AgentHub;
	/** The billing runs' jobs (Facturación); a new one if absent. */
	billingRuns?: BillingRuns;
	/** The runs' "Enviar facturas" jobs; a new one if absent. */
	billingRunMail?: BillingRunMail;
	/** Login throttling, proxy trust and the Secure cookie; config.ts's defaults where absent. */
	login?: Partial<Omit<LoginSettings, 'sessionDays'>>;
	/** The file service's storage and size cap (docs/files.md); without it, no file routes. */
	files?: FileRouteOptions;
	/** The mail outbox and receiver (absent: the account can be set, nothing is sent). */
	mail?: MailService;
};

/** Defaults of the login settings (config.ts), for apps built without a config (unit tests). */
const LOGIN_DEFAULTS: Omit<LoginSettings, 'sessionDays'> = {
	loginFailuresPerAccount: 10,
	loginFailuresPerIp: 50,
	loginWindowMinutes: 15,
	trustProxy: false,
	cookieSecure: false
};

/** Every request body is limited; the push and the agent's batches are allowed more. */
const MAX_BODY_BYTES = 64 * 1024;
const bodyLimits = {
	push: limitBody(MAX_PUSH_BYTES),
	agent: limitBody(MAX_AGENT_BODY_BYTES),
	other: limitBody(MAX_BODY_BYTES)
};

export function createApp(deps: AppDeps) {
	const { db, notifier, serverId } = deps;
	const agentHub = deps.agentHub ?? new AgentHub(notifier);
	const login = { ...LOGIN_DEFAULTS, ...deps.login };
	const api = new Hono<AppEnv>()
		.get('/health', (c) =>
			c.json({
				ok: true,
				version: deps.version,
				protocol: PROTOCOL_VERSION,
				seq: notifier.seq,
				serverId
			})
		)
		.route('/', authRoutes(db, { ...login, sessionDays: deps.sessionDays }))
		.route('/', userRoutes(db, notifier))
		.route('/', syncRoutes(db, notifier, serverId, deps.pullPageBytes, deps.windowDays))
		.route('/', agentAdminRoutes(db, notifier))
		.route('/', agentRoutes(db, notifier, agentHub))
		.route('/', verifactuRoutes(db, { version: deps.version, serverId }))
		.route('/', documentRoutes(db))
		.route(
			'/',
			billingRoutes(
				db,
				deps.billingRuns ?? new BillingRuns(db, notifier),
				deps.billingRunMail ?? new BillingRunMail(db, notifier)
			)
		)
		.route('/', deps.files ? fileRoutes(db, notifier, deps.files) : new Hono<AppEnv>())
		.route('/', mailRoutes(db, deps.mail))
		.all('*', () => {
			throw new AppError('not-found', 'Ruta de la API desconocida', undefined, 404);
		});

	const app = new Hono<AppEnv>();
	app.use('*', async (c, next) => {
		c.set('requestId', randomUUID().slice(0, 8));
		const t0 = performance.now();
		await next();
		if (deps.logRequests) {
			console.log(
				`${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - t0).toFixed(1)}ms`
			);
		}
	});
	app.use('/api/*', sameOriginForCookies(login.trustProxy), (c, next) => {
		const path = c.req.path;
		// tus uploads are bounded by FILES_MAX_BYTES, checked against Upload-Length.
		if (path === TUS_PATH || path.startsWith(`${TUS_PATH}/`)) return next();
		const limit =
			path === '/api/sync/push'
				? bodyLimits.push
				: path.startsWith('/api/agent/')
					? bodyLimits.agent
					: bodyLimits.other;
		return limit(c, next);
	});
	app.route('/api', api);
	app.onError((err, c) => {
		if (err instanceof AppError) return c.json({ error: err.toWire() }, err.status as 400);
		if (err instanceof HTTPException) {
			return c.json(
				{ error: { code: 'bad-request', message: err.message || 'Petición no válida' } },
				err.status
			);
		}
		console.error(`[${c.get('requestId')}] ${c.req.method} ${c.req.path}`, err);
		return c.json(
			{ error: { code: 'internal', message: `Error interno (ref. ${c.get('requestId')})` } },
			500
		);
	});

	app.route('/', staticRoutes(deps.staticDir));
	return app;
}

export type AppType = ReturnType<typeof createApp>;
