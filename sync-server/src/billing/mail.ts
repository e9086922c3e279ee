import {
	AppError,
	COMPANY_PROFILE_ID,
	MailSendArgs,
	fillTemplate,
	getMutator,
	templateValues,
	type CompanyProfile,
	type Customer,
	type Document,
	type MailTemplate
} from '@enlace/shared';
import type { Db } from '../db/client';
import { readAccount } from '../mail/account';
import type { SeqNotifier } from '../sync/notifier';
import { ServerTx, currentSeq } from '../sync/store';
import { writeGuarded } from '../sync/writer';
import type { RunUser } from './run';

/**
 * "Enviar facturas" of a month's billing run (docs/mail.md): every issued invoice of the run is
 * written into the mail outbox as a `mailMessage` of its customer (`mail.send`, the invoice's PDF
 * attached), to the customer's email; the outbox sends them at `MAIL_RATE_PER_MINUTE`. The mail's
 * row id is made from the invoice's id (`runMailId`), so the records' primary key holds one mail
 * per invoice: pressed twice, taken up after a restart or run by two servers, each invoice is
 * emailed once. The job's own state (and the invoices without an address) is `billing_run_mail`.
 */

export type RunMailState = 'queuing' | 'queued' | 'failed';

export type RunMailStatus = {
	period: string;
	state: RunMailState;
	templateId: string | null;
	/** Issued invoices of the run. */
	invoices: number;
	/** Of those, the ones whose customer has no email: not sent. */
	withoutEmail: number;
	/** The run's mails in the outbox by state (queued counts those still being written too). */
	queued: number;
	sending: number;
	sent: number;
	failed: number;
	startedAt: string;
	startedBy: string | null;
	updatedAt: string;
	error: string | null;
};

/** The mail of one invoice of a run: the same id whoever writes it, so it is written once. */
export const runMailId = (documentId: string) => `factura-email-${documentId}`;

/** Mails per transaction. */
const QUEUE_BATCH = 100;

const sendMutator = getMutator('mail.send');

export async function runMailStatus(db: Db, month: string): Promise<RunMailStatus | undefined> {
	const [job, counts] = await Promise.all([
		db.client.execute({ sql: 'SELECT * FROM billing_run_mail WHERE period = ?', args: [month] }),
		db.client.execute({
			sql: `SELECT m.data ->> '$.status' AS status, count(*) AS n
				FROM records d JOIN records m ON m.entity = 'mailMessage' AND m.id = 'factura-email-' || d.id
				WHERE d.entity = 'document' AND json_extract(d.data, '$.billingRun.period') = ?
				AND m.deleted = 0 GROUP BY status`,
			args: [month]
		})
	]);
	const r = job.rows[0];
	if (!r) return undefined;
	const by = new Map(counts.rows.map((c) => [String(c.status), Number(c.n)]));
	return {
		period: month,
		state: String(r.state) as RunMailState,
		templateId: r.template_id === null ? null : String(r.template_id),
		invoices: Number(r.invoices),
		withoutEmail: Number(r.without_email),
		queued: by.get('queued') ?? 0,
		sending: by.get('sending') ?? 0,
		sent: by.get('sent') ?? 0,
		failed: by.get('failed') ?? 0,
		startedAt: String(r.started_at),
		startedBy: r.started_by === null ? null : String(r.started_by),
		updatedAt: String(r.updated_at),
		error: r.error === null ? null : String(r.error)
	};
}

type Invoice = Pick<Document, 'id' | 'customerId' | 'number' | 'totals'>;

/** The run's issued invoices (a cancelled one is not sent; a paid or remitted one is). */
async function runInvoices(db: Db, month: string): Promise<Invoice[]> {
	const r = await db.client.execute({
		sql: `SELECT data FROM records WHERE entity = 'document' AND deleted = 0
			AND json_extract(data, '$.billingRun.period') = ? AND data ->> '$.state' NOT IN ('borrador', 'anulada')
			ORDER BY data ->> '$.number'`,
		args: [month]
	});
	return r.rows.map((x) => JSON.parse(String(x.data)) as Invoice);
}

async function rowsById<T>(db: Db, entity: string, ids: string[]): Promise<Map<string, T>> {
	const r = await db.client.execute({
		sql: `SELECT id, data FROM records WHERE entity = ? AND deleted = 0
			AND id IN (SELECT value FROM json_each(?))`,
		args: [entity, JSON.stringify(ids)]
	});
	return new Map(r.rows.map((x) => [String(x.id), JSON.parse(String(x.data)) as T]));
}

/** The subject and body of one invoice's mail: the template's, else a plain default. */
function texts(
	tpl: MailTemplate | undefined,
	customer: Customer,
	doc: Invoice,
	company: string | undefined
): { subject: string; body: string } {
	const values = templateValues(customer, doc, company);
	if (tpl) {
		return { subject: fillTemplate(tpl.subject, values), body: fillTemplate(tpl.body, values) };
	}
	return {
		subject: `Factura ${values.documento}`,
		body: `Estimado/a ${values.cliente}:\n\nLe enviamos adjunta su factura ${values.documento} de ${values.importe}.\n\nUn saludo,\n${values.empresa}`
	};
}

/**
 * Writes the run's mails not written yet, a batch per transaction; then the job is `queued` (the
 * outbox does the rest). Done again, it writes nothing twice.
 */
