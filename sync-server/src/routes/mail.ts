import { Hono } from 'hono';
import {
	AppError,
	Id,
	MailAccountInput,
	MailTestInput,
	parseOrThrow,
	type MailTestResult
} from '@enlace/shared';
import type { Db } from '../db/client';
import { jsonBody, type AppEnv } from '../http';
import { requireUser } from '../auth/middleware';
import { accountView, readAccount, saveAccount } from '../mail/account';
import { readFile } from '../mail/files';
import { testImap } from '../mail/receiver';
import { testSmtp } from '../mail/smtp';
import type { MailService } from '../mail/service';

/**
 * Correo's HTTP side (docs/mail.md): the account (admins; passwords go in, never out), "Probar
 * conexión", and the download of received attachments (office roles, like the mail rows).
 */
export function mailRoutes(db: Db, mail?: MailService) {
	return new Hono<AppEnv>()
		.use('/mail/account', requireUser(db, ['admin']))
		.use('/mail/account/*', requireUser(db, ['admin']))
		.use('/mail/files/*', requireUser(db, ['admin', 'office']))
		.get('/mail/account', async (c) => {
			const account = await readAccount(db);
			if (!account) return c.json({ account: null });
			return c.json({ account: { ...accountView(account), receiver: mail?.receiverState() } });
		})
		.put('/mail/account', async (c) => {
			const input = parseOrThrow(MailAccountInput, await jsonBody(c));
			const account = await saveAccount(db, input, c.get('user').id);
			mail?.accountChanged();
			return c.json({ account: accountView(account) });
		})
		.post('/mail/account/test', async (c) => {
			const input = parseOrThrow(MailTestInput, await jsonBody(c));
			const stored = await readAccount(db);
			let result: MailTestResult;
			if (input.kind === 'smtp') {
				const password = input.settings.password || stored?.smtp.password || '';
				result = await testSmtp({ ...input.settings, password });
			} else {
				const password = input.settings.password || stored?.imap?.password || '';
				result = await testImap({ ...input.settings, password });
			}
			return c.json(result);
		})
		.get('/mail/files/:id', async (c) => {
			const id = parseOrThrow(Id, c.req.param('id'));
			const file = mail ? await readFile(db, mail.storage, id) : undefined;
			if (!file) throw new AppError('not-found', 'El adjunto no existe', undefined, 404);
			const name = file.name;
			return c.body(new Uint8Array(file.data) as unknown as ArrayBuffer, 200, {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
				'x-content-type-options': 'nosniff'
			});
		});
}
