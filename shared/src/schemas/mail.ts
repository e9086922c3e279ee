import { z } from 'zod';
import { Id, IsoDateTime, requiredText, text } from './common';

/**
 * Correo (docs/mail.md): the customer's mail, sent over SMTP and received over IMAP by the server.
 * A message is one synced row per customer it belongs to (`mailMessage`); a received message no
 * customer matches waits as a `mailUnassigned` row until the office files it. The account
 * settings and passwords are not rows: they live in a server table and never reach a device.
 */

// A deliberately simple address check, the same as OptionalEmail's.
const EMAIL_RE = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** One mail address, trimmed; the error carries the wire code `invalid-email`. */
export const MailAddress = z
	.string()
	.trim()
	.max(254, 'Máximo 254 caracteres')
	.superRefine((v, ctx) => {
		if (!EMAIL_RE.test(v)) {
			ctx.addIssue({
				code: 'custom',
				message: `El correo electrónico no es válido: ${v || '(vacío)'}`,
				params: { code: 'invalid-email' }
			});
		}
	});

export const MAX_MAIL_RECIPIENTS = 50;
export const MAX_MAIL_ATTACHMENTS = 20;
/** Text kept of a message's body; a longer received body is cut (the rest stays on the mail server). */
export const MAX_MAIL_BODY = 200_000;

/**
 * A message's attachment. `document`: a document of the customer, whose PDF the server makes when
 * it sends; `file`: bytes stored on the server (received attachments), downloaded from
 * `/api/mail/attachments/:fileId`.
 */
export const MailAttachment = z
	.object({
		kind: z.enum(['document', 'file']),
		documentId: Id.optional(),
		fileId: Id.optional(),
		name: z.string().max(255, 'Máximo 255 caracteres'),
		size: z.number().int().nonnegative().optional(),
		contentType: z.string().max(200).optional()
	})
	.strict();
export type MailAttachment = z.infer<typeof MailAttachment>;

/**
 * `queued`: waiting in the server's outbox (also while a device has not pushed it yet);
 * `sending`: the server is handing it to the SMTP server; `sent` (with the server's message id),
 * `failed` (with the reason); `received`: came in over IMAP.
 */
export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'failed', 'received'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

const messageFields = {
	id: Id,
	direction: z.enum(['out', 'in']),
	status: z.enum(MAIL_STATUSES),
	/** The sender as written in the header ("Ana <ana@x.es>"); empty on a message not sent yet. */
	from: z.string().max(600).default(''),
	to: z.array(MailAddress).max(MAX_MAIL_RECIPIENTS, 'Demasiados destinatarios'),
	cc: z.array(MailAddress).max(MAX_MAIL_RECIPIENTS, 'Demasiados destinatarios').default([]),
	subject: z.string().max(998, 'Máximo 998 caracteres'),
	body: z.string().max(MAX_MAIL_BODY, `Máximo ${MAX_MAIL_BODY} caracteres`),
	attachments: z
		.array(MailAttachment)
		.max(MAX_MAIL_ATTACHMENTS, `Máximo ${MAX_MAIL_ATTACHMENTS} adjuntos`)
		.default([]),
	/** The Message-ID header (with its angle brackets). */
	messageId: z.string().max(998).optional(),
	inReplyTo: z.string().max(998).optional(),
	/** The first message of the thread (its Message-ID), for grouping replies. */
	threadId: z.string().max(998).optional(),
	/** When it was written (out) or received (in): the list's order and the device window's time. */
	at: IsoDateTime,
	sentAt: IsoDateTime.optional(),
	/** Why it failed (the SMTP server's answer in plain words), or why the last try failed. */
	error: z.string().max(2000).optional(),
	attempts: z.number().int().nonnegative().optional(),
	nextAttemptAt: IsoDateTime.optional(),
	/** Received mail: read by someone in the office (the tab's unread count). */
	read: z.boolean().optional(),
	/** Who wrote it (sent mail), from the session. */
	userName: z.string().max(200).optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
};

export const MailMessage = z.object({ ...messageFields, customerId: Id });
export type MailMessage = z.infer<typeof MailMessage>;

/** A received message no customer's address matched: Correo › Sin asignar. */
export const MailUnassigned = z.object(messageFields);
export type MailUnassigned = z.infer<typeof MailUnassigned>;

