import type { Role } from '@enlace/shared';
import type { ChangeNotice, SyncEngine } from './engine';

/** The engine's calls a screen makes; each returns a promise, so it can wait for the engine. */
type Call =
	| 'mutate'
	| 'push'
	| 'pull'
	| 'pinned'
	| 'pin'
	| 'fetchOlder'
	| 'prune'
	| 'sync'
	| 'rebase'
	| 'resetLocal'
	| 'discardAll'
	| 'retryRejected'
	| 'discardRejected'
	| 'pending';

export type Engine = Pick<SyncEngine, Call | 'onChange' | 'onRole'>;

/**
 * The sync engine as the screens see it, before the engine itself is loaded: the engine, the
 * mutators and the zod schemas they validate with are most of the app's script, and the first
 * screen (the header's quick search answers from the index's snapshot, the list from IndexedDB)
 * needs none of it. `load()` fetches them — when the shell has been drawn, or at the first call
 * a screen makes (a mutation waits for it); listeners registered before are attached then.
 * See docs/decisions.md (The app's start on a phone).
 */
export class LazyEngine implements Engine {
	private loading?: Promise<SyncEngine>;
	private readonly changeListeners = new Set<(n: ChangeNotice) => void>();
	private readonly roleListeners = new Set<(role: Role) => void>();

	constructor(private readonly make: () => Promise<SyncEngine>) {}

	/** The engine, loaded once; its changes and roles go to the listeners registered here. */
	load(): Promise<SyncEngine> {
		this.loading ??= this.make().then(
			(e) => {
				e.onChange((n) => this.changeListeners.forEach((fn) => fn(n)));
				e.onRole((role) => this.roleListeners.forEach((fn) => fn(role)));
				return e;
			},
			(e: unknown) => {
				// Not fetched (no network, no service worker yet): the next call tries again.
				this.loading = undefined;
				throw e;
			}
		);
		return this.loading;
	}

	get loaded(): boolean {
		return this.loading !== undefined;
	}

	onChange(fn: (n: ChangeNotice) => void): () => void {
		this.changeListeners.add(fn);
		return () => this.changeListeners.delete(fn);
	}

	onRole(fn: (role: Role) => void): () => void {
		this.roleListeners.add(fn);
		return () => this.roleListeners.delete(fn);
	}

	private call<K extends Call>(name: K): SyncEngine[K] {
		return ((...args: unknown[]) =>
			this.load().then((e) =>
				(e[name] as (...a: unknown[]) => Promise<unknown>).apply(e, args)
			)) as SyncEngine[K];
	}

	readonly mutate = this.call('mutate');
	readonly push = this.call('push');
	readonly pull = this.call('pull');
	readonly pinned = this.call('pinned');
	readonly pin = this.call('pin');
	readonly fetchOlder = this.call('fetchOlder');
	readonly prune = this.call('prune');
	readonly sync = this.call('sync');
	readonly rebase = this.call('rebase');
	readonly resetLocal = this.call('resetLocal');
	readonly discardAll = this.call('discardAll');
	readonly retryRejected = this.call('retryRejected');
	readonly discardRejected = this.call('discardRejected');
	readonly pending = this.call('pending');
}