export async function queueRunMail(
	db: Db,
	notifier: SeqNotifier,
	month: string,
	user: RunUser
): Promise<void> {
	const job = await db.client.execute({
		sql: 'SELECT template_id FROM billing_run_mail WHERE period = ?',
		args: [month]
	});
	const templateId = job.rows[0]?.template_id;
	const invoices = await runInvoices(db, month);
	const customers = await rowsById<Customer>(db, 'customer', [
		...new Set(invoices.map((i) => i.customerId))
	]);
	const [tpl] = templateId
		? [...(await rowsById<MailTemplate>(db, 'mailTemplate', [String(templateId)])).values()]
		: [];
	const company = (await rowsById<CompanyProfile>(db, 'companyProfile', [COMPANY_PROFILE_ID])).get(
		COMPANY_PROFILE_ID
	);
	const emailOf = (i: Invoice) => customers.get(i.customerId)?.email?.trim() ?? '';
	const withEmail = invoices.filter((i) => emailOf(i));
	const setJob = (sql: string, args: (string | number | null)[]) =>
		db.exclusive(() => db.client.execute({ sql: `UPDATE billing_run_mail SET ${sql}`, args }));
	await setJob('invoices = ?, without_email = ?, updated_at = ? WHERE period = ?', [
		invoices.length,
		invoices.length - withEmail.length,
		new Date().toISOString(),
		month
	]);
	try {
		for (let n = 0; n < withEmail.length; n += QUEUE_BATCH) {
			const batch = withEmail.slice(n, n + QUEUE_BATCH);
			const written = await writeGuarded(db, async () => {
				const now = new Date().toISOString();
				const tx = new ServerTx(db.client, {
					userId: user.id,
					userName: user.name,
					role: user.role,
					now,
					server: true
				});
				for (const doc of batch) {
					const customer = customers.get(doc.customerId)!;
					// mail.send leaves an existing row alone: a mail written before is not written again.
					await sendMutator.apply(
						tx,
						MailSendArgs.parse({
							id: runMailId(doc.id),
							customerId: doc.customerId,
							to: [emailOf(doc)],
							...texts(tpl, customer, doc, company?.legalName),
							documentIds: [doc.id]
						})
					);
				}
				return { stmts: await tx.statements('mail.send'), value: tx.writeCount };
			});
			if (written) notifier.bump(await currentSeq(db.client));
		}
		await setJob(`state = 'queued', error = NULL, updated_at = ? WHERE period = ?`, [
			new Date().toISOString(),
			month
		]);
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		await setJob(`state = 'failed', error = ?, updated_at = ? WHERE period = ?`, [
			message.slice(0, 2000),
			new Date().toISOString(),
			month
		]);
		throw e;
	}
}

/** The "Enviar facturas" jobs of one server process, one per month at a time. */
export class BillingRunMail {
	private readonly jobs = new Map<string, Promise<void>>();

	constructor(
		private readonly db: Db,
		private readonly notifier: SeqNotifier
	) {}

	/** Records the month's job (with its template) and leaves it writing; answers its status. */
	async start(month: string, user: RunUser, templateId?: string): Promise<RunMailStatus> {
		if (!(await readAccount(this.db))) {
			throw new AppError(
				'conflict',
				'Falta la cuenta de correo: un administrador debe configurarla en Configuración › Correo',
				undefined,
				409
			);
		}
		if (!(await runInvoices(this.db, month)).length) {
			throw new AppError('conflict', 'No hay facturas emitidas de ese mes', 'period', 409);
		}
		if (templateId && !(await rowsById(this.db, 'mailTemplate', [templateId])).size) {
			throw new AppError('not-found', 'La plantilla no existe', 'templateId', 404);
		}
		if (!this.jobs.has(month)) {
			const now = new Date().toISOString();
			await this.db.exclusive(() =>
				this.db.client.execute({
					sql: `INSERT INTO billing_run_mail (period, state, template_id, invoices, without_email,
							started_at, started_by, updated_at, error)
						VALUES (?, 'queuing', ?, 0, 0, ?, ?, ?, NULL)
						ON CONFLICT (period) DO UPDATE SET state = 'queuing',
							template_id = excluded.template_id, updated_at = excluded.updated_at, error = NULL`,
					args: [month, templateId ?? null, now, user.name, now]
				})
			);
			this.launch(month, user);
		}
		return (await runMailStatus(this.db, month))!;
	}

	private launch(month: string, user: RunUser): void {
		const job = queueRunMail(this.db, this.notifier, month, user);
		this.jobs.set(month, job);
		job.then(
			() => this.jobs.delete(month),
			(e: unknown) => {
				this.jobs.delete(month);
				console.error(`billing run mail ${month} failed`, e);
			}
		);
	}

	/** Takes up the jobs a stopped server left `queuing`. */
	async resume(): Promise<void> {
		const r = await this.db.client.execute(
			"SELECT period, started_by FROM billing_run_mail WHERE state = 'queuing'"
		);
		for (const row of r.rows) {
			const month = String(row.period);
			if (this.jobs.has(month)) continue;
			this.launch(month, {
				id: 'billing-run-mail',
				name: String(row.started_by ?? 'Facturación'),
				role: 'office'
			});
		}
	}

	/** This server's job of the month, when it runs one (tests wait for it). */
	job(month: string): Promise<void> | undefined {
		return this.jobs.get(month);
	}

	async close(): Promise<void> {
		await Promise.all([...this.jobs.values()].map((j) => j.catch(() => undefined)));
	}
}
