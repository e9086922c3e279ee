import { Hono, type Context } from 'hono';
import { Server as TusServer } from '@tus/server';
import { Readable } from 'node:stream';
import type { FileRow } from '@enlace/shared';
import {
	AppError,
	Id,
	SCOPES_BY_ROLE,
	mayDeleteFile,
	parseOrThrow,
	type Scope
} from '@enlace/shared';
import type { Db } from '../db/client';
import type { AppEnv } from '../http';
import { requireUser } from '../auth/middleware';
import type { SessionUser } from '../auth/sessions';
import { selectStored } from '../agent/records';
import { currentSeq } from '../sync/store';
import { guardedStatements, writeGuarded } from '../sync/writer';
import type { SeqNotifier } from '../sync/notifier';
import { sha256Of, type FileStorage } from '../files/storage';

export const TUS_PATH = '/api/files/tus';

/** Types a browser may show inline from a blob; anything else is served as opaque bytes. */
const SAFE_TYPES = new Set([
	'image/jpeg',
	'image/png',
	'image/webp',
	'image/gif',
	'application/pdf',
	'text/plain'
]);

type Found = { row: FileRow; seq: number; scope: Scope };

async function findFile(db: Db, id: string): Promise<Found | undefined> {
	const r = await db.client.execute({
		sql: "SELECT data, seq, scope FROM records WHERE entity = 'file' AND id = ? AND deleted = 0",
		args: [id]
	});
	if (!r.rows.length) return undefined;
	const x = r.rows[0];
	return {
		row: JSON.parse(String(x.data)) as FileRow,
		seq: Number(x.seq),
		scope: String(x.scope) as Scope
	};
}

/**
 * The file row, if this user may see it: the same rule as pull (the row's scope among the role's),
 * so a file is visible exactly where its metadata is. Unknown and hidden answer alike (404).
 */
async function visibleFile(db: Db, user: SessionUser, id: string): Promise<Found> {
	const found = await findFile(db, parseOrThrow(Id, id));
	if (!found) throw new AppError('not-found', 'El archivo no existe', undefined, 404);
	if (!SCOPES_BY_ROLE[user.role].includes(found.scope)) {
		throw new AppError('forbidden', 'Su perfil no permite ver este archivo', undefined, 403);
	}
	return found;
}

/** `Upload-Metadata: key base64,key2 base64` → its `fileId`. */
function metadataFileId(header: string | undefined): string | undefined {
	for (const pair of (header ?? '').split(',')) {
		const [key, value] = pair.trim().split(' ');
		if (key === 'fileId' && value) return Buffer.from(value, 'base64').toString('utf8');
	}
	return undefined;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → inclusive [start, end]; null: unsatisfiable. */
export function parseRange(header: string, size: number): [number, number] | null | undefined {
	const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!m || (m[1] === '' && m[2] === '')) return undefined; // not one simple range: whole file
	let start: number;
	let end: number;
	if (m[1] === '') {
		const n = Number(m[2]);
		if (n === 0) return null;
		start = Math.max(0, size - n);
		end = size - 1;
	} else {
		start = Number(m[1]);
		end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
	}
	if (start >= size || end < start) return null;
	return [start, end];
}

