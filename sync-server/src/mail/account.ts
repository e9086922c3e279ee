import {
	ImapSettings,
	SmtpSettings,
	type MailAccountInput,
	type MailAccountView
} from '@enlace/shared';
import type { Db } from '../db/client';

/**
 * The mail account (docs/mail.md): one row of `mail_account`. Its passwords stay in this table:
 * never in a synced row, never in an answer, never in a log line.
 */
export const ACCOUNT_ID = 'default';

export type MailAccount = {
	smtp: SmtpSettings & { password: string };
	imap: (ImapSettings & { password: string }) | null;
	updatedAt: string;
};

type StoredSettings = { smtp: SmtpSettings; imap: ImapSettings | null };

export async function readAccount(db: Db): Promise<MailAccount | undefined> {
	const r = await db.client.execute({
		sql: 'SELECT settings, smtp_password, imap_password, updated_at FROM mail_account WHERE id = ?',
		args: [ACCOUNT_ID]
	});
	const row = r.rows[0];
	if (!row) return undefined;
	const s = JSON.parse(String(row.settings)) as StoredSettings;
	return {
		smtp: { ...s.smtp, password: String(row.smtp_password) },
		imap: s.imap ? { ...s.imap, password: String(row.imap_password) } : null,
		updatedAt: String(row.updated_at)
	};
}

/** The account as the admin sees it: settings and whether each password is set. */
export function accountView(a: MailAccount): MailAccountView {
	const { password: smtpPassword, ...smtp } = a.smtp;
	return {
		smtp: { ...smtp, passwordSet: smtpPassword !== '' },
		imap: a.imap
			? (({ password, ...imap }) => ({ ...imap, passwordSet: password !== '' }))(a.imap)
			: null,
		updatedAt: a.updatedAt
	};
}

/** Saves the account; a password left out (or '') keeps the stored one. */
export async function saveAccount(
	db: Db,
	input: MailAccountInput,
	by: string
): Promise<MailAccount> {
	const { password: smtpPassword, ...smtp } = input.smtp;
	const imapIn = input.imap ? (({ password, ...rest }) => ({ password, rest }))(input.imap) : null;
	const settings: StoredSettings = {
		smtp: SmtpSettings.parse(smtp),
		imap: imapIn ? ImapSettings.parse(imapIn.rest) : null
	};
	const now = new Date().toISOString();
	await db.exclusive(() =>
		db.client.execute({
			sql: `INSERT INTO mail_account (id, settings, smtp_password, imap_password, updated_at, updated_by)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET settings = excluded.settings,
					smtp_password = CASE WHEN ? THEN excluded.smtp_password ELSE mail_account.smtp_password END,
					imap_password = CASE WHEN ? THEN excluded.imap_password ELSE mail_account.imap_password END,
					updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			args: [
				ACCOUNT_ID,
				JSON.stringify(settings),
				smtpPassword ?? '',
				imapIn?.password ?? '',
				now,
				by,
				smtpPassword ? 1 : 0,
				imapIn?.password ? 1 : 0
			]
		})
	);
	return (await readAccount(db))!;
}

/** The addresses that are ours: mail from them is outgoing, and they never match a customer. */
export function ownAddresses(a: MailAccount): Set<string> {
	const own = new Set([a.smtp.fromAddress.toLowerCase()]);
	if (a.imap?.user.includes('@')) own.add(a.imap.user.toLowerCase());
	if (a.smtp.user.includes('@')) own.add(a.smtp.user.toLowerCase());
	return own;
}
