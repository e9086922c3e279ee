import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
	DeleteObjectsCommand,
	GetObjectCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	S3Client
} from '@aws-sdk/client-s3';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import type { DataStore } from '@tus/utils';

/** Where an S3-compatible bucket is and how to sign in to it (config.ts S3_*). */
export type S3Settings = {
	bucket: string;
	endpoint?: string;
	region: string;
	accessKeyId?: string;
	secretAccessKey?: string;
	forcePathStyle: boolean;
};

/**
 * The bytes of uploaded files: the tus data store that receives them, and what the download route
 * and the completion check need (a file's stored size, a byte range of it, its SHA-256, removal).
 * One on the local disk (`FILES_DIR`), one on an S3-compatible bucket (`S3_BUCKET`).
 */
export type FileStorage = {
	kind: 'disk' | 's3';
	tus: DataStore;
	/** The stored size of a complete file, or undefined when there is none. */
	size(id: string): Promise<number | undefined>;
	/** Bytes `start`..`end` (inclusive) of a stored file. */
	read(id: string, start: number, end: number): Promise<Readable>;
	/**
	 * Store bytes the server has whole (a received mail's attachment), replacing any under `id`;
	 * a reader never sees them half-written.
	 */
	write(id: string, data: Uint8Array): Promise<void>;
	remove(id: string): Promise<void>;
};

/** A stored file whole, in memory (attachments for a mail: small, and needed whole). */
export async function readWhole(storage: FileStorage, id: string, size: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	if (size > 0) {
		for await (const chunk of await storage.read(id, 0, size - 1)) {
			chunks.push(Buffer.from(chunk as Uint8Array));
		}
	}
	return Buffer.concat(chunks);
}

export async function sha256Of(storage: FileStorage, id: string, size: number): Promise<string> {
	const hash = createHash('sha256');
	if (size > 0) for await (const chunk of await storage.read(id, 0, size - 1)) hash.update(chunk);
	return hash.digest('hex');
}

export async function diskStorage(directory: string): Promise<FileStorage> {
	await mkdir(directory, { recursive: true });
	const file = (id: string) => path.join(directory, id);
	return {
		kind: 'disk',
		tus: new FileStore({ directory }),
		async size(id) {
			try {
				return (await stat(file(id))).size;
			} catch {
				return undefined;
			}
		},
		async read(id, start, end) {
			return createReadStream(file(id), { start, end });
		},
		async write(id, data) {
			const partial = `${file(id)}.${randomUUID()}.writing`;
			await writeFile(partial, data);
			await rename(partial, file(id));
		},
		async remove(id) {
			await rm(file(id), { force: true });
			await rm(`${file(id)}.json`, { force: true });
		}
	};
}

/**
 * Parts of a multipart upload: S3's minimum, 5 MiB (except the last), equal to the app's tus chunk
 * so that every PATCH that completes is a part kept for good; a cut PATCH is sent again.
 */
export const S3_PART_BYTES = 5 * 1024 * 1024;

export function s3Storage(s: S3Settings): FileStorage {
	const clientConfig = {
		region: s.region,
		endpoint: s.endpoint,
		forcePathStyle: s.forcePathStyle,
		// Checksums only where S3 requires them: the SDK's default (aws-chunked bodies with CRC
		// trailers) is not understood by every S3-compatible service.
		requestChecksumCalculation: 'WHEN_REQUIRED' as const,
		responseChecksumValidation: 'WHEN_REQUIRED' as const,
		credentials:
			s.accessKeyId && s.secretAccessKey
				? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }
				: undefined
	};
	const client = new S3Client(clientConfig);
	return {
		kind: 's3',
		tus: new S3Store({
			partSize: S3_PART_BYTES,
			s3ClientConfig: { ...clientConfig, bucket: s.bucket }
		}),
		async size(id) {
			try {
				const head = await client.send(new HeadObjectCommand({ Bucket: s.bucket, Key: id }));
				return head.ContentLength;
			} catch {
				return undefined;
			}
		},
		async read(id, start, end) {
			const got = await client.send(
				new GetObjectCommand({ Bucket: s.bucket, Key: id, Range: `bytes=${start}-${end}` })
			);
			return got.Body as Readable;
		},
		async write(id, data) {
			await client.send(new PutObjectCommand({ Bucket: s.bucket, Key: id, Body: data }));
		},
		async remove(id) {
			// The object, its tus `.info` and any leftover `.part`.
			const listed = await client.send(new ListObjectsV2Command({ Bucket: s.bucket, Prefix: id }));
			const keys = (listed.Contents ?? [])
				.map((o) => o.Key)
				.filter((k): k is string => !!k && (k === id || k.startsWith(`${id}.`)));
			if (keys.length) {
				await client.send(
					new DeleteObjectsCommand({
						Bucket: s.bucket,
						Delete: { Objects: keys.map((Key) => ({ Key })) }
					})
				);
			}
		}
	};
}
