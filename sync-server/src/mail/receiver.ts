import { ImapFlow } from 'imapflow';
import type { ImapSettings, MailAccountView } from '@enlace/shared';
import type { Db } from '../db/client';
import type { SeqNotifier } from '../sync/notifier';
import { currentSeq } from '../sync/store';
import { ownAddresses, readAccount, type MailAccount } from './account';
import type { FileStorage } from '../files/storage';
import { folderPosition, importMessage } from './import';

export type ReceiverState = NonNullable<MailAccountView['receiver']>;

/** Waits between reconnections after a failure: 2 s, doubled, at most a minute. */
const BACKOFF_MS = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000];

export function imapClient(s: ImapSettings & { password: string }) {
	return new ImapFlow({
		host: s.host,
		port: s.port,
		secure: s.tls,
		auth: { user: s.user, pass: s.password },
		// Never log: the LOGIN command carries the password.
		logger: false,
		// IDLE as soon as the connection is quiet: new mail is announced within a second.
		autoIdleDelay: 200,
		connectionTimeout: 20_000,
		greetingTimeout: 20_000,
		socketTimeout: 5 * 60_000
	});
}

/** The IMAP server's answer in plain Spanish words. */
export function imapReason(e: unknown, s: Pick<ImapSettings, 'host' | 'port'>): string {
	const err = e as Error & {
		code?: string;
		authenticationFailed?: boolean;
		responseText?: string;
		serverResponseCode?: string;
	};
	const where = `${s.host}:${s.port}`;
	const msg = err.message ?? String(e);
	if (err.authenticationFailed || err.serverResponseCode === 'AUTHENTICATIONFAILED') {
		return `El servidor IMAP no aceptó el usuario o la contraseña${err.responseText ? `: «${err.responseText}»` : ''}`;
	}
	if (err.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(msg)) {
		return `No se pudo conectar con el servidor IMAP ${where}: rechazó la conexión (¿servidor o puerto equivocados?)`;
	}
	if (err.code === 'ENOTFOUND' || /ENOTFOUND|EAI_AGAIN/.test(msg)) {
		return `No se encuentra el servidor IMAP «${s.host}» (¿nombre mal escrito?)`;
	}
	if (/timeout|ETIMEDOUT/i.test(`${err.code} ${msg}`)) {
		return `El servidor IMAP ${where} no respondió a tiempo`;
	}
	if (/certificate|self.signed|TLS|SSL|wrong version number/i.test(msg)) {
		return `Fallo del cifrado con ${where} (¿TLS activado con un puerto sin TLS, o al revés?): ${msg}`;
	}
	if (err.responseText) return `El servidor IMAP respondió: «${err.responseText}»`;
	return `Error con el servidor IMAP ${where}: ${msg}`;
}

/** "Probar conexión": sign in and open each folder; the answer in plain words. */
export async function testImap(
	s: ImapSettings & { password: string }
): Promise<{ ok: boolean; message: string }> {
	const client = imapClient(s);
	client.on('error', () => undefined);
	try {
		await client.connect();
		const counts: string[] = [];
		for (const folder of s.folders) {
			try {
				const box = await client.mailboxOpen(folder, { readOnly: true });
				counts.push(`${folder}: ${box.exists} mensajes`);
			} catch {
				return {
					ok: false,
					message: `Conexión correcta, pero la carpeta «${folder}» no existe en el servidor`
				};
			}
		}
		const idle = client.capabilities.has('IDLE')
			? 'avisa al momento del correo nuevo (IDLE)'
			: 'no admite IDLE: se consultará periódicamente';
		return {
			ok: true,
			message: `Conexión correcta con ${s.host}:${s.port} (${counts.join(', ')}); el servidor ${idle}.`
		};
	} catch (e) {
		return { ok: false, message: imapReason(e, s) };
	} finally {
		await client.logout().catch(() => client.close());
	}
}

