import { z } from 'zod';
import { AppError } from '../protocol/errors';
import { Id } from '../schemas/common';
import {
	MAX_MAIL_ATTACHMENTS,
	MAX_MAIL_BODY,
	MAX_MAIL_RECIPIENTS,
	MailAddress,
	MailTemplate,
	bareAddress,
	type MailAttachment,
	type MailMessage
} from '../schemas/mail';
import { crudMutators } from './crud';
import { customerOrThrow, notFound } from './guards';
import { ADMIN_ONLY, OFFICE_ROLES, defineMutator, type Mutator } from './types';

/**
 * Correo's mutations (docs/mail.md). A message written on a device is a `mailMessage` row in
 * state `queued`; the server's outbox sends it after the push and writes its state (sent with the
 * message id, failed with the reason) itself, outside any mutation, so a device can never mark a
 * message sent.
 */

const Recipients = (min: number) =>
	z
		.array(MailAddress)
		.min(min, 'Indique al menos un destinatario')
		.max(MAX_MAIL_RECIPIENTS, 'Demasiados destinatarios');

export const MailSendArgs = z
	.object({
		id: Id,
		customerId: Id,
		to: Recipients(1),
		cc: Recipients(0).default([]),
		subject: z.string().trim().min(1, 'Indique el asunto').max(998, 'Máximo 998 caracteres'),
		body: z.string().max(MAX_MAIL_BODY, `Máximo ${MAX_MAIL_BODY} caracteres`),
		/** Documents of this customer, sent as their PDFs. */
		documentIds: z
			.array(Id)
			.max(MAX_MAIL_ATTACHMENTS, `Máximo ${MAX_MAIL_ATTACHMENTS} adjuntos`)
			.default([]),
		/** Received attachments passed on (a forward): stored files of this customer's mail. */
		files: z
			.array(
				z
					.object({
						fileId: Id,
						name: z.string().max(255),
						size: z.number().int().nonnegative().optional(),
						contentType: z.string().max(200).optional()
					})
					.strict()
			)
			.max(MAX_MAIL_ATTACHMENTS, `Máximo ${MAX_MAIL_ATTACHMENTS} adjuntos`)
			.default([]),
		/** Files of this customer's Repositorio (stored on the server), sent as they are. */
		repositoryFileIds: z
			.array(Id)
			.max(MAX_MAIL_ATTACHMENTS, `Máximo ${MAX_MAIL_ATTACHMENTS} adjuntos`)
			.default([]),
		/** A reply: the message answered (a row of this customer). */
		replyTo: Id.optional()
	})
	.strict();
export type MailSendArgs = z.input<typeof MailSendArgs>;

/**
 * The attachments a message will carry: the documents' PDFs by name, the Repositorio's files, then
 * the passed-on files.
 */
async function attachmentsOf(
	tx: Parameters<Mutator['apply']>[0],
	args: z.output<typeof MailSendArgs>
): Promise<MailAttachment[]> {
	const out: MailAttachment[] = [];
	for (const documentId of args.documentIds) {
		const doc = await tx.get('document', documentId);
		if (!doc || doc.customerId !== args.customerId) {
			throw new AppError(
				'not-found',
				'Un documento adjunto no existe o no es de este cliente',
				'attachments',
				404
			);
		}
		const name = `${doc.number ?? 'borrador'}.pdf`.replace(/[/\\]/g, '-');
		out.push({ kind: 'document', documentId, name, contentType: 'application/pdf' });
	}
	for (const fileId of args.repositoryFileIds) {
		const file = await tx.get('file', fileId);
		if (!file || file.customerId !== args.customerId) {
			throw new AppError(
				'not-found',
				'Un archivo adjunto no existe o no es de este cliente',
				'attachments',
				404
			);
		}
		if (!file.storedAt) {
			throw new AppError(
				'conflict',
				`El archivo ${file.fileName} aún no ha llegado al servidor`,
				'attachments',
				409
			);
		}
		out.push({
			kind: 'file',
			fileId,
			name: file.fileName,
			size: file.size,
			contentType: file.mimeType || 'application/octet-stream'
		});
	}
	for (const f of args.files) out.push({ kind: 'file', ...f });
	if (out.length > MAX_MAIL_ATTACHMENTS) {
		throw new AppError('invalid-field', `Máximo ${MAX_MAIL_ATTACHMENTS} adjuntos`, 'attachments');
	}
	return out;
}

