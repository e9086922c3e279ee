import { AppError, type FileRow } from '@enlace/shared';
import { db, engine } from '../app.svelte';
import { askPersistentStorage, sha256Hex, shrinkImage, trimCache } from './files';

export type NewFile = {
	customerId: string;
	name: string;
	tag: string;
	file: File;
	/** Shrink photos before upload (Configuración of the device; originals when false). */
	shrink: boolean;
	officeOnly: boolean;
	/** A photo of one of the customer's devices (Equipamiento). */
	equipmentId?: string;
};

/** `foto.png` shrunk to JPEG is sent as `foto.jpg`. */
function renamed(name: string, from: string, to: string): string {
	if (from === to || to !== 'image/jpeg') return name;
	return `${name.replace(/\.[^.]+$/, '')}.jpg`;
}

/**
 * Keeps a file on the device and records it: the bytes go to `fileUpload` (IndexedDB) first, so
 * nothing is lost whatever happens next, then `file.create` runs like any mutation. The uploader
 * sends the bytes when the row has reached the server and there is signal.
 */
export async function addFile(f: NewFile): Promise<string> {
	const blob = f.shrink ? await shrinkImage(f.file) : f.file;
	const mimeType = blob.type || 'application/octet-stream';
	const id = crypto.randomUUID();
	const now = new Date().toISOString();
	void askPersistentStorage();
	await db.fileUpload.put({
		id,
		customerId: f.customerId,
		blob,
		size: blob.size,
		sent: 0,
		state: 'waiting',
		createdAt: now
	});
	try {
		await engine.mutate('file.create', {
			id,
			customerId: f.customerId,
			name: f.name,
			tag: f.tag.trim() || undefined,
			fileName: renamed(f.file.name || 'archivo', f.file.type, mimeType),
			mimeType,
			size: blob.size,
			sha256: await sha256Hex(blob),
			...(f.officeOnly ? { officeOnly: true } : {}),
			...(f.equipmentId ? { equipmentId: f.equipmentId } : {})
		});
	} catch (e) {
		await db.fileUpload.delete(id);
		throw e;
	}
	return id;
}

/** The bytes of a file: waiting here, cached, or fetched from the server (then cached). */
export async function fileBlob(row: FileRow): Promise<Blob> {
	const waiting = await db.fileUpload.get(row.id);
	if (waiting) return waiting.blob;
	const cached = await db.fileCache.get(row.id);
	if (cached) {
		await db.fileCache.update(row.id, { usedAt: new Date().toISOString() });
		return cached.blob;
	}
	const res = await fetch(`/api/files/${encodeURIComponent(row.id)}`, {
		credentials: 'same-origin'
	});
	if (!res.ok) {
		const body = (await res.json().catch(() => undefined)) as
			{ error?: { code: string; message: string } } | undefined;
		throw new AppError(
			body?.error?.code ?? 'internal',
			body?.error?.message ?? `Error del servidor (${res.status})`
		);
	}
	const blob = await res.blob();
	await db.fileCache.put({
		id: row.id,
		blob,
		size: blob.size,
		usedAt: new Date().toISOString()
	});
	await trimCache(db);
	return blob;
}

/** Hands the file to the browser as a download, under its own name. */
export async function downloadFile(row: FileRow): Promise<void> {
	const blob = await fileBlob(row);
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = row.fileName;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `file.delete`; the bytes waiting or cached here go with the row. */
export async function deleteFile(id: string): Promise<void> {
	await engine.mutate('file.delete', { id });
	await db.fileUpload.delete(id);
	await db.fileCache.delete(id);
}
