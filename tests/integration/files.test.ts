// The file service (docs/files.md) over real HTTP: tus uploads that resume after dropped
// connections and after the client is gone, on the local disk and on an S3-compatible server
// (s3rver on loopback); downloads with ranges, as attachments, nosniff; who may upload and see.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	api,
	customerArgs,
	officeAndTechnician,
	pushOne,
	startTestServer,
	type TestServer
} from '../support/server';
import { bytesOf, fileArgs, sha256, startLocalS3, tusUpload, type LocalS3 } from '../support/files';
import { linkProxy } from '../support/proxy';
import { diskStorage, s3Storage, sha256Of } from '../../sync-server/src/files/storage';

async function newCustomer(s: TestServer, token = s.adminToken) {
	const c = customerArgs();
	const r = await pushOne(s.url, token, 'customer.create', c);
	expect(r.body.results[0].status).toBe('applied');
	return c.id;
}

async function newFile(
	s: TestServer,
	data: Buffer,
	over: Record<string, unknown> = {},
	token = s.adminToken
) {
	const args = fileArgs(await newCustomer(s), data, over);
	const r = await pushOne(s.url, token, 'file.create', args);
	expect(r.body.results[0]).toMatchObject({ status: 'applied' });
	return args;
}

async function download(s: TestServer, id: string, token = s.adminToken, range?: string) {
	const res = await fetch(`${s.url}/api/files/${id}`, {
		headers: { authorization: `Bearer ${token}`, ...(range ? { range } : {}) }
	});
	return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

function storedRow(s: TestServer, id: string) {
	return s.db.client
		.execute({ sql: "SELECT data FROM records WHERE entity = 'file' AND id = ?", args: [id] })
		.then((r) => JSON.parse(String(r.rows[0].data)) as { storedAt?: string });
}

type Storage = { env: Record<string, string>; s3?: LocalS3 };

/** The app's chunk size (app/src/lib/files/upload.ts): one PATCH is one S3 part. */
const CHUNK = 5 * 1024 * 1024;

/**
 * How the drops are made and what they may cost (bytes sent ÷ file size). On disk every byte that
 * arrived is kept; on S3 what is kept is whole chunks (parts), so a cut costs the chunk it cut.
 */
type Drops = { size: number; cutEvery: number; cuts: number; maxRatio: number };

function suite(name: string, storage: () => Promise<Storage>, drops: Drops) {
	describe(name, () => {
		let s: TestServer;
		let s3: LocalS3 | undefined;
		let office: string;
		let tech: string;
		let env: Record<string, string> = {};
		beforeAll(async () => {
			const st = await storage();
			s3 = st.s3;
			env = st.env;
			s = await startTestServer({
				env: { FILES_MAX_BYTES: String(20 * 1024 * 1024), FILES_SWEEP_SECONDS: '1', ...st.env }
			});
			({ officeToken: office, techToken: tech } = await officeAndTechnician(s));
		});
		afterAll(async () => {
			await s?.close();
			await s3?.close();
		});

		it('keeps bytes the server has whole (a received mail attachment): written, read, replaced', async () => {
			const store = env.S3_BUCKET
				? s3Storage({
						bucket: env.S3_BUCKET,
						endpoint: env.S3_ENDPOINT,
						region: 'us-east-1',
						accessKeyId: env.S3_ACCESS_KEY_ID,
						secretAccessKey: env.S3_SECRET_ACCESS_KEY,
						forcePathStyle: true
					})
				: await diskStorage(path.join(s.dataDir, 'files'));
			const key = `mail-${randomUUID()}`;
			const first = bytesOf(70_000, 5);
			await store.write(key, first);
			expect(await store.size(key)).toBe(first.length);
			expect(await sha256Of(store, key, first.length)).toBe(sha256(first));
			// Imported again (a crash before the batch): the same key, whole new bytes.
			const again = bytesOf(1_000, 6);
			await store.write(key, again);
			expect(await store.size(key)).toBe(again.length);
			expect(await sha256Of(store, key, again.length)).toBe(sha256(again));
			await store.remove(key);
			expect(await store.size(key)).toBeUndefined();
		});

		it('resumes an upload cut several times by the network; the bytes match by SHA-256', async () => {
			const data = bytesOf(drops.size, 7);
			const file = await newFile(s, data);
			const proxy = await linkProxy(s.url, { cutEvery: drops.cutEvery, maxCuts: drops.cuts });
			try {
				await tusUpload(proxy.url, s.adminToken, file.id, data, { chunkSize: CHUNK });
				expect(proxy.cuts()).toBe(drops.cuts);
				// Each resume starts at the server's offset: well under twice the file went up.
				expect(proxy.bytesUp() / data.length).toBeLessThan(drops.maxRatio);
			} finally {
				await proxy.close();
			}
			expect((await storedRow(s, file.id)).storedAt).toBeTruthy();
			const { res, bytes } = await download(s, file.id, tech);
			expect(res.status).toBe(200);
			expect(sha256(bytes)).toBe(file.sha256);
		});

		it('resumes after the client is gone, from the upload URL it kept', async () => {
			const data = bytesOf(CHUNK + 2 * 1024 * 1024, 9);
			const file = await newFile(s, data);
			let kept = '';
			// The first client dies mid-way (in its second chunk) and never retries.
			const proxy = await linkProxy(s.url, { cutEvery: CHUNK + 1024 * 1024, maxCuts: 1 });
			await tusUpload(proxy.url, s.adminToken, file.id, data, {
				onUrl: (u) => (kept = u),
				chunkSize: CHUNK,
				noRetry: true
			}).catch(() => undefined);
			await proxy.close();
			expect(kept).toMatch(/\/api\/files\/tus\//);
			// The server keeps what arrived before the cut (on S3 it stores it as it winds down).
			let offset = 0;
			for (let i = 0; i < 50 && offset === 0; i++) {
				const head = await fetch(`${s.url}${new URL(kept).pathname}`, {
					method: 'HEAD',
					headers: { authorization: `Bearer ${s.adminToken}`, 'tus-resumable': '1.0.0' }
				});
				offset = Number(head.headers.get('upload-offset'));
				if (offset === 0) await new Promise((r) => setTimeout(r, 100));
			}
			expect(offset).toBeGreaterThan(0);
			expect(offset).toBeLessThan(data.length);
			// A new client (the app reopened) resumes from there.
			await tusUpload(s.url, s.adminToken, file.id, data, {
				uploadUrl: `${s.url}${new URL(kept).pathname}`,
				chunkSize: CHUNK
			});
			const { bytes } = await download(s, file.id);
			expect(sha256(bytes)).toBe(file.sha256);
		});

		it('serves an HTML upload as an attachment, nosniff, never as HTML; ranges work', async () => {
			const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
			const file = await newFile(s, html, {
				fileName: 'página "mala".html',
				mimeType: 'text/html'
			});
			await tusUpload(s.url, s.adminToken, file.id, html);
			const { res, bytes } = await download(s, file.id);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('application/octet-stream');
			expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
			expect(res.headers.get('content-disposition')).toContain(
				"filename*=UTF-8''p%C3%A1gina%20%22mala%22.html"
			);
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(bytes.equals(html)).toBe(true);
			const part = await download(s, file.id, s.adminToken, 'bytes=2-8');
			expect(part.res.status).toBe(206);
			expect(part.res.headers.get('content-range')).toBe(`bytes 2-8/${html.length}`);
			expect(part.bytes.toString()).toBe(html.subarray(2, 9).toString());
			const tail = await download(s, file.id, s.adminToken, 'bytes=-9');
			expect(tail.bytes.toString()).toBe(html.subarray(html.length - 9).toString());
			const bad = await download(s, file.id, s.adminToken, `bytes=${html.length}-`);
			expect(bad.res.status).toBe(416);
		});

		it('refuses who may not: no session, a technician on an office-only file, a wrong size', async () => {
			const data = bytesOf(1000, 3);
			const file = await newFile(s, data, { officeOnly: true }, office);
			// A technician may not even create one.
			const techCreate = await pushOne(s.url, tech, 'file.create', {
				...fileArgs(file.customerId, data),
				officeOnly: true
			});
			expect(techCreate.body.results[0]).toMatchObject({
				status: 'rejected',
				error: { code: 'forbidden' }
			});
			await expect(tusUpload(s.url, tech, file.id, data)).rejects.toThrow(/403/);
			await expect(tusUpload(s.url, 'not-a-token', file.id, data)).rejects.toThrow(/401/);
			await tusUpload(s.url, office, file.id, data);
			expect((await download(s, file.id, tech)).res.status).toBe(403);
			expect((await download(s, file.id, office)).res.status).toBe(200);
			expect((await fetch(`${s.url}/api/files/${file.id}`)).status).toBe(401);
			// The size is the row's; and the bytes must be the row's too.
			const other = await newFile(s, data);
			await expect(tusUpload(s.url, s.adminToken, other.id, bytesOf(999, 3))).rejects.toThrow(
				/400/
			);
			const forged = await newFile(s, data, { sha256: sha256(bytesOf(1000, 4)) });
			await expect(tusUpload(s.url, s.adminToken, forged.id, data)).rejects.toThrow(/460/);
			expect((await storedRow(s, forged.id)).storedAt).toBeUndefined();
			expect((await download(s, forged.id)).res.status).toBe(404);
		});

		it('refuses a file over FILES_MAX_BYTES before any byte', async () => {
			const data = bytesOf(20 * 1024 * 1024 + 1, 5);
			const file = await newFile(s, data);
			await expect(tusUpload(s.url, s.adminToken, file.id, data)).rejects.toThrow(/413/);
		});

		it('deletes: the author or the office, not another technician; the bytes go too', async () => {
			const data = bytesOf(10, 1);
			const file = await newFile(s, data);
			await tusUpload(s.url, s.adminToken, file.id, data);
			const bytesOnDisk = () => fs.existsSync(path.join(s.dataDir, 'files', file.id));
			expect(s3 ? s3.has(file.id) : bytesOnDisk()).toBe(true);
			const del = await pushOne(s.url, tech, 'file.delete', { id: file.id });
			expect(del.body.results[0]).toMatchObject({
				status: 'rejected',
				error: { code: 'forbidden' }
			});
			const ok = await pushOne(s.url, office, 'file.delete', { id: file.id });
			expect(ok.body.results[0].status).toBe('applied');
			expect((await api(s.url, s.adminToken).get(`/api/files/${file.id}`)).status).toBe(404);
			if (!s3) await expect.poll(bytesOnDisk, { timeout: 5000 }).toBe(false);
			else await expect.poll(() => s3!.has(file.id), { timeout: 5000 }).toBe(false);
		});
	});
}

suite('file service on the local disk', async () => ({ env: {} }), {
	size: 6 * 1024 * 1024 + 123,
	cutEvery: 1_500_000,
	cuts: 3,
	maxRatio: 1.2
});

suite(
	'file service on an S3-compatible bucket',
	async () => {
		const s3 = await startLocalS3();
		return {
			s3,
			env: {
				S3_BUCKET: s3.bucket,
				S3_ENDPOINT: s3.endpoint,
				S3_ACCESS_KEY_ID: 'S3RVER',
				S3_SECRET_ACCESS_KEY: 'S3RVER'
			}
		};
	},
	{ size: 16 * 1024 * 1024, cutEvery: 7 * 1024 * 1024, cuts: 2, maxRatio: 1.5 }
);

describe('disk layout', () => {
	it('keeps files under DATA_DIR/files by default', async () => {
		const s = await startTestServer();
		try {
			expect(fs.existsSync(path.join(s.dataDir, 'files'))).toBe(true);
		} finally {
			await s.close();
		}
	});
});
