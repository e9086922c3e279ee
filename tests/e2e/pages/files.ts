import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import type { APIRequestContext, Page } from '@playwright/test';
import { ADMIN } from '../../playwright.config';

/** Helpers of the file tests (Repositorio, the photos of equipment): docs/files.md. */

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A photo-like PNG (gradients and noise) of `w`×`h`, as a phone camera would hand over. */
export function photo(w: number, h: number): Buffer {
	const png = new PNG({ width: w, height: h });
	for (let i = 0; i < w * h; i++) {
		const x = i % w;
		const y = Math.floor(i / w);
		png.data[i * 4] = (x * 255) / w;
		png.data[i * 4 + 1] = (y * 255) / h;
		png.data[i * 4 + 2] = (x * y) % 255;
		png.data[i * 4 + 3] = 255;
	}
	return PNG.sync.write(png);
}

/** A JPEG of `w`×`h` encoded by the page's browser (OffscreenCanvas), as a camera's would be. */
export async function jpeg(page: Page, w: number, h: number): Promise<Buffer> {
	const bytes = await page.evaluate(
		async ([w, h]) => {
			const canvas = new OffscreenCanvas(w, h);
			const g = canvas.getContext('2d')!;
			const grad = g.createLinearGradient(0, 0, w, h);
			grad.addColorStop(0, '#204060');
			grad.addColorStop(1, '#e0a040');
			g.fillStyle = grad;
			g.fillRect(0, 0, w, h);
			g.fillStyle = '#fff';
			g.font = `${Math.floor(h / 6)}px sans-serif`;
			g.fillText('ONT 48575443', w / 10, h / 2);
			const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
			return [...new Uint8Array(await blob.arrayBuffer())];
		},
		[w, h]
	);
	return Buffer.from(bytes);
}

export type FileRowWire = {
	id: string;
	customerId: string;
	name: string;
	tag?: string;
	equipmentId?: string;
	sha256: string;
	size: number;
	storedAt?: string;
};

/** The admin's bearer token, for reading the server directly. */
export async function adminToken(request: APIRequestContext): Promise<string> {
	const r = await request.post('/api/auth/login', { data: ADMIN });
	return ((await r.json()) as { token: string }).token;
}

/** The customer's file rows as the server holds them (pull as the admin). */
export async function serverFiles(request: APIRequestContext, customerId: string, token: string) {
	// Every page of a pull from 0: the suite shares one server, so the rows of the specs before
	// this one come first.
	const rows: FileRowWire[] = [];
	for (let since = 0; ;) {
		const r = await request.get(`/api/sync/pull?since=${since}&limit=5000`, {
			headers: { authorization: `Bearer ${token}` }
		});
		const body = (await r.json()) as {
			changes: { entity: string; op: string; data?: FileRowWire }[];
			seq: number;
			more: boolean;
		};
		for (const c of body.changes) {
			if (c.entity === 'file' && c.op === 'put' && c.data?.customerId === customerId) {
				rows.push(c.data);
			}
		}
		if (!body.more) return rows;
		since = body.seq;
	}
}

/** The bytes the server serves for a file (GET /api/files/:id). */
export async function serverBytes(request: APIRequestContext, id: string, token: string) {
	const got = await request.get(`/api/files/${id}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	return { status: got.status(), bytes: Buffer.from(await got.body()) };
}