/** `attachment; filename="…"; filename*=UTF-8''…`, ASCII fallback first. */
export const attachment = (name: string) =>
	`attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export type FileRouteOptions = { storage: FileStorage; maxBytes: number };

/**
 * The file service (docs/files.md): tus uploads under /api/files/tus (one upload per file row,
 * its id the row's), and GET /api/files/:id for the bytes, ranged, as an attachment.
 */
export function fileRoutes(db: Db, notifier: SeqNotifier, o: FileRouteOptions) {
	const { storage } = o;
	const tus = new TusServer({
		path: TUS_PATH,
		datastore: storage.tus,
		maxSize: o.maxBytes,
		relativeLocation: true,
		// Checked before the request reaches tus (below): the metadata names an existing file row.
		namingFunction: (_req, metadata) => String(metadata?.fileId),
		async onUploadFinish(_req, upload) {
			await completeUpload(upload.id);
			return {};
		}
	});

	/** Every byte is here: it must be the file the row describes, then the row says so. */
	async function completeUpload(id: string) {
		const found = await findFile(db, id);
		const size = await storage.size(id);
		const sha = size === undefined ? undefined : await sha256Of(storage, id, size);
		if (!found || size !== found.row.size || sha !== found.row.sha256) {
			await storage.remove(id);
			// tus answers with this status and body; the device starts the upload again.
			throw { status_code: 460, body: 'El fichero recibido no coincide con su huella SHA-256\n' };
		}
		const wrote = await writeGuarded(db, async () => {
			const now = new Date().toISOString();
			const current = await selectStored<FileRow>(
				db.client,
				"SELECT data, seq, updated_at, deleted FROM records WHERE entity = 'file' AND id = ? AND deleted = 0",
				[id]
			);
			const stored = current[0];
			if (!stored || stored.row.storedAt) return { stmts: [], value: false };
			const row = { ...stored.row, storedAt: now };
			return {
				stmts: guardedStatements(
					[{ entity: 'file', id, row, seenSeq: stored.seq, scope: found.scope }],
					'server:files',
					now
				),
				value: true
			};
		});
		if (wrote) notifier.bump(await currentSeq(db.client));
	}

	async function tusRequest(c: Context<AppEnv>, id: string | undefined) {
		const user = c.get('user');
		const method = c.req.method;
		if (method === 'POST') {
			const fileId = metadataFileId(c.req.header('upload-metadata'));
			if (!fileId) throw new AppError('invalid-args', 'Falta fileId en Upload-Metadata');
			const { row } = await visibleFile(db, user, fileId);
			const length = Number(c.req.header('upload-length'));
			if (length > o.maxBytes) {
				throw new AppError(
					'payload-too-large',
					`El fichero pasa del máximo de ${Math.round(o.maxBytes / 1024 / 1024)} MB`,
					undefined,
					413
				);
			}
			if (length !== row.size) {
				throw new AppError('invalid-args', 'El tamaño no es el del archivo registrado');
			}
			if (row.storedAt) throw new AppError('conflict', 'El archivo ya está subido', undefined, 409);
			// An upload already begun for this file (its device lost the URL): start afresh.
			if (
				await storage.tus.getUpload(fileId).then(
					() => true,
					() => false
				)
			) {
				await storage.remove(fileId);
			}
		} else if (id) {
			const { row } = await visibleFile(db, user, id);
			if (method === 'DELETE' && !mayDeleteFile({ userId: user.id, role: user.role }, row)) {
				throw new AppError('forbidden', 'Su perfil no permite esta acción', undefined, 403);
			}
		}
		return tus.handleWeb(c.req.raw);
	}

	return new Hono<AppEnv>()
		.use('/files/*', requireUser(db))
		.all('/files/tus', (c) => tusRequest(c, undefined))
		.all('/files/tus/:id', (c) => tusRequest(c, c.req.param('id')))
		.on(['GET', 'HEAD'], '/files/:id', async (c) => {
			const { row } = await visibleFile(db, c.get('user'), c.req.param('id'));
			const size = row.storedAt ? await storage.size(row.id) : undefined;
			if (size === undefined) {
				throw new AppError(
					'not-uploaded',
					'El archivo aún no ha llegado al servidor',
					undefined,
					404
				);
			}
			const headers: Record<string, string> = {
				'content-type': SAFE_TYPES.has(row.mimeType) ? row.mimeType : 'application/octet-stream',
				'content-disposition': attachment(row.fileName),
				'x-content-type-options': 'nosniff',
				'content-security-policy': "sandbox; default-src 'none'",
				'accept-ranges': 'bytes',
				'cache-control': 'private, no-cache',
				etag: `"${row.sha256}"`
			};
			const rangeHeader = c.req.header('range');
			const range = rangeHeader ? parseRange(rangeHeader, size) : undefined;
			if (range === null) {
				return c.body(null, 416, { ...headers, 'content-range': `bytes */${size}` });
			}
			const [start, end] = range ?? [0, size - 1];
			const length = size === 0 ? 0 : end - start + 1;
			const status = range ? 206 : 200;
			if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
			headers['content-length'] = String(length);
			if (c.req.method === 'HEAD' || length === 0) return c.body(null, status, headers);
			const stream = await storage.read(row.id, start, end);
			return c.body(Readable.toWeb(stream) as ReadableStream, status, headers);
		});
}
