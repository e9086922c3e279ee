import type { InStatement } from '@libsql/client';
import type { Db } from '../db/client';
import { readWhole, type FileStorage } from '../files/storage';

/**
 * Attachments of received mail (docs/mail.md): their bytes in the file service's storage (the
 * local disk or the S3 bucket), under `mail-<id>`; what they are in `mail_files`. Ids are derived
 * from the message and the attachment's position, so importing a message again writes the same
 * bytes under the same key and no new row. Rows of mail only hold `fileId`.
 */
export type MailFile = { id: string; name: string; contentType: string; data: Buffer };

/** The storage key of a received attachment: apart from the file rows' UUIDs. */
export const mailFileKey = (id: string) => `mail-${id}`;

/** The bytes first (idempotent), before the batch that records the message. */
export async function storeFileBytes(storage: FileStorage, f: MailFile): Promise<void> {
	await storage.write(mailFileKey(f.id), f.data);
}

export function storeFileStatement(f: MailFile, now: string): InStatement {
	return {
		sql: `INSERT INTO mail_files (id, name, content_type, size, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		args: [f.id, f.name, f.contentType, f.data.length, now]
	};
}

/**
 * A received attachment whole: from the storage, or from the row itself for those received
 * before attachments moved to the storage (migration 0015).
 */
export async function readFile(
	db: Db,
	storage: FileStorage,
	id: string
): Promise<MailFile | undefined> {
	const r = await db.client.execute({
		sql: 'SELECT id, name, content_type, size, data FROM mail_files WHERE id = ?',
		args: [id]
	});
	const row = r.rows[0];
	if (!row) return undefined;
	return {
		id: String(row.id),
		name: String(row.name),
		contentType: String(row.content_type),
		data:
			row.data !== null
				? Buffer.from(row.data as ArrayBuffer)
				: await readWhole(storage, mailFileKey(id), Number(row.size))
	};
}
