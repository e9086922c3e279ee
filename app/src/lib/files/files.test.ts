import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { EnlaceDb } from '../db/db';
import { fitWithin, formatBytes, sha256Hex, trimCache, uploadTotals } from './files';

describe('file helpers', () => {
	it('fits a photo within the longer side, never enlarging it', () => {
		expect(fitWithin(4032, 3024, 2048)).toEqual([2048, 1536]);
		expect(fitWithin(3024, 4032, 2048)).toEqual([1536, 2048]);
		expect(fitWithin(800, 600, 2048)).toEqual([800, 600]);
	});

	it('shows sizes the Spanish way', () => {
		expect(formatBytes(12)).toBe('12 B');
		expect(formatBytes(1536)).toBe('1,5 KB');
		expect(formatBytes(100 * 1024 * 1024)).toBe('100 MB');
	});

	it('adds up the waiting uploads for the sync badge, never past a file size', () => {
		expect(
			uploadTotals([
				{ size: 100, sent: 50 },
				{ size: 300, sent: 400 }
			])
		).toEqual({ files: 2, bytes: 400, sent: 350 });
	});

	it('hashes with SHA-256', async () => {
		expect(await sha256Hex(new Blob(['abc']))).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
	});

	it('keeps the cache within its limit, dropping the least recently used first', async () => {
		const db = new EnlaceDb('files-cache', { indexedDB: new IDBFactory(), IDBKeyRange });
		const put = (id: string, size: number, usedAt: string) =>
			db.fileCache.put({ id, blob: new Blob(['x']), size, usedAt });
		await put('old', 60, '2026-01-01T00:00:00Z');
		await put('mid', 60, '2026-02-01T00:00:00Z');
		await put('new', 60, '2026-03-01T00:00:00Z');
		await trimCache(db, 130);
		expect((await db.fileCache.toCollection().primaryKeys()).sort()).toEqual(['mid', 'new']);
		db.close();
	});
});
