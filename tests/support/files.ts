// Helpers for the file service tests: tus uploads from Node, the arguments of a file row, and a
// local S3-compatible server (s3rver, in this process). The dropping link is in ./proxy.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tus from 'tus-js-client';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Deterministic pseudo-random bytes (incompressible, so no layer can shortcut them). */
export function bytesOf(size: number, seed = 1): Buffer {
	const b = Buffer.alloc(size);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		b[i] = x & 0xff;
	}
	return b;
}

export type TusResult = { url: string };

/** One tus upload from Node, retried after each drop; resolves when the server has every byte. */
export function tusUpload(
	base: string,
	token: string,
	fileId: string,
	data: Buffer,
	opts: {
		uploadUrl?: string;
		onUrl?: (url: string) => void;
		chunkSize?: number;
		noRetry?: boolean;
	} = {}
): Promise<TusResult> {
	return new Promise((resolve, reject) => {
		const upload = new tus.Upload(data, {
			endpoint: `${base}/api/files/tus`,
			uploadUrl: opts.uploadUrl ?? null,
			headers: { authorization: `Bearer ${token}` },
			metadata: { fileId },
			// tus-js-client reads an explicit undefined as a chunk size (and never finishes).
			...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
			retryDelays: opts.noRetry ? [] : [0, 50, 100, 200, 400, 800, 1000, 1000, 1000],
			storeFingerprintForResuming: false,
			onUploadUrlAvailable: () => opts.onUrl?.(upload.url!),
			onError: reject,
			onSuccess: () => resolve({ url: upload.url! })
		});
		upload.start();
	});
}

/** `file.create` args describing `data`. */
export function fileArgs(customerId: string, data: Buffer, over: Record<string, unknown> = {}) {
	return {
		id: randomUUID(),
		customerId,
		name: 'Foto de la instalación',
		tag: 'instalación',
		fileName: 'foto.jpg',
		mimeType: 'image/jpeg',
		size: data.length,
		sha256: sha256(data),
		...over
	};
}

/**
 * s3rver has no ListParts (`GET /bucket/key?uploadId=…`), which @tus/s3-store calls to resume a
 * multipart upload; this middleware answers it from s3rver's own part files, as S3 would.
 */
function listPartsShim(store: {
	getResourcePath(b: string, k: string | undefined, r: string): string;
}) {
	return async (
		ctx: {
			method: string;
			path: string;
			query: Record<string, string>;
			body: unknown;
			type: string;
		},
		next: () => Promise<void>
	) => {
		const uploadId = ctx.query.uploadId;
		const m = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
		if (ctx.method !== 'GET' || !uploadId || !m) return next();
		const dir = path.join(store.getResourcePath(m[1], undefined, 'uploads'), uploadId);
		const numbers = fs.existsSync(dir)
			? fs
					.readdirSync(dir)
					.filter((n) => /^\d+$/.test(n))
					.map(Number)
					.sort((a, b) => a - b)
			: [];
		const parts = numbers.map((n) => {
			const bytes = fs.readFileSync(path.join(dir, String(n)));
			const etag = createHash('md5').update(bytes).digest('hex');
			return `<Part><PartNumber>${n}</PartNumber><ETag>&quot;${etag}&quot;</ETag><Size>${bytes.length}</Size><LastModified>${new Date().toISOString()}</LastModified></Part>`;
		});
		ctx.type = 'application/xml';
		ctx.body = `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><Bucket>${m[1]}</Bucket><Key>${decodeURIComponent(m[2])}</Key><UploadId>${uploadId}</UploadId><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>${numbers.at(-1) ?? 0}</NextPartNumberMarker><MaxParts>10000</MaxParts><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`;
	};
}

export type LocalS3 = {
	endpoint: string;
	bucket: string;
	/** Whether the bucket holds any object for this key (the file or its tus leftovers). */
	has(key: string): boolean;
	close(): Promise<void>;
};

/** s3rver on a loopback port over a temporary directory, with one bucket. */
export async function startLocalS3(bucket = 'enlace-files'): Promise<LocalS3> {
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-s3-'));
	const s3 = new S3rver({
		port: 0,
		address: '127.0.0.1',
		silent: true,
		directory,
		configureBuckets: [{ name: bucket }]
	});
	// Before s3rver's router (Koa composes its middleware list when it starts listening).
	s3.middleware.splice(s3.middleware.length - 1, 0, listPartsShim(s3.store));
	const { port } = (await s3.run()) as { port: number };
	return {
		endpoint: `http://127.0.0.1:${port}`,
		bucket,
		has: (key) =>
			fs.existsSync(path.join(directory, bucket)) &&
			fs.readdirSync(path.join(directory, bucket)).some((n) => n.startsWith(key)),
		close: async () => {
			await s3.close();
			fs.rmSync(directory, { recursive: true, force: true });
		}
	};
}
