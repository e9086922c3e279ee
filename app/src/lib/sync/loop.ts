import { liveQuery, type Subscription } from 'dexie';
import type { EnlaceDb } from '../db/db';
import type { SyncEngine } from './engine';
import { HttpError } from './http-transport';
import { msg } from '../i18n/index.svelte';
import { retryAfterMs } from './retry';

export type SyncPhase = 'idle' | 'syncing' | 'offline' | 'error' | 'signed-out';
export type SyncStatus = {
	phase: SyncPhase;
	lastSyncAt?: string;
	message?: string;
	leader: boolean;
};

/**
 * Runs sync in exactly one tab per browser (Web Locks): that tab holds the SSE connection, pushes
 * when the outbox grows (any tab's mutations land in the shared IndexedDB) and pulls when the
 * server's seq moves. Status goes to `meta.syncStatus`, which every tab reads.
 */
export class SyncLoop {
	private running = false;
	private again = false;
	/** Failed runs in a row (see retryAfterMs). */
	private failures = 0;
	private retryTimer?: ReturnType<typeof setTimeout>;
	private events?: EventSource;
	private outboxSub?: Subscription;
	private releaseLock?: () => void;
	private stopped = false;

	constructor(
		private readonly db: EnlaceDb,
		private readonly engine: Pick<SyncEngine, 'sync'>,
		private readonly onSignedOut: () => void
	) {}

	start(): void {
		const run = async () => {
			if (this.stopped) return;
			await this.setStatus({ phase: 'idle', leader: true });
			this.openEvents();
			this.outboxSub = liveQuery(() => this.db.outbox.count()).subscribe({
				next: (n) => {
					if (n > 0) this.kick();
				},
				error: (e: unknown) => console.error(e)
			});
			window.addEventListener('online', this.onOnline);
			this.kick();
			await new Promise<void>((resolve) => (this.releaseLock = resolve));
		};
		if ('locks' in navigator) {
			void navigator.locks.request('enlace-sync', run);
		} else {
			void run();
		}
	}

	stop(): void {
		this.stopped = true;
		this.events?.close();
		this.outboxSub?.unsubscribe();
		clearTimeout(this.retryTimer);
		window.removeEventListener('online', this.onOnline);
		this.releaseLock?.();
	}

	private onOnline = () => {
		this.failures = 0;
		this.kick();
	};

	private openEvents() {
		this.events?.close();
		const es = new EventSource('/api/sync/events');
		es.addEventListener('seq', (ev) => {
			const { seq } = JSON.parse((ev as MessageEvent<string>).data) as { seq: number };
			void this.db.getMeta<number>('seq').then((local) => {
				if ((local ?? 0) < seq) this.kick();
			});
		});
		// EventSource reconnects by itself; on every (re)open catch up in case pokes were missed.
		es.addEventListener('open', () => this.kick());
		this.events = es;
	}

	/** Run a sync soon; several kicks while one runs fold into one more run. */
	kick(): void {
		if (this.stopped) return;
		if (this.running) {
			this.again = true;
			return;
		}
		clearTimeout(this.retryTimer);
		void this.run();
	}

	private async run() {
		this.running = true;
		const previous = await this.db.getMeta<SyncStatus>('syncStatus');
		try {
			do {
				this.again = false;
				await this.setStatus({ phase: 'syncing', lastSyncAt: previous?.lastSyncAt, leader: true });
				await this.engine.sync();
			} while (this.again);
			this.failures = 0;
			await this.setStatus({ phase: 'idle', lastSyncAt: new Date().toISOString(), leader: true });
		} catch (e) {
			const status = e instanceof HttpError ? e.status : 0;
			if (status === 401) {
				await this.setStatus({
					phase: 'signed-out',
					lastSyncAt: previous?.lastSyncAt,
					leader: true,
					message: msg(
						'La sesión ha caducado: vuelva a entrar. Sus cambios siguen guardados en este dispositivo.'
					)
				});
				this.onSignedOut();
			} else {
				// fetch rejects with a TypeError when no answer came at all.
				const unanswered = e instanceof TypeError;
				const offline = !navigator.onLine || unanswered;
				await this.setStatus({
					phase: offline ? 'offline' : 'error',
					lastSyncAt: previous?.lastSyncAt,
					leader: true,
					message: offline
						? msg('Sin red: los cambios se guardan en este dispositivo')
						: (e as Error).message
				});
				// Coming online or an SSE poke retries sooner.
				const cause = !navigator.onLine ? 'offline' : unanswered ? 'unreachable' : 'server';
				this.retryTimer = setTimeout(() => this.kick(), retryAfterMs(++this.failures, cause));
			}
		} finally {
			this.running = false;
			if (this.again) this.kick();
		}
	}

	private setStatus(s: SyncStatus) {
		return this.db.setMeta('syncStatus', s);
	}
}
