import type { MailMessage } from '@enlace/shared';
import type { Db } from '../db/client';
import { documentPdf } from '../routes/documents';
import { selectStored, type Stored } from '../agent/records';
import type { SeqNotifier } from '../sync/notifier';
import { currentSeq } from '../sync/store';
import { guardedStatements, writeGuarded } from '../sync/writer';
import { readAccount, type MailAccount } from './account';
import { readFile } from './files';
import { readWhole, type FileStorage } from '../files/storage';
import { isTransient, smtpReason, smtpTransport } from './smtp';

/** Who the outbox's writes are by (records.updated_by). */
export const MAIL_WRITER = 'server:mail';

export type OutboxSettings = {
	/** Tries of a message before it is `failed` (transient errors only; a 5xx fails at once). */
	maxAttempts: number;
	/** Wait before the second try; doubled each time, at most an hour. */
	retrySeconds: number;
	/** Messages handed to the SMTP server per minute at most (0: no limit). */
	ratePerMinute?: number;
};

/** What the outbox's throttle allows: `count` tries per `windowMs` (tests shorten the window). */
export type MailRate = { count: number; windowMs: number };

/** A message left `sending` this long (the process died mid-send) is taken again. */
const SENDING_LEASE_MS = 10 * 60_000;
/** A pass sends at most this many; the next pass follows at once when there were more. */
const BATCH = 20;

/**
 * The server's mail outbox (docs/mail.md): sends the `mailMessage` rows devices pushed as
 * `queued`, with nodemailer over the account's SMTP server, and writes each one's state back
 * into its row (sent with the server's message id, failed with the reason, or queued again with
 * a later try). A message is claimed (`sending`) by a guarded write first, so two server
 * instances never both send it.
 */
export class MailOutbox {
	private running?: Promise<void>;
	private again = false;
	private stopped = false;
	private timer?: NodeJS.Timeout;
	/** The wake-up for the earliest planned retry. */
	private retryTimer?: NodeJS.Timeout;
	private unsubscribe?: () => void;
	/** When each recent try ended (this process's), for the throttle. */
	private tries: number[] = [];
	/** Wakes a throttle wait at once when the outbox stops. */
	private stopWait?: () => void;
	/** The throttle: at most `count` tries end in any `windowMs` (count 0: none). */
	rate: MailRate;

	constructor(
		private readonly db: Db,
		private readonly notifier: SeqNotifier,
		private readonly settings: OutboxSettings,
		/** The file service's storage: received attachments and Repositorio files to attach. */
		private readonly storage: FileStorage
	) {
		this.rate = { count: settings.ratePerMinute ?? 0, windowMs: 60_000 };
	}

	/** Passes on every change-log move (a push may carry new mail) and every 15 s (retries due). */
	start(): void {
		this.unsubscribe = this.notifier.subscribe(() => this.wake());
		this.timer = setInterval(() => this.wake(), 15_000);
		this.timer.unref();
		this.wake();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.stopWait?.();
		this.unsubscribe?.();
		clearInterval(this.timer);
		clearTimeout(this.retryTimer);
		await this.running;
	}

	/** Runs a pass now, or right after the one running. Resolves when the outbox is idle. */
	wake(): Promise<void> {
		if (this.stopped) return Promise.resolve();
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = (async () => {
			do {
				this.again = false;
				try {
					if ((await this.pass()) >= BATCH) this.again = true;
				} catch (e) {
					console.error('mail outbox: pass failed', e);
				}
			} while (this.again && !this.stopped);
		})().finally(() => (this.running = undefined));
		return this.running;
	}

	/** One pass: sends what is due; returns how many it looked at. */
	async pass(): Promise<number> {
		const due = await this.due();
		if (!due.length) return 0;
		// Without an account, mail waits in the outbox until an admin sets one up.
		const account = await readAccount(this.db);
		if (!account) return 0;
		for (const m of due) {
			await this.throttle();
			if (this.stopped) break;
			await this.sendOne(m.row.id, account);
			this.tries.push(Date.now());
		}
		this.notifier.bump(await currentSeq(this.db.client));
		return due.length;
	}