/**
 * The receiver (docs/mail.md#receiving): one IMAP connection that imports what is new in every
 * watched folder, then waits — IDLE on the first folder (the server announces new mail at
 * once), and a look at every folder each `pollSeconds` whatever happens. Positions are per
 * folder (UIDVALIDITY and last UID, see import.ts), so a restart goes on where it stopped.
 */
export class MailReceiver {
	state: ReceiverState = { state: 'off' };
	private stopped = false;
	private client?: ImapFlow;
	private kick?: () => void;
	private loop?: Promise<void>;
	private restartAsked = false;

	constructor(
		private readonly db: Db,
		private readonly notifier: SeqNotifier,
		private readonly pollSeconds: number,
		/** Where received attachments' bytes go (the file service's storage). */
		private readonly storage: FileStorage
	) {}

	start(): void {
		this.loop = this.run();
	}

	/** The account changed: reconnect with it. */
	restart(): void {
		this.restartAsked = true;
		this.kick?.();
		this.client?.close();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.kick?.();
		this.client?.close();
		await this.loop;
	}

	private wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(done, ms);
			timer.unref();
			function done() {
				clearTimeout(timer);
				resolve();
			}
			this.kick = done;
		});
	}

	private async run(): Promise<void> {
		let failures = 0;
		while (!this.stopped) {
			this.restartAsked = false;
			const account = await readAccount(this.db).catch(() => undefined);
			const imap = account?.imap;
			if (!account || !imap?.enabled) {
				this.state = { state: 'off' };
				await this.wait(30_000);
				continue;
			}
			try {
				await this.session(account, imap);
				failures = 0;
			} catch (e) {
				if (this.stopped) break;
				this.state = { state: 'error', at: new Date().toISOString(), message: imapReason(e, imap) };
				console.error(`mail receiver: ${this.state.message}`);
				if (!this.restartAsked)
					await this.wait(BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]);
			}
		}
		this.state = { state: 'off' };
	}

	/** One connection: import, wait for news (or the poll), import again… until it breaks. */
	private async session(account: MailAccount, imap: NonNullable<MailAccount['imap']>) {
		const own = ownAddresses(account);
		const client = imapClient(imap);
		this.client = client;
		let news = false;
		const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
		client.on('error', () => undefined);
		client.on('exists', () => {
			news = true;
			this.kick?.();
		});
		this.state = { state: 'connecting', at: new Date().toISOString() };
		try {
			await client.connect();
			while (!this.stopped && !this.restartAsked && client.usable) {
				news = false;
				for (const folder of imap.folders) await this.syncFolder(client, folder, own);
				this.state = { state: 'watching', at: new Date().toISOString() };
				// The first folder stays selected, so the automatic IDLE watches it.
				await client.mailboxOpen(imap.folders[0]);
				if (!news) await Promise.race([this.wait(this.pollSeconds * 1000), closed]);
			}
			if (!client.usable && !this.stopped && !this.restartAsked) {
				throw new Error('El servidor IMAP cerró la conexión');
			}
		} finally {
			this.client = undefined;
			await client.logout().catch(() => client.close());
		}
	}

	/** Imports every message after the folder's position, one at a time, in UID order. */
	private async syncFolder(client: ImapFlow, folder: string, own: Set<string>): Promise<number> {
		const lock = await client.getMailboxLock(folder);
		let imported = 0;
		try {
			const box = client.mailbox;
			if (!box) return 0;
			const uidValidity = String(box.uidValidity);
			const after = await folderPosition(this.db, folder, uidValidity);
			const uids = ((await client.search({ uid: `${after + 1}:*` }, { uid: true })) || [])
				.filter((u) => u > after)
				.sort((a, b) => a - b);
			for (const uid of uids) {
				const msg = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
				if (!msg || !msg.source) continue;
				const r = await importMessage(
					this.db,
					this.storage,
					msg.source,
					{ folder, uidValidity, uid },
					own
				);
				if (!r.skipped) imported++;
				this.notifier.bump(await currentSeq(this.db.client));
			}
		} finally {
			lock.release();
		}
		return imported;
	}
}
