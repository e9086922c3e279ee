import { Hono } from 'hono';
import { z } from 'zod';
import { AppError, BillingMonth, Id, parseOrThrow } from '@enlace/shared';
import type { Db } from '../db/client';
import { jsonBody, type AppEnv } from '../http';
import { requireUser } from '../auth/middleware';
import { previewRun, runStatus, type BillingRuns } from '../billing/run';
import { runMailStatus, type BillingRunMail } from '../billing/mail';

/**
 * Facturación (docs/billing-run.md), office and admin: the month's preview, page by page, and the
 * run — started here, then followed by polling its status — and its "Enviar facturas" (docs/mail.md).
 */

const PREVIEW_FILTERS = ['all', 'ready', 'exceptions', 'issued'] as const;

const PreviewQuery = z.strictObject({
	period: BillingMonth,
	page: z.coerce.number().int().min(1).default(1),
	size: z.coerce.number().int().min(1).max(500).default(50),
	filter: z.enum(PREVIEW_FILTERS).default('all')
});

/** The preview of a month is computed on page 1 and kept briefly for the pages after it. */
const PREVIEW_KEEP_MS = 60_000;

export function billingRoutes(db: Db, runs: BillingRuns, mails: BillingRunMail) {
	const kept = new Map<string, { at: number; preview: Awaited<ReturnType<typeof previewRun>> }>();
	async function preview(month: string, fresh: boolean) {
		const hit = kept.get(month);
		if (!fresh && hit && Date.now() - hit.at < PREVIEW_KEEP_MS) return hit.preview;
		const p = await previewRun(db, month);
		kept.clear();
		kept.set(month, { at: Date.now(), preview: p });
		return p;
	}
	return new Hono<AppEnv>()
		.use('/billing/*', requireUser(db, ['admin', 'office']))
		.get('/billing/preview', async (c) => {
			const q = parseOrThrow(PreviewQuery, c.req.query());
			const p = await preview(q.period, q.page === 1);
			const items = p.items.filter((i) =>
				q.filter === 'ready'
					? !i.exceptions.length && !i.number
					: q.filter === 'exceptions'
						? i.exceptions.length > 0
						: q.filter === 'issued'
							? Boolean(i.number)
							: true
			);
			const pages = Math.max(1, Math.ceil(items.length / q.size));
			return c.json({
				period: p.month,
				issueDay: p.issueDay,
				summary: p.summary,
				run: (await runStatus(db, q.period)) ?? null,
				filter: q.filter,
				count: items.length,
				page: q.page,
				pages,
				items: items.slice((q.page - 1) * q.size, q.page * q.size)
			});
		})
		.post('/billing/runs', async (c) => {
			const { period } = parseOrThrow(z.strictObject({ period: BillingMonth }), await jsonBody(c));
			const user = c.get('user');
			const run = await runs.start(period, { id: user.id, name: user.name, role: user.role });
			return c.json({ run }, 202);
		})
		.get('/billing/runs/:period', async (c) => {
			const period = parseOrThrow(BillingMonth, c.req.param('period'));
			const run = await runStatus(db, period);
			if (!run) throw new AppError('not-found', 'No hay facturación de ese mes', 'period', 404);
			return c.json({ run });
		})
		.post('/billing/runs/:period/email', async (c) => {
			const period = parseOrThrow(BillingMonth, c.req.param('period'));
			const { templateId } = parseOrThrow(
				z.strictObject({ templateId: Id.optional() }),
				await jsonBody(c)
			);
			const user = c.get('user');
			const mail = await mails.start(
				period,
				{ id: user.id, name: user.name, role: user.role },
				templateId
			);
			return c.json({ mail }, 202);
		})
		.get('/billing/runs/:period/email', async (c) => {
			const period = parseOrThrow(BillingMonth, c.req.param('period'));
			const mail = await runMailStatus(db, period);
			if (!mail) {
				throw new AppError('not-found', 'Las facturas de ese mes no se han enviado', 'period', 404);
			}
			return c.json({ mail });
		});
}