	/**
	 * Waits until the SMTP server may take one more: fewer than `rate.count` tries ended within the
	 * last window. Counted from the end of each try (when the server had the message), so whatever
	 * the latency, no window of the server's own clock sees more than `count` messages.
	 */
	private async throttle(): Promise<void> {
		const { count, windowMs } = this.rate;
		if (!count) return;
		for (;;) {
			const now = Date.now();
			this.tries = this.tries.filter((t) => t > now - windowMs);
			if (this.tries.length < count || this.stopped) return;
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, this.tries[0] + windowMs - now + 1);
				this.stopWait = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			this.stopWait = undefined;
		}
	}

	private async due(now = Date.now()): Promise<Stored<MailMessage>[]> {
		const rows = await selectStored<MailMessage>(
			this.db.client,
			`SELECT data, seq, updated_at, deleted FROM records
				WHERE entity = 'mailMessage' AND deleted = 0
				AND json_extract(data, '$.status') IN ('queued', 'sending')
				ORDER BY json_extract(data, '$.at') LIMIT 200`,
			[]
		);
		const later = rows
			.map(({ row }) =>
				row.status === 'queued' && row.nextAttemptAt ? Date.parse(row.nextAttemptAt) : NaN
			)
			.filter((t) => t > now);
		clearTimeout(this.retryTimer);
		if (later.length && !this.stopped) {
			this.retryTimer = setTimeout(() => void this.wake(), Math.min(...later) - now + 50);
			this.retryTimer.unref();
		}
		return rows.filter(({ row }) => isDue(row, now)).slice(0, BATCH);
	}

	private async sendOne(id: string, account: MailAccount): Promise<void> {
		const claimed = await this.update(id, (row, now) =>
			isDue(row, Date.parse(now)) ? { ...row, status: 'sending', updatedAt: now } : undefined
		);
		if (!claimed) return;
		const transport = smtpTransport(account.smtp);
		try {
			const info = await transport.sendMail(await this.compose(claimed, account));
			const refused = (info.rejected ?? []).map(String);
			await this.update(id, (row, now) => ({
				...without(row, 'nextAttemptAt', 'error'),
				status: 'sent',
				from: fromHeader(account),
				messageId: info.messageId,
				threadId: row.threadId ?? info.messageId,
				sentAt: now,
				attempts: (row.attempts ?? 0) + 1,
				...(refused.length
					? {
							error: `El servidor de correo rechazó el destinatario ${refused.join(', ')}: «${String(info.response ?? '').trim()}»`
						}
					: {}),
				updatedAt: now
			}));
		} catch (e) {
			await this.settle(id, {
				transient: isTransient(e),
				reason: smtpReason(e, account.smtp)
			});
		} finally {
			transport.close();
		}
	}

	/** A try that did not send: queued again for later, or failed when final or out of tries. */
	private async settle(
		id: string,
		{ transient, reason }: { transient: boolean; reason: string }
	): Promise<void> {
		await this.update(id, (row, now) => {
			const attempts = (row.attempts ?? 0) + 1;
			if (!transient || attempts >= this.settings.maxAttempts) {
				return {
					...without(row, 'nextAttemptAt'),
					status: 'failed',
					error: reason,
					attempts,
					updatedAt: now
				};
			}
			const delay = Math.min(this.settings.retrySeconds * 2 ** (attempts - 1), 3600) * 1000;
			return {
				...row,
				status: 'queued',
				error: reason,
				attempts,
				nextAttemptAt: new Date(Date.parse(now) + delay).toISOString(),
				updatedAt: now
			};
		});
	}

	/** Rewrites a message's row from what is stored now (undefined from `change`: leave it). */
	private update(
		id: string,
		change: (row: MailMessage, now: string) => MailMessage | undefined
	): Promise<MailMessage | undefined> {
		return writeGuarded(this.db, async () => {
			const [stored] = await selectStored<MailMessage>(
				this.db.client,
				`SELECT data, seq, updated_at, deleted FROM records WHERE entity = 'mailMessage' AND id = ?`,
				[id]
			);
			const now = new Date().toISOString();
			const next = stored && !stored.deleted ? change(stored.row, now) : undefined;
			if (!next) return { stmts: [], value: undefined };
			return {
				stmts: guardedStatements(
					[{ entity: 'mailMessage', id, row: next, seenSeq: stored.seq }],
					MAIL_WRITER,
					now
				),
				value: next
			};
		});
	}

	/**
	 * A stored file's bytes: a received attachment (`mail_files`), else a Repositorio file, read
	 * whole from the file service's storage.
	 */
	private async fileBytes(
		fileId: string,
		name: string,
		contentType: string | undefined
	): Promise<{ content: Buffer; contentType: string }> {
		const received = await readFile(this.db, this.storage, fileId);
		if (received) return { content: received.data, contentType: received.contentType };
		const size = await this.storage.size(fileId);
		if (size === undefined) throw new Error(`El adjunto ${name} ya no está en el servidor`);
		return {
			content: await readWhole(this.storage, fileId, size),
			contentType: contentType ?? 'application/octet-stream'
		};
	}

	/** The message nodemailer sends: headers, text, and the attachments' bytes. */
	private async compose(m: MailMessage, account: MailAccount) {
		const attachments = [];
		for (const a of m.attachments) {
			if (a.kind === 'document' && a.documentId) {
				const pdf = await documentPdf(this.db, a.documentId);
				attachments.push({
					filename: pdf.name,
					content: Buffer.from(pdf.bytes),
					contentType: 'application/pdf'
				});
			} else if (a.fileId) {
				attachments.push({
					filename: a.name,
					...(await this.fileBytes(a.fileId, a.name, a.contentType))
				});
			}
		}
		const domain = account.smtp.fromAddress.split('@')[1];
		return {
			from: fromHeader(account),
			to: m.to,
			cc: m.cc.length ? m.cc : undefined,
			subject: m.subject,
			text: m.body,
			attachments,
			// The same id on every try: a message that did leave before a crash is one message.
			messageId: m.messageId ?? `<${m.id}@${domain}>`,
			...(m.inReplyTo
				? {
						inReplyTo: m.inReplyTo,
						references:
							m.threadId && m.threadId !== m.inReplyTo ? [m.threadId, m.inReplyTo] : [m.inReplyTo]
					}
				: {})
		};
	}
}

function isDue(row: MailMessage, now: number): boolean {
	if (row.status === 'sending') {
		return Date.parse(row.updatedAt ?? row.at) + SENDING_LEASE_MS <= now;
	}
	if (row.status !== 'queued') return false;
	return !row.nextAttemptAt || Date.parse(row.nextAttemptAt) <= now;
}

function fromHeader(a: MailAccount): string {
	const name = a.smtp.fromName.replace(/["\\]/g, '');
	return name ? `"${name}" <${a.smtp.fromAddress}>` : a.smtp.fromAddress;
}

function without<T extends object, K extends keyof T>(row: T, ...keys: K[]): Omit<T, K> {
	const copy = { ...row };
	for (const k of keys) delete copy[k];
	return copy;
}
