import { liveQuery, type Subscription } from 'dexie';
import type * as Tus from 'tus-js-client';
import type { EnlaceDb, FileUploadRow } from '../db/db';
import { trimCache, UPLOAD_CHUNK_BYTES } from './files';

/** Answers after which an upload stops until the user acts (the next attempt would fail the same). */
const FATAL = new Set([400, 403, 404, 413]);
/** The bytes did not hash to the row's SHA-256: the server dropped them; start again from 0. */
const MISMATCH = 460;
/**
 * A request that moves no byte for this long is given up and the upload resumes from the server's
 * offset on a new connection. A phone changing cells can leave a connection open that carries
 * nothing, and a browser may wait minutes before it notices. Not while the server answers the last
 * chunk: it checks the whole file's SHA-256 then.
 */
export const STALL_MS = 20_000;

/** Whether an upload that last moved at `movedAt` with `sent` of `size` bytes has stalled. */
export const stalled = (now: number, movedAt: number, sent: number, size: number) =>
	sent < size && now - movedAt >= STALL_MS;

const statusOf = (e: unknown) =>
	(e as { originalResponse?: { getStatus(): number } | null }).originalResponse?.getStatus() ?? 0;

/**
 * Sends the files waiting in `fileUpload` over tus, one at a time, oldest first, in one tab per
 * browser (Web Locks), whenever there is signal: a dropped connection resumes from the server's
 * offset (tus retries), a reopened app from the upload URL kept in the row. A file whose row has
 * not reached the server yet (its `file.create` still in the outbox) waits for the push.
 */
export class FileUploader {
	private stopped = false;
	private running = false;
	private again = false;
	private current?: Tus.Upload;
	private sub?: Subscription;
	private timer?: ReturnType<typeof setInterval>;
	private releaseLock?: () => void;

	constructor(
		private readonly db: EnlaceDb,
		private readonly endpoint = '/api/files/tus'
	) {}

	start(): void {
		const run = async () => {
			if (this.stopped) return;
			// New files, and the outbox emptying (a file's row reached the server), start a round.
			this.sub = liveQuery(async () => [
				await this.db.fileUpload.count(),
				await this.db.outbox.count()
			]).subscribe({ next: () => this.kick(), error: (e: unknown) => console.error(e) });
			window.addEventListener('online', this.kick);
			this.timer = setInterval(this.kick, 20_000);
			await new Promise<void>((resolve) => (this.releaseLock = resolve));
		};
		if ('locks' in navigator) void navigator.locks.request('enlace-upload', run);
		else void run();
	}

	stop(): void {
		this.stopped = true;
		this.sub?.unsubscribe();
		clearInterval(this.timer);
		window.removeEventListener('online', this.kick);
		void this.current?.abort();
		this.releaseLock?.();
	}

	readonly kick = (): void => {
		if (this.stopped) return;
		if (this.running) {
			this.again = true;
			return;
		}
		this.running = true;
		void this.round()
			.catch((e: unknown) => console.error('upload round failed', e))
			.finally(() => {
				this.running = false;
				if (this.again) {
					this.again = false;
					this.kick();
				}
			});
	};

	private async round(): Promise<void> {
		if (!navigator.onLine) return;
		const rows = await this.db.fileUpload.orderBy('createdAt').toArray();
		const queued = new Set(
			(await this.db.outbox.toArray())
				.filter((m) => m.name === 'file.create')
				.map((m) => (m.args as { id: string }).id)
		);
		for (const row of rows) {
			if (this.stopped || !navigator.onLine) return;
			if (row.state === 'failed' || queued.has(row.id)) continue;
			if (!(await this.db.file.get(row.id))) {
				// The row was deleted (here or by the office): its bytes have nowhere to go. A
				// moment's grace: addFile keeps the bytes just before it records the row.
				if (Date.now() - Date.parse(row.createdAt) > 60_000) {
					await this.db.fileUpload.delete(row.id);
				}
				continue;
			}
			await this.send(row);
		}
	}

	private async send(row: FileUploadRow): Promise<void> {
		// Loaded with the first upload, not with the app: the first screen does not need it.
		const tus = await import('tus-js-client');
		await this.db.fileUpload.update(row.id, { state: 'uploading', error: undefined });
		let lastSaved = 0;
		let sentNow = row.sent;
		let movedAt = Date.now();
		let watchdog: ReturnType<typeof setInterval> | undefined;
		const result = await new Promise<'done' | 'retry' | 'stalled' | { fatal: string }>(
			(resolve) => {
				const upload = new tus.Upload(row.blob, {
					endpoint: this.endpoint,
					uploadUrl: row.uploadUrl ?? null,
					metadata: { fileId: row.id },
					chunkSize: UPLOAD_CHUNK_BYTES,
					retryDelays: [0, 1000, 3000, 5000, 10000],
					// The URL lives in the row (IndexedDB), not in tus-js-client's localStorage.
					storeFingerprintForResuming: false,
					onUploadUrlAvailable: () => {
						void this.db.fileUpload.update(row.id, { uploadUrl: upload.url ?? undefined });
					},
					onProgress: (sent) => {
						const now = Date.now();
						if (sent !== sentNow) [sentNow, movedAt] = [sent, now];
						if (now - lastSaved < 500 && sent < row.size) return;
						lastSaved = now;
						void this.db.fileUpload.update(row.id, { sent });
					},
					onError: (e) => {
						const status = statusOf(e);
						if (status === MISMATCH) {
							void this.db.fileUpload.update(row.id, { uploadUrl: undefined, sent: 0 });
							resolve('retry');
						} else if (FATAL.has(status)) {
							resolve({ fatal: e.message });
						} else resolve('retry');
					},
					onSuccess: () => resolve('done')
				});
				this.current = upload;
				upload.start();
				watchdog = setInterval(() => {
					if (!stalled(Date.now(), movedAt, sentNow, row.size)) return;
					console.warn(`upload ${row.id} moved no byte for ${STALL_MS / 1000} s: resuming`);
					void upload.abort();
					resolve('stalled');
				}, 1000);
			}
		);
		clearInterval(watchdog);
		this.current = undefined;
		if (result === 'done') {
			// Kept as a cached copy: the author sees and downloads it offline without fetching it.
			await this.db.transaction('rw', [this.db.fileUpload, this.db.fileCache], async () => {
				await this.db.fileUpload.delete(row.id);
				await this.db.fileCache.put({
					id: row.id,
					blob: row.blob,
					size: row.size,
					usedAt: new Date().toISOString()
				});
			});
			await trimCache(this.db);
		} else if (result === 'retry') {
			await this.db.fileUpload.update(row.id, { state: 'waiting' });
		} else if (result === 'stalled') {
			// At once, from the offset the server holds (HEAD), on a fresh connection.
			this.again = true;
		} else {
			await this.db.fileUpload.update(row.id, { state: 'failed', error: result.fatal });
		}
	}
}
