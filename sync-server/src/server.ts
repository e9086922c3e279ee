import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { missingDefaultSettings, type Setting } from '@enlace/shared';
import { AgentHub } from './agent/hub';
import { startJobPruning } from './agent/prune';
import { createApp } from './app';
import type { Config } from './config';
import { migrate, openDb, tuneLocal, type Db } from './db/client';
import { serverIdentity } from './db/identity';
import { generatePassword } from './auth/password';
import { countUsers, createUser } from './auth/sessions';
import { startScheduledChanges } from './sync/scheduled-changes';
import { diskStorage, s3Storage, type FileStorage } from './files/storage';
import { startFileSweep } from './files/sweep';
import { MailService } from './mail/service';
import { SeqNotifier } from './sync/notifier';
import { currentSeq, recordStatements } from './sync/store';
import { BillingRuns } from './billing/run';
import { BillingRunMail } from './billing/mail';

export type RunningServer = {
	url: string;
	port: number;
	db: Db;
	/** The billing runs' jobs (tests wait for one). */
	billingRuns: BillingRuns;
	/** The runs' "Enviar facturas" jobs (tests wait for one). */
	billingRunMail: BillingRunMail;
	mail: MailService;
	close(): Promise<void>;
};

/**
 * Default lists of Configuración › Parámetros: on a new database all of them; on an older one, the
 * defaults added since (missingDefaultSettings: never one a user deleted, never a duplicate name).
 */
async function seedSettings(db: Db): Promise<void> {
	const r = await db.client.execute(
		"SELECT id, deleted, data FROM records WHERE entity = 'setting'"
	);
	const missing = missingDefaultSettings(
		r.rows.map((row) => ({
			id: String(row.id),
			deleted: Number(row.deleted) === 1,
			row: Number(row.deleted) === 1 ? undefined : (JSON.parse(String(row.data)) as Setting)
		}))
	);
	if (!missing.length) return;
	const now = new Date().toISOString();
	const writes = missing.map((s) => ({ entity: 'setting' as const, id: s.id, row: s }));
	await db.exclusive(() => db.client.batch(recordStatements(writes, null, now), 'write'));
}

/** First start with no users: an admin from ADMIN_EMAIL/ADMIN_PASSWORD, or a printed one-time password. */
async function ensureAdmin(db: Db, config: Config): Promise<void> {
	if ((await countUsers(db)) > 0) return;
	const password = config.adminPassword ?? generatePassword();
	await createUser(db, {
		email: config.adminEmail,
		name: 'Administrador',
		role: 'admin',
		password
	});
	const shown = config.adminPassword ? '(la de ADMIN_PASSWORD)' : password;
	console.log(
		`\n  Usuario administrador creado\n    correo:     ${config.adminEmail}\n    contraseña: ${shown}\n  Cámbiela en Configuración › Usuarios.\n`
	);
}

export async function startServer(config: Config, version = '0.1.0'): Promise<RunningServer> {
	const db = openDb(config.databaseUrl, config.databaseAuthToken);
	await tuneLocal(db);
	const applied = await migrate(db);
	if (applied.length) console.log(`migraciones aplicadas: ${applied.join(', ')}`);
	await seedSettings(db);
	await ensureAdmin(db, config);
	const notifier = new SeqNotifier();
	notifier.bump(await currentSeq(db.client));
	if (db.remote) notifier.startPolling(db, config.seqPollMs);
	const agentHub = new AgentHub(notifier, {
		leaseSeconds: config.jobLeaseSeconds,
		statusIntervalSeconds: config.statusIntervalSeconds,
		pollMs: config.seqPollMs
	});
	const storage: FileStorage = config.s3Bucket
		? s3Storage({
				bucket: config.s3Bucket,
				endpoint: config.s3Endpoint,
				region: config.s3Region,
				accessKeyId: config.s3AccessKeyId,
				secretAccessKey: config.s3SecretAccessKey,
				forcePathStyle: config.s3ForcePathStyle
			})
		: await diskStorage(config.filesDir);
	const billingRuns = new BillingRuns(db, notifier);
	const billingRunMail = new BillingRunMail(db, notifier);
	const mail = new MailService(
		db,
		notifier,
		{
			enabled: config.mailEnabled,
			pollSeconds: config.mailPollSeconds,
			maxAttempts: config.mailMaxAttempts,
			retrySeconds: config.mailRetrySeconds,
			ratePerMinute: config.mailRatePerMinute
		},
		storage
	);
	const app = createApp({
		db,
		billingRuns,
		billingRunMail,
		files: { storage, maxBytes: config.filesMaxBytes },
		notifier,
		serverId: await serverIdentity(db),
		staticDir: config.staticDir,
		sessionDays: config.sessionDays,
		version,
		logRequests: config.logRequests,
		pullPageBytes: config.pullPageBytes,
		windowDays: { technician: config.windowDaysTechnician, office: config.windowDaysOffice },
		agentHub,
		mail,
		login: {
			loginFailuresPerAccount: config.loginFailuresPerAccount,
			loginFailuresPerIp: config.loginFailuresPerIp,
			loginWindowMinutes: config.loginWindowMinutes,
			trustProxy: config.trustProxy,
			cookieSecure: config.cookieSecure
		}
	});
	const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
		const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
			resolve(s)
		);
		// A taken port must fail start-up, not leave it waiting for ever.
		s.once('error', (e) => {
			agentHub.stop();
			notifier.stop();
			db.close();
			reject(e);
		});
	});
	const pruning = startJobPruning(db, notifier, config.jobRetentionDays);
	const port = (server.address() as AddressInfo).port;
	const stopScheduledChanges = startScheduledChanges(db, notifier);
	// A run a stopped server left half done is finished (numbers follow on, nothing twice).
	await billingRuns.resume();
	// So is the writing of a run's invoice mails (the outbox then sends what is queued).
	await billingRunMail.resume();
	const stopFileSweep = startFileSweep(db, storage, config.filesSweepSeconds * 1000);
	mail.start();
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		db,
		billingRuns,
		billingRunMail,
		mail,
		close: async () => {
			await billingRuns.close();
			await billingRunMail.close();
			// Agents' long polls answer now rather than hold close() for up to 30 s.
			agentHub.stop();
			stopScheduledChanges();
			await stopFileSweep();
			await mail.stop();
			notifier.stop();
			// SSE streams hold connections open; end them so close() returns.
			(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await pruning.stop();
			db.close();
		}
	};
}
