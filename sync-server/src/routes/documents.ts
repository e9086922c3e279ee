import { Hono } from 'hono';
import {
	AppError,
	COMPANY_PROFILE_ID,
	Id,
	parseOrThrow,
	partyAddress,
	type Address,
	type CompanyProfile,
	type Customer,
	type Document
} from '@enlace/shared';
import { documentPdfInput, documentPdfFileName, renderDocumentPdf } from '@enlace/shared/pdf/index';
import type { Db } from '../db/client';
import type { AppEnv } from '../http';
import { requireUser } from '../auth/middleware';
import { readRow } from '../sync/store';

/** A document's PDF and file name, made by the shared renderer (the route below, mail attachments). */
export async function documentPdf(
	db: Db,
	id: string
): Promise<{ bytes: Uint8Array; name: string }> {
	const document = (await readRow(db.client, 'document', id)) as Document | undefined;
	if (!document) throw new AppError('not-found', 'El documento no existe', undefined, 404);
	const [company, customer, rectified] = await Promise.all([
		readRow(db.client, 'companyProfile', COMPANY_PROFILE_ID) as Promise<CompanyProfile | undefined>,
		readRow(db.client, 'customer', document.customerId) as Promise<Customer | undefined>,
		document.rectifies
			? (readRow(db.client, 'document', document.rectifies.documentId) as Promise<
					Document | undefined
				>)
			: undefined
	]);
	const addresses = await db.client.execute({
		sql: `SELECT data FROM records WHERE entity = 'address' AND deleted = 0 AND customer_id = ?`,
		args: [document.customerId]
	});
	const all = addresses.rows.map((r) => JSON.parse(String(r.data)) as Address);
	const fiscal = all.find((a) => a.label === 'fiscal') ?? all[0];
	const input = documentPdfInput({
		document,
		company,
		customer: {
			name: customer?.name ?? '',
			code: customer?.code,
			taxId: customer?.taxId,
			address: fiscal ? partyAddress(fiscal) : undefined
		},
		rectified
	});
	// Dated by the document's last change, so the same document always gives the same bytes (the
	// PDF a customer received by mail is the one this route hands out).
	const changed = Date.parse(document.updatedAt ?? document.createdAt ?? '');
	const bytes = await renderDocumentPdf(input, {
		createdAt: Number.isNaN(changed) ? undefined : new Date(changed)
	});
	const name = documentPdfFileName(input);
	return { bytes, name };
}

/**
 * A document's PDF made on the server by the same code and mapping as on the device
 * (docs/pdf.md): for whoever needs it without the app (mail, the billing run, a link). Documents
 * are finance rows, so the office roles only, like the rows themselves.
 */
export function documentRoutes(db: Db) {
	return new Hono<AppEnv>()
		.use('/documents/*', requireUser(db, ['admin', 'office']))
		.get('/documents/:id/pdf', async (c) => {
			const id = parseOrThrow(Id, c.req.param('id'));
			const { bytes, name } = await documentPdf(db, id);
			return c.body(bytes as unknown as ArrayBuffer, 200, {
				'content-type': 'application/pdf',
				'content-disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
				'x-content-type-options': 'nosniff'
			});
		});
}
