import { Hono } from 'hono';
import { z } from 'zod';
import {
	AppError,
	COMPANY_PROFILE_ID,
	IsoDate,
	MAX_RECORDS_PER_FILE,
	checkChain,
	parseOrThrow,
	verifactuXml,
	type CompanyProfile,
	type Document,
	type VerifactuRecord
} from '@enlace/shared';
import type { Db } from '../db/client';
import type { AppEnv } from '../http';
import { requireUser } from '../auth/middleware';
import { readRow } from '../sync/store';

/**
 * VeriFactu records for the office (docs/money.md): the XML of a period's records, and
 * "Comprobar cadena", which recomputes the issuer's chain and names the first record that does
 * not hold. Records are read from `records` like any synced row; nothing here writes.
 */

const Period = z.strictObject({
	from: IsoDate,
	to: IsoDate,
	page: z.coerce.number().int().min(1).default(1)
});

async function companyOrThrow(db: Db): Promise<CompanyProfile> {
	const c = (await readRow(db.client, 'companyProfile', COMPANY_PROFILE_ID)) as
		CompanyProfile | undefined;
	if (!c) throw new AppError('not-found', 'Faltan los datos de la empresa', undefined, 404);
	return c;
}

const rowsOf = <T>(rows: readonly Record<string, unknown>[]) =>
	rows.map((r) => JSON.parse(String(r.data)) as T);

export function verifactuRoutes(db: Db, info: { version: string; serverId: string }) {
	return new Hono<AppEnv>()
		.use('/verifactu/*', requireUser(db, ['admin', 'office']))
		.get('/verifactu/check', async (c) => {
			const company = await companyOrThrow(db);
			const recs = await db.client.execute({
				sql: `SELECT data FROM records WHERE entity = 'verifactuRecord' AND deleted = 0
					AND json_extract(data, '$.issuerNif') = ? ORDER BY json_extract(data, '$.position')`,
				args: [company.nif]
			});
			const docs = await db.client.execute({
				sql: `SELECT data FROM records WHERE entity = 'document' AND deleted = 0 AND id IN (
					SELECT json_extract(data, '$.documentId') FROM records
					WHERE entity = 'verifactuRecord' AND json_extract(data, '$.issuerNif') = ?)`,
				args: [company.nif]
			});
			const documents = new Map(rowsOf<Document>(docs.rows).map((d) => [d.id, d]));
			const result = checkChain(rowsOf<VerifactuRecord>(recs.rows), documents);
			return c.json({ issuerNif: company.nif, ...result });
		})
		.get('/verifactu/records.xml', async (c) => {
			const q = parseOrThrow(Period, c.req.query());
			const company = await companyOrThrow(db);
			// The day of FechaHoraHusoGenRegistro (Madrid time), in chain order.
			const where = `entity = 'verifactuRecord' AND deleted = 0
				AND json_extract(data, '$.issuerNif') = ?
				AND substr(json_extract(data, '$.generatedAt'), 1, 10) BETWEEN ? AND ?`;
			const count = Number(
				(
					await db.client.execute({
						sql: `SELECT count(*) AS n FROM records WHERE ${where}`,
						args: [company.nif, q.from, q.to]
					})
				).rows[0].n
			);
			const pages = Math.ceil(count / MAX_RECORDS_PER_FILE);
			if (q.page > pages) {
				throw new AppError('not-found', 'No hay registros en ese periodo', 'from', 404);
			}
			const r = await db.client.execute({
				sql: `SELECT data FROM records WHERE ${where}
					ORDER BY json_extract(data, '$.position') LIMIT ? OFFSET ?`,
				args: [company.nif, q.from, q.to, MAX_RECORDS_PER_FILE, (q.page - 1) * MAX_RECORDS_PER_FILE]
			});
			const xml = verifactuXml(
				{ name: company.legalName, nif: company.nif },
				rowsOf<VerifactuRecord>(r.rows),
				{ version: info.version, installation: info.serverId }
			);
			const name = `verifactu-${company.nif}-${q.from}-${q.to}${pages > 1 ? `-${q.page}` : ''}.xml`;
			return c.body(xml, 200, {
				'content-type': 'application/xml; charset=utf-8',
				'content-disposition': `attachment; filename="${name}"`,
				'x-enlace-pages': String(pages)
			});
		});
}
