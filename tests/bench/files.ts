// The file service: a 50 MB tus upload with the connection dropped every 5 MB, against a plain
// single PUT of the same bytes to a bare Node server on loopback, in the same run.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { customerArgs, pushOne, startTestServer } from '../support/server';
import { bytesOf, fileArgs, tusUpload } from '../support/files';
import { linkProxy } from '../support/proxy';
import { median, type Figures } from './report';

const SIZE = 50 * 1024 * 1024;
const DROP_EVERY = 5 * 1024 * 1024;
const CHUNK = 5 * 1024 * 1024;

/** A bare PUT to a Node server that writes the body to disk: the most a loopback upload can do. */
async function plainPut(data: Buffer): Promise<number> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-put-'));
	const server = http.createServer((req, res) => {
		const out = fs.createWriteStream(path.join(dir, 'file'));
		req.pipe(out).on('finish', () => res.end('ok'));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	// A copy on its own ArrayBuffer, as fetch's types want; made before the clock starts.
	const body = new Uint8Array(data);
	const t0 = performance.now();
	const res = await fetch(`http://127.0.0.1:${port}/file`, { method: 'PUT', body });
	await res.text();
	const ms = performance.now() - t0;
	server.close();
	fs.rmSync(dir, { recursive: true, force: true });
	return ms;
}

export async function filesBench(log: (s: string) => void): Promise<Figures> {
	const data = bytesOf(SIZE, 11);
	const s = await startTestServer({ env: { FILES_MAX_BYTES: String(SIZE * 2) } });
	try {
		const customer = customerArgs();
		await pushOne(s.url, s.adminToken, 'customer.create', customer);
		// Each way warmed up once (a first run pays for compiling its code), then the median of
		// three: a run is under a second, so one stray pause of the machine moves a single one.
		log('plain PUT of 50 MB (warm-up, then three measured)');
		await plainPut(data);
		const putMs = median([await plainPut(data), await plainPut(data), await plainPut(data)]);
		const cuts = Math.floor(SIZE / DROP_EVERY) - 1;
		/** One tus upload of its own file row through a link cut every 5 MB. */
		const cutUpload = async () => {
			const file = fileArgs(customer.id, data);
			await pushOne(s.url, s.adminToken, 'file.create', file);
			const proxy = await linkProxy(s.url, { cutEvery: DROP_EVERY, maxCuts: cuts });
			const t0 = performance.now();
			await tusUpload(proxy.url, s.adminToken, file.id, data, { chunkSize: CHUNK });
			const ms = performance.now() - t0;
			await proxy.close();
			return { ms, sent: proxy.bytesUp(), cuts: proxy.cuts() };
		};
		log(`tus upload of 50 MB, the connection cut every 5 MB (${cuts} cuts): the same`);
		await cutUpload();
		const runs = [await cutUpload(), await cutUpload(), await cutUpload()];
		const tus = runs.find((r) => r.ms === median(runs.map((x) => x.ms)))!;
		const mbps = (ms: number) => SIZE / 1024 / 1024 / (ms / 1000);
		return {
			'files.resume.cuts': tus.cuts,
			'files.resume.bytesSentRatio': tus.sent / SIZE,
			'files.upload.MBps': mbps(tus.ms),
			'files.put.MBps': mbps(putMs),
			'files.upload.ratioToPut': mbps(tus.ms) / mbps(putMs)
		};
	} finally {
		await s.close();
	}
}
