// Real mail servers for the mail tests, on loopback: an SMTP server (the smtp-server package) that
// keeps what it receives, and Debian's Dovecot (dovecot-imapd, installed by .ci/run) started in a
// temporary folder with one test user and a Maildir, as an unprivileged process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { SMTPServer } from 'smtp-server';

/** `at`: when the message's data ended (Date.now()), for the throttle's windows. */
export type Received = { from: string; to: string[]; raw: Buffer; at: number };

export type TestSmtp = {
	port: number;
	received: Received[];
	/** Resolves with the `n`th message (1-based) once it arrived. */
	waitFor(n: number, timeoutMs?: number): Promise<Received>;
	close(): Promise<void>;
};

/** The ISP's outgoing account pointed at a test SMTP server on `port` (it accepts any login). */
export const smtpSettings = (port: number) => ({
	host: '127.0.0.1',
	port,
	security: 'none',
	user: 'envios@isp.test',
	password: 'clave-smtp-123',
	fromName: 'Redes del Valle',
	fromAddress: 'facturacion@isp.test'
});

/**
 * An SMTP server on 127.0.0.1 that accepts anything (any login) and keeps each message's raw
 * bytes; recipients for which `refuse` returns a text are refused with `550 <text>`.
 */
export async function startSmtp(
	opts: { refuse?: (rcpt: string) => string | undefined } = {}
): Promise<TestSmtp> {
	const received: Received[] = [];
	const waiters: (() => void)[] = [];
	const server = new SMTPServer({
		secure: false,
		disabledCommands: ['STARTTLS'],
		authOptional: true,
		onAuth: (_auth, _session, cb) => cb(null, { user: 'test' }),
		onRcptTo(address, _session, cb) {
			const why = opts.refuse?.(address.address);
			if (why) {
				const err = new Error(why) as Error & { responseCode: number };
				err.responseCode = 550;
				return cb(err);
			}
			cb();
		},
		onData(stream, session, cb) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks),
					at: Date.now()
				});
				for (const w of waiters.splice(0)) w();
				cb();
			});
		},
		logger: false
	});
	server.on('error', () => undefined);
	const port = await new Promise<number>((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve((server.server.address() as net.AddressInfo).port))
	);
	return {
		port,
		received,
		async waitFor(n, timeoutMs = 15_000) {
			const end = Date.now() + timeoutMs;
			while (received.length < n) {
				if (Date.now() > end)
					throw new Error(`SMTP: ${received.length} of ${n} messages after ${timeoutMs} ms`);
				await new Promise<void>((r) => {
					waiters.push(r);
					setTimeout(r, 200);
				});
			}
			return received[n - 1];
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

export const freePort = () =>
	new Promise<number>((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
	});

export type TestDovecot = {
	port: number;
	user: string;
	password: string;
	/** APPENDs a raw message to a folder (INBOX by default), as delivery would. */
	append(raw: string, folder?: string): Promise<void>;
	stop(): Promise<void>;
	start(): Promise<void>;
	close(): Promise<void>;
};

const DOVECOT = '/usr/sbin/dovecot';

/** Whether Dovecot is installed (.ci/run installs dovecot-imapd). */
export const hasDovecot = () => fs.existsSync(DOVECOT);

/**
 * Dovecot on a loopback port, configured in a temporary folder: plain-text login (loopback only,
 * no TLS), one user with a Maildir. Run as `nobody` when the tests run as root, else as the
 * current user; `stop()`/`start()` restart it on the same port and mail.
 */
export async function startDovecot(): Promise<TestDovecot> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-dovecot-'));
	const port = await freePort();
	const user = 'buzon@isp.test';
	const password = 'clave-imap-123';
	const root = process.getuid?.() === 0;
	const uid = root ? 65534 : process.getuid!();
	const gid = root ? 65534 : process.getgid!();
	const me = os.userInfo();
	const runUser = root ? 'nobody' : me.username;
	const runGroup = root
		? 'nogroup'
		: (fs
				.readFileSync('/etc/group', 'utf8')
				.split('\n')
				.find((l) => l.split(':')[2] === String(gid))
				?.split(':')[0] ?? me.username);
	for (const d of ['run', 'state', 'home']) fs.mkdirSync(path.join(dir, d));
	fs.writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
	fs.writeFileSync(
		path.join(dir, 'dovecot.conf'),
		`base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${runUser}
default_internal_group = ${runGroup}
default_login_user = ${runUser}
first_valid_uid = ${Math.min(uid, 500)}
mail_location = maildir:${dir}/home/%u/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`
	);
	if (root) fs.chownSync(dir, uid, gid);
	for (const f of fs.readdirSync(dir)) if (root) fs.chownSync(path.join(dir, f), uid, gid);

	let proc: ChildProcess | undefined;
	const start = async () => {
		proc = spawn(DOVECOT, ['-c', path.join(dir, 'dovecot.conf'), '-F'], {
			stdio: 'ignore',
			...(root ? { uid, gid } : {})
		});
		const end = Date.now() + 10_000;
		for (;;) {
			const up = await new Promise<boolean>((resolve) => {
				const s = net.connect(port, '127.0.0.1', () => {
					s.end();
					resolve(true);
				});
				s.on('error', () => resolve(false));
			});
			if (up) return;
			if (proc.exitCode !== null || Date.now() > end) {
				const log = fs.existsSync(path.join(dir, 'dovecot.log'))
					? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8')
					: '';
				throw new Error(`dovecot did not start (exit ${proc.exitCode}): ${log}`);
			}
			await new Promise((r) => setTimeout(r, 100));
		}
	};
	const stop = async () => {
		const p = proc;
		proc = undefined;
		if (!p || p.exitCode !== null) return;
		const exited = new Promise<void>((r) => p.once('exit', () => r()));
		p.kill('SIGTERM');
		await exited;
		// The listener closes with the master; wait until the port refuses.
		for (let i = 0; i < 50; i++) {
			const up = await new Promise<boolean>((resolve) => {
				const s = net.connect(port, '127.0.0.1', () => {
					s.end();
					resolve(true);
				});
				s.on('error', () => resolve(false));
			});
			if (!up) return;
			await new Promise((r) => setTimeout(r, 100));
		}
	};
	await start();
	return {
		port,
		user,
		password,
		async append(raw, folder = 'INBOX') {
			const client = new ImapFlow({
				host: '127.0.0.1',
				port,
				secure: false,
				auth: { user, pass: password },
				logger: false
			});
			await client.connect();
			try {
				await client.append(folder, raw);
			} finally {
				await client.logout();
			}
		},
		stop,
		start,
		async close() {
			await stop();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** A plain RFC 5322 message, UTF-8, as a customer's mail program would write it. */
export function rawMessage(o: {
	from: string;
	to: string;
	cc?: string;
	subject: string;
	body: string;
	messageId: string;
	inReplyTo?: string;
	date?: Date;
	attachment?: { name: string; type: string; content: Buffer };
}): string {
	const enc = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
	const head = [
		`From: ${o.from}`,
		`To: ${o.to}`,
		...(o.cc ? [`Cc: ${o.cc}`] : []),
		`Subject: ${enc(o.subject)}`,
		`Date: ${(o.date ?? new Date()).toUTCString()}`,
		`Message-ID: ${o.messageId}`,
		...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
		'MIME-Version: 1.0'
	];
	const text = Buffer.from(o.body).toString('base64');
	if (!o.attachment) {
		return [
			...head,
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: base64',
			'',
			text,
			''
		].join('\r\n');
	}
	const b = 'enlace-test-boundary';
	return [
		...head,
		`Content-Type: multipart/mixed; boundary="${b}"`,
		'',
		`--${b}`,
		'Content-Type: text/plain; charset=utf-8',
		'Content-Transfer-Encoding: base64',
		'',
		text,
		`--${b}`,
		`Content-Type: ${o.attachment.type}; name="${o.attachment.name}"`,
		`Content-Disposition: attachment; filename="${o.attachment.name}"`,
		'Content-Transfer-Encoding: base64',
		'',
		o.attachment.content.toString('base64'),
		`--${b}--`,
		''
	].join('\r\n');
}
