import type { EnlaceDb, FileUploadRow } from '../db/db';

/** The tus chunk: one PATCH is one S3 part (the server's S3_PART_BYTES), kept once it completes. */
export const UPLOAD_CHUNK_BYTES = 5 * 1024 * 1024;

/** How much the downloaded-files cache may hold before the least recently used go. */
export const FILE_CACHE_BYTES = 200 * 1024 * 1024;

/** Images are shrunk to fit this many pixels on their longer side before upload. */
export const IMAGE_MAX_SIDE = 2048;
export const THUMB_SIDE = 320;

/** SHA-256 of a blob in lowercase hex (Web Crypto). */
export async function sha256Hex(blob: Blob): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `1,5 MB`, `320 KB`, `12 B`: sizes as Spanish screens show them. */
export function formatBytes(n: number, locale = 'es-ES'): string {
	const units = ['B', 'KB', 'MB', 'GB'];
	let v = n;
	let u = 0;
	while (v >= 1024 && u < units.length - 1) {
		v /= 1024;
		u++;
	}
	const digits = u === 0 || v >= 10 ? 0 : 1;
	return `${v.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[u]}`;
}

/** The size an image keeps within `max` on its longer side (never enlarged). */
export function fitWithin(width: number, height: number, max: number): [number, number] {
	const scale = Math.min(1, max / Math.max(width, height));
	return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

const SHRINKABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

/**
 * A photo made smaller on the device before upload (JPEG within IMAGE_MAX_SIDE), or the file as
 * it is when it is not a photo, cannot be decoded, or would not get smaller.
 */
export async function shrinkImage(file: Blob, max = IMAGE_MAX_SIDE, quality = 0.85): Promise<Blob> {
	if (!SHRINKABLE.has(file.type) || typeof createImageBitmap !== 'function') return file;
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(file);
	} catch {
		return file;
	}
	const [w, h] = fitWithin(bitmap.width, bitmap.height, max);
	const canvas = document.createElement('canvas');
	canvas.width = w;
	canvas.height = h;
	canvas.getContext('2d')!.drawImage(bitmap, 0, 0, w, h);
	bitmap.close();
	const out = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', quality));
	return out && out.size < file.size ? out : file;
}

/** Keeps the cache within its limit: the least recently used files go first. */
export async function trimCache(db: EnlaceDb, limit = FILE_CACHE_BYTES): Promise<void> {
	const rows = await db.fileCache.orderBy('usedAt').toArray();
	let total = rows.reduce((s, r) => s + r.size, 0);
	for (const r of rows) {
		if (total <= limit) break;
		await db.fileCache.delete(r.id);
		total -= r.size;
	}
}

export type UploadTotals = { files: number; bytes: number; sent: number };

/** Waiting uploads as the sync badge shows them: how many files, and bytes sent of all. */
export const uploadTotals = (
	rows: readonly Pick<FileUploadRow, 'size' | 'sent'>[]
): UploadTotals => ({
	files: rows.length,
	bytes: rows.reduce((s, r) => s + r.size, 0),
	sent: rows.reduce((s, r) => s + Math.min(r.sent, r.size), 0)
});

export type StorageWarning = { usage: number; quota: number } | undefined;

/**
 * Whether adding `extra` bytes would take the device past 90 % of what the browser lets this
 * site keep (navigator.storage.estimate); undefined when it fits or cannot be known.
 */
export async function storageWarning(extra: number): Promise<StorageWarning> {
	const est = await navigator.storage?.estimate?.().catch(() => undefined);
	if (!est?.quota) return undefined;
	const usage = (est.usage ?? 0) + extra;
	return usage > est.quota * 0.9 ? { usage, quota: est.quota } : undefined;
}

/** Asks the browser not to evict this site's storage (files waiting to upload live there). */
export async function askPersistentStorage(): Promise<boolean> {
	if (!navigator.storage?.persist) return false;
	if (await navigator.storage.persisted?.()) return true;
	return navigator.storage.persist().catch(() => false);
}

/** The device's "Reducir las fotos…" setting (on unless turned off), kept in localStorage. */
export const SHRINK_KEY = 'enlace-shrink-photos';
export const shrinkSetting = (): boolean => localStorage.getItem(SHRINK_KEY) !== '0';