export const mailSend = defineMutator({
	name: 'mail.send',
	args: MailSendArgs,
	roles: OFFICE_ROLES,
	async apply(tx, args) {
		// Sent once: a replayed push finds the row and leaves it (it may be sent already).
		if (await tx.get('mailMessage', args.id)) return;
		await customerOrThrow(tx, args.customerId);
		const attachments = await attachmentsOf(tx, args);
		let thread: Pick<MailMessage, 'inReplyTo' | 'threadId'> = {};
		if (args.replyTo) {
			const original = await tx.get('mailMessage', args.replyTo);
			if (!original || original.customerId !== args.customerId) {
				throw notFound('El mensaje al que responde', 'replyTo');
			}
			if (original.messageId) {
				thread = {
					inReplyTo: original.messageId,
					threadId: original.threadId ?? original.messageId
				};
			}
		}
		const row: MailMessage = {
			id: args.id,
			customerId: args.customerId,
			direction: 'out',
			status: 'queued',
			from: '',
			to: args.to,
			cc: args.cc,
			subject: args.subject,
			body: args.body,
			attachments,
			...thread,
			at: tx.ctx.now,
			attempts: 0,
			userName: tx.ctx.userName,
			createdAt: tx.ctx.now,
			updatedAt: tx.ctx.now
		};
		await tx.put('mailMessage', row);
	}
});

/** Send a failed message again: back to the outbox, tries counted from zero. */
export const mailRetry = defineMutator({
	name: 'mail.retry',
	args: z.object({ id: Id }).strict(),
	roles: OFFICE_ROLES,
	async apply(tx, { id }) {
		const row = await tx.get('mailMessage', id);
		if (!row) throw notFound('El mensaje');
		if (row.direction !== 'out' || row.status !== 'failed') {
			throw new AppError('conflict', 'Solo se reintenta un envío fallido', 'status', 409);
		}
		const { error: _e, nextAttemptAt: _n, ...rest } = row;
		await tx.put('mailMessage', {
			...rest,
			status: 'queued',
			attempts: 0,
			updatedAt: tx.ctx.now
		});
	}
});

/** Received mail read (or marked unread again); the tab's count follows. */
export const mailMarkRead = defineMutator({
	name: 'mail.markRead',
	args: z.object({ id: Id, read: z.boolean() }).strict(),
	roles: OFFICE_ROLES,
	async apply(tx, { id, read }) {
		const row = await tx.get('mailMessage', id);
		if (!row) throw notFound('El mensaje');
		if (row.direction !== 'in' || Boolean(row.read) === read) return;
		await tx.put('mailMessage', { ...row, read, updatedAt: tx.ctx.now });
	}
});

/**
 * Correo › Sin asignar: file a message no address matched under a customer (a new row of that
 * customer, `messageRowId` made by the device), and optionally keep the sender's address on the
 * customer: as its email when it has none, else as a new contact person (`contactId`).
 */
export const mailAssign = defineMutator({
	name: 'mail.assign',
	args: z
		.object({
			id: Id,
			customerId: Id,
			messageRowId: Id,
			addAddress: z.boolean().default(false),
			contactId: Id.optional()
		})
		.strict(),
	roles: OFFICE_ROLES,
	async apply(tx, args) {
		const inbox = await tx.get('mailUnassigned', args.id);
		if (!inbox) {
			// Filed already (by this device's earlier push, or by someone else): nothing left to do.
			if (await tx.get('mailMessage', args.messageRowId)) return;
			throw notFound('El mensaje sin asignar');
		}
		const customer = await customerOrThrow(tx, args.customerId);
		await tx.put('mailMessage', {
			...inbox,
			id: args.messageRowId,
			customerId: args.customerId,
			updatedAt: tx.ctx.now
		});
		await tx.del('mailUnassigned', args.id);
		if (!args.addAddress) return;
		const address = bareAddress(inbox.direction === 'in' ? inbox.from : (inbox.to[0] ?? ''));
		if (!MailAddress.safeParse(address).success) return;
		if (!customer.email) {
			await tx.put('customer', { ...customer, email: address, updatedAt: tx.ctx.now });
			return;
		}
		if (customer.email.trim().toLowerCase() === address) return;
		const contacts = await tx.findBy('contactPerson', 'customerId', args.customerId);
		if (contacts.some((c) => c.email?.trim().toLowerCase() === address)) return;
		if (!args.contactId) {
			throw new AppError('invalid-field', 'Falta el identificador del contacto', 'contactId');
		}
		const name =
			inbox.from
				.replace(/<[^>]*>\s*$/, '')
				.replace(/"/g, '')
				.trim() || address;
		await tx.put('contactPerson', {
			id: args.contactId,
			customerId: args.customerId,
			name: name.slice(0, 150),
			email: address,
			createdAt: tx.ctx.now,
			updatedAt: tx.ctx.now
		});
	}
});

const templateMutators = crudMutators({
	entity: 'mailTemplate',
	noun: 'La plantilla de correo',
	object: MailTemplate,
	roles: ADMIN_ONLY
});

export const mailMutators: Mutator[] = [
	mailSend as Mutator,
	mailRetry as Mutator,
	mailMarkRead as Mutator,
	mailAssign as Mutator,
	...templateMutators
];
