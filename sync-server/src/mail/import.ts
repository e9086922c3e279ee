import { createHash } from 'node:crypto';
import type { InStatement } from '@libsql/client';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import {
	MAX_MAIL_ATTACHMENTS,
	MAX_MAIL_BODY,
	MailAddress,
	type MailAttachment,
	type MailUnassigned
} from '@enlace/shared';
import type { Db } from '../db/client';
import type { FileStorage } from '../files/storage';
import { recordStatements, type RecordWrite } from '../sync/store';
import { ACCOUNT_ID } from './account';
import { storeFileBytes, storeFileStatement, type MailFile } from './files';
import { MAIL_WRITER } from './outbox';

/** Where a message was found on the IMAP server: its folder position, for the folder's state. */
export type Source = { folder: string; uidValidity: string; uid: number };

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

const addressesOf = (a: AddressObject | AddressObject[] | undefined): string[] =>
	(Array.isArray(a) ? a : a ? [a] : [])
		.flatMap((o) => o.value)
		.map((v) => v.address?.trim().toLowerCase() ?? '')
		.filter((v) => MailAddress.safeParse(v).success);

/** The customers whose email, or one of whose contact people's, is among `addresses`. */
export async function customersOf(db: Db, addresses: string[]): Promise<string[]> {
	if (!addresses.length) return [];
	const marks = addresses.map(() => '?').join(',');
	const r = await db.client.execute({
		sql: `SELECT id FROM records WHERE entity = 'customer' AND deleted = 0
				AND lower(trim(json_extract(data, '$.email'))) IN (${marks})
			UNION SELECT customer_id FROM records WHERE entity = 'contactPerson' AND deleted = 0
				AND lower(trim(json_extract(data, '$.email'))) IN (${marks})`,
		args: [...addresses, ...addresses]
	});
	return [...new Set(r.rows.map((x) => String(x.id)))].sort();
}

/** The thread a message joins: the one of the message it answers, when we hold it. */
async function threadOf(db: Db, parsed: ParsedMail): Promise<string | undefined> {
	const refs = [
		parsed.inReplyTo,
		...(Array.isArray(parsed.references) ? parsed.references : [parsed.references])
	].filter((v): v is string => !!v);
	for (const ref of refs) {
		const r = await db.client.execute({
			sql: `SELECT json_extract(data, '$.threadId') AS t, json_extract(data, '$.messageId') AS m
				FROM records WHERE entity = 'mailMessage' AND deleted = 0
				AND json_extract(data, '$.messageId') = ? LIMIT 1`,
			args: [ref]
		});
		if (r.rows.length) return String(r.rows[0].t ?? r.rows[0].m);
	}
	return refs.at(-1) ?? parsed.messageId;
}

async function exists(db: Db, entity: string, id: string): Promise<boolean> {
	const r = await db.client.execute({
		sql: 'SELECT 1 FROM records WHERE entity = ? AND id = ? AND deleted = 0',
		args: [entity, id]
	});
	return r.rows.length > 0;
}

async function messageIdKnown(db: Db, messageId: string): Promise<boolean> {
	const r = await db.client.execute({
		sql: `SELECT 1 FROM records WHERE entity = 'mailMessage' AND deleted = 0
				AND json_extract(data, '$.messageId') = ?
			UNION ALL SELECT 1 FROM records WHERE entity = 'mailUnassigned' AND deleted = 0
				AND json_extract(data, '$.messageId') = ? LIMIT 1`,
		args: [messageId, messageId]
	});
	return r.rows.length > 0;
}

export type ImportResult = { customers: string[]; unassigned: boolean; skipped: boolean };

/**
 * Files one raw message (docs/mail.md#receiving): a `mailMessage` row under every customer whose
 * address is in From/To/Cc (ours left out), else one `mailUnassigned` row; its attachments'
 * bytes into the file service's storage first, then what they are (`mail_files`), the rows and
 * the folder's position in one batch, so a message is imported once and a crash in between
 * imports it again from the same place (its attachments written again under the same keys). Row
 * ids come from the Message-ID (or the folder position) and the customer, and a Message-ID
 * already held is not imported again: our own sent mail in a watched folder, or the same message
 * seen in two folders.
 */