/** Configuración › Plantillas de correo: subject and body with `{{variables}}`. */
export const MailTemplate = z.object({
	id: Id,
	name: requiredText(120, 'Indique el nombre de la plantilla'),
	subject: z.string().max(998, 'Máximo 998 caracteres'),
	body: z.string().max(20_000, 'Máximo 20000 caracteres'),
	notes: text(500),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type MailTemplate = z.infer<typeof MailTemplate>;

export const MAIL_FIELD_LABELS: Record<string, string> = {
	subject: 'Asunto',
	to: 'Para',
	cc: 'CC',
	body: 'Texto',
	attachments: 'Adjuntos',
	status: 'Estado del envío',
	read: 'Leído'
};

/** The bare address of a header value ("Ana Pérez <ana@x.es>" → "ana@x.es"), lower-cased. */
export function bareAddress(value: string): string {
	const m = value.match(/<([^<>]+)>\s*$/);
	return (m ? m[1] : value).trim().toLowerCase();
}

// ------------------------------------------------------------------------------------------------
// The mail account (Configuración › Correo, admins). Not a synced row: the server keeps it in its
// own table with the passwords, and `GET /api/mail/account` answers it without them.

const Host = z
	.string()
	.trim()
	.max(253, 'Máximo 253 caracteres')
	.regex(/^[^\s/:]*$/, 'Escriba solo el nombre o la dirección del servidor, sin espacios ni «/»');
const Port = z
	.number('Indique el puerto')
	.int('El puerto es un número entero')
	.min(1, 'El puerto va de 1 a 65535')
	.max(65535, 'El puerto va de 1 a 65535');

/** `starttls`: plain connection upgraded (587); `tls`: TLS from the start (465); `none`: neither. */
export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;

export const SmtpSettings = z
	.object({
		host: Host.min(1, 'Indique el servidor SMTP'),
		port: Port,
		security: z.enum(SMTP_SECURITY),
		user: z.string().trim().max(254, 'Máximo 254 caracteres').default(''),
		fromName: z.string().trim().max(120, 'Máximo 120 caracteres').default(''),
		fromAddress: MailAddress
	})
	.strict();
export type SmtpSettings = z.infer<typeof SmtpSettings>;

export const ImapSettings = z
	.object({
		/** Off: nothing is received (the settings are kept). */
		enabled: z.boolean().default(true),
		host: Host.min(1, 'Indique el servidor IMAP'),
		port: Port,
		tls: z.boolean(),
		user: z.string().trim().min(1, 'Indique el usuario IMAP').max(254, 'Máximo 254 caracteres'),
		folders: z
			.array(z.string().trim().min(1, 'Carpeta vacía').max(200, 'Máximo 200 caracteres'))
			.min(1, 'Indique al menos una carpeta (INBOX)')
			.max(10, 'Máximo 10 carpetas')
			.default(['INBOX'])
	})
	.strict();
export type ImapSettings = z.infer<typeof ImapSettings>;

/** What the admin saves: settings, and a password only when typed (absent or '' keeps the stored one). */
export const MailAccountInput = z
	.object({
		smtp: SmtpSettings.extend({ password: z.string().max(500).optional() }).strict(),
		imap: ImapSettings.extend({ password: z.string().max(500).optional() })
			.strict()
			.nullable()
	})
	.strict();
export type MailAccountInput = z.input<typeof MailAccountInput>;

/** What the server answers: never a password, only whether one is kept. */
export type MailAccountView = {
	smtp: SmtpSettings & { passwordSet: boolean };
	imap: (ImapSettings & { passwordSet: boolean }) | null;
	/** The receiver's state: connected, last check, last error in plain words. */
	receiver?: { state: 'off' | 'connecting' | 'watching' | 'error'; at?: string; message?: string };
	updatedAt: string;
};

/** `POST /api/mail/account/test`: which half, with the form's values (a blank password: the stored one). */
export const MailTestInput = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('smtp'), settings: MailAccountInput.shape.smtp }).strict(),
	z
		.object({
			kind: z.literal('imap'),
			settings: ImapSettings.extend({ password: z.string().max(500).optional() }).strict()
		})
		.strict()
]);
export type MailTestInput = z.input<typeof MailTestInput>;
export type MailTestResult = { ok: boolean; message: string };
