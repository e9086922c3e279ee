import { mayDeleteFile, type FileRow } from '@enlace/shared';
import { db, session } from '$lib/app.svelte';
import type { FileUploadRow } from '$lib/db/db';
import { t } from '$lib/i18n/index.svelte';
import { live } from '$lib/live.svelte';
import { canRun } from '$lib/router-work/live.svelte';
import { deleteFile, downloadFile } from './actions';

/** How far a file is on its way to the server, as the lists show it. */
export type UploadState = { label: string; tone: string; percent?: number; error?: string };

export function uploadState(f: FileRow, u: FileUploadRow | undefined): UploadState {
	if (f.storedAt) return { label: t('Subido'), tone: 'green' };
	if (!u) return { label: t('Subiéndose desde otro dispositivo'), tone: 'orange' };
	const percent = u.size ? Math.floor((Math.min(u.sent, u.size) / u.size) * 100) : 100;
	if (u.state === 'failed') return { label: t('No se pudo subir'), tone: 'red', error: u.error };
	if (u.state === 'uploading') return { label: t('Subiendo'), tone: 'blue', percent };
	return {
		label: navigator.onLine ? t('En cola') : t('Esperando conexión'),
		tone: 'orange',
		percent
	};
}

/**
 * A customer's files as Repositorio and Equipamiento show them: the rows, the bytes waiting here
 * to upload and which ones are cached, each a live query; plus open/download and delete with the
 * error kept on the file it belongs to. Create it in a component's script (it makes effects).
 */
export class CustomerFiles {
	readonly files;
	readonly #uploads;
	readonly #cached;
	uploadOf = $derived.by(() => new Map((this.#uploads.current ?? []).map((u) => [u.id, u])));
	cachedIds = $derived.by(() => new Set(this.#cached.current ?? []));
	/** The file being fetched, and the last failure (shown on that file). */
	busy = $state<string | null>(null);
	failure = $state<{ id: string; message: string } | null>(null);

	constructor(customerId: () => string) {
		this.files = live(() => db.file.where('customerId').equals(customerId()).toArray(), customerId);
		this.#uploads = live(
			() => db.fileUpload.where('customerId').equals(customerId()).toArray(),
			customerId
		);
		this.#cached = live(() => db.fileCache.toCollection().primaryKeys(), customerId);
	}

	stateOf(f: FileRow): UploadState {
		return uploadState(f, this.uploadOf.get(f.id));
	}

	/** Whether this device holds the bytes (waiting or cached) or the server has them. */
	reachable(f: FileRow): boolean {
		return !!f.storedAt || this.uploadOf.has(f.id) || this.cachedIds.has(f.id);
	}

	/** Whether this device holds the bytes, so a thumbnail can be made with no request. */
	held(f: FileRow): boolean {
		return this.uploadOf.has(f.id) || this.cachedIds.has(f.id);
	}

	async #guard(id: string, work: () => Promise<void>) {
		this.busy = id;
		this.failure = null;
		try {
			await work();
		} catch (err) {
			this.failure = { id, message: err instanceof Error ? err.message : String(err) };
		} finally {
			this.busy = null;
		}
	}

	download(f: FileRow) {
		return this.#guard(f.id, () => downloadFile(f));
	}

	remove(f: FileRow) {
		return this.#guard(f.id, () => deleteFile(f.id));
	}

	mayDelete(f: FileRow): boolean {
		return (
			!!session.user &&
			canRun('file.delete') &&
			mayDeleteFile({ userId: session.user.id, role: session.user.role }, f)
		);
	}
}