export async function importMessage(
	db: Db,
	storage: FileStorage,
	raw: Buffer,
	source: Source,
	own: Set<string>
): Promise<ImportResult> {
	const parsed = await simpleParser(raw, { skipHtmlToText: false });
	const key = parsed.messageId ?? `${source.folder}:${source.uidValidity}:${source.uid}`;
	const from = addressesOf(parsed.from);
	const to = addressesOf(parsed.to);
	const cc = addressesOf(parsed.cc);
	const outgoing = from.some((a) => own.has(a));
	const customers = await customersOf(
		db,
		[...new Set([...from, ...to, ...cc])].filter((a) => !own.has(a))
	);
	const now = new Date().toISOString();
	const at = (
		parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : new Date()
	).toISOString();

	const files: MailFile[] = [];
	const attachments: MailAttachment[] = [];
	parsed.attachments.slice(0, MAX_MAIL_ATTACHMENTS).forEach((a, i) => {
		const id = hash(`${key}#${i}`);
		const name = (a.filename ?? `adjunto-${i + 1}`).slice(0, 255);
		files.push({
			id,
			name,
			contentType: a.contentType || 'application/octet-stream',
			data: a.content
		});
		attachments.push({
			kind: 'file',
			fileId: id,
			name,
			size: a.size ?? a.content.length,
			contentType: a.contentType
		});
	});

	let body = parsed.text ?? '';
	if (body.length > MAX_MAIL_BODY)
		body = `${body.slice(0, MAX_MAIL_BODY - 60)}\n\n[… texto recortado: el resto sigue en el servidor de correo]`;
	const threadId = await threadOf(db, parsed);
	const base: MailUnassigned = {
		id: '',
		direction: outgoing ? 'out' : 'in',
		status: outgoing ? 'sent' : 'received',
		from: (parsed.from?.text ?? '').slice(0, 600),
		to: to.slice(0, 50),
		cc: cc.slice(0, 50),
		subject: (parsed.subject ?? '').slice(0, 998),
		body,
		attachments,
		...(parsed.messageId ? { messageId: parsed.messageId.slice(0, 998) } : {}),
		...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo.slice(0, 998) } : {}),
		...(threadId ? { threadId: threadId.slice(0, 998) } : {}),
		at,
		...(outgoing ? { sentAt: at } : { read: false }),
		createdAt: now,
		updatedAt: now
	};

	const writes: RecordWrite[] = [];
	const known = parsed.messageId ? await messageIdKnown(db, parsed.messageId) : false;
	if (!known) {
		for (const customerId of customers) {
			const id = hash(`${key}|${customerId}`);
			if (await exists(db, 'mailMessage', id)) continue;
			writes.push({ entity: 'mailMessage', id, row: { ...base, id, customerId } });
		}
		if (!customers.length) {
			const id = hash(`${key}|unassigned`);
			if (!(await exists(db, 'mailUnassigned', id))) {
				writes.push({ entity: 'mailUnassigned', id, row: { ...base, id } });
			}
		}
	}
	if (writes.length) for (const f of files) await storeFileBytes(storage, f);
	const stmts: InStatement[] = [
		...(writes.length ? files.map((f) => storeFileStatement(f, now)) : []),
		...recordStatements(writes, MAIL_WRITER, now),
		{
			sql: `INSERT INTO mail_folders (account, folder, uid_validity, last_uid) VALUES (?, ?, ?, ?)
				ON CONFLICT (account, folder) DO UPDATE SET uid_validity = excluded.uid_validity,
					last_uid = max(CASE WHEN mail_folders.uid_validity = excluded.uid_validity
						THEN mail_folders.last_uid ELSE 0 END, excluded.last_uid)`,
			args: [ACCOUNT_ID, source.folder, source.uidValidity, source.uid]
		}
	];
	await db.exclusive(() => db.client.batch(stmts, 'write'));
	return { customers, unassigned: !known && !customers.length, skipped: known || !writes.length };
}

/** The receiver's position in a folder: the UID after which to look (0 after a UIDVALIDITY change). */
export async function folderPosition(db: Db, folder: string, uidValidity: string): Promise<number> {
	const r = await db.client.execute({
		sql: 'SELECT uid_validity, last_uid FROM mail_folders WHERE account = ? AND folder = ?',
		args: [ACCOUNT_ID, folder]
	});
	const row = r.rows[0];
	if (!row || String(row.uid_validity) !== uidValidity) return 0;
	return Number(row.last_uid);
}
