import nodemailer from 'nodemailer';
import type { SmtpSettings } from '@enlace/shared';

/** How long the server waits for an SMTP server at each step before giving up on this try. */
const TIMEOUT_MS = 20_000;

export function smtpTransport(s: SmtpSettings & { password: string }) {
	return nodemailer.createTransport({
		host: s.host,
		port: s.port,
		secure: s.security === 'tls',
		requireTLS: s.security === 'starttls',
		ignoreTLS: s.security === 'none',
		auth: s.user ? { user: s.user, pass: s.password } : undefined,
		connectionTimeout: TIMEOUT_MS,
		greetingTimeout: TIMEOUT_MS,
		socketTimeout: TIMEOUT_MS * 3,
		// Never log: the AUTH exchange carries the password.
		logger: false,
		debug: false
	});
}

type SmtpError = Error & {
	code?: string;
	responseCode?: number;
	response?: string;
	command?: string;
	rejected?: string[];
};

/**
 * Whether trying again later may succeed: the server could not be reached or answered 4xx
 * (busy, greylisting). A 5xx answer (recipient refused, message refused) is final.
 */
export function isTransient(e: unknown): boolean {
	const err = e as SmtpError;
	if (typeof err.responseCode === 'number') return err.responseCode < 500;
	return ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'EAUTH'].includes(
		err.code ?? ''
	);
}

/** The SMTP server's answer in plain Spanish words, with its own text after them. */
export function smtpReason(e: unknown, s: Pick<SmtpSettings, 'host' | 'port'>): string {
	const err = e as SmtpError;
	const said = err.response ? `: «${err.response.trim()}»` : '';
	const where = `${s.host}:${s.port}`;
	const msg = err.message ?? String(e);
	if (err.code === 'EENVELOPE' && err.rejected?.length) {
		return `El servidor de correo rechazó el destinatario ${err.rejected.join(', ')}${said}`;
	}
	if (err.code === 'EENVELOPE') return `El servidor de correo rechazó el envío${said}`;
	if (err.code === 'EAUTH') {
		return `El servidor SMTP no aceptó el usuario o la contraseña${said}`;
	}
	if (/ECONNREFUSED/.test(msg) || (err as { errno?: string }).errno === 'ECONNREFUSED') {
		return `No se pudo conectar con el servidor SMTP ${where}: rechazó la conexión (¿servidor o puerto equivocados?)`;
	}
	if (/ENOTFOUND|EAI_AGAIN/.test(msg) || err.code === 'EDNS') {
		return `No se encuentra el servidor SMTP «${s.host}» (¿nombre mal escrito?)`;
	}
	if (err.code === 'ETIMEDOUT' || /timeout/i.test(msg)) {
		return `El servidor SMTP ${where} no respondió a tiempo`;
	}
	if (/certificate|self.signed|TLS|SSL|wrong version number/i.test(msg)) {
		return `Fallo del cifrado con ${where} (¿TLS o STARTTLS equivocado para ese puerto?): ${msg}`;
	}
	if (typeof err.responseCode === 'number') {
		return `El servidor de correo respondió con un error${said || `: ${msg}`}`;
	}
	return `Error al enviar por ${where}: ${msg}`;
}

/** "Probar conexión": connect, greet, sign in; the answer in plain words. */
export async function testSmtp(
	s: SmtpSettings & { password: string }
): Promise<{ ok: boolean; message: string }> {
	const t = smtpTransport(s);
	try {
		await t.verify();
		return {
			ok: true,
			message: `Conexión correcta con ${s.host}:${s.port}${s.user ? `; el servidor aceptó el usuario ${s.user}` : ''}.`
		};
	} catch (e) {
		return { ok: false, message: smtpReason(e, s) };
	} finally {
		t.close();
	}
}
