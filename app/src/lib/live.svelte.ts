import { liveQuery } from 'dexie';

/**
 * A Dexie live query as a rune-friendly object: `current` updates whenever the rows it read
 * change, in this tab or another. `deps` is read inside an effect so route params re-run it.
 */
export function live<T>(query: () => T | Promise<T>, deps: () => unknown = () => undefined) {
	let current = $state<T | undefined>(undefined);
	let loaded = $state(false);
	$effect(() => {
		deps();
		loaded = false;
		const sub = liveQuery(query).subscribe({
			next: (v) => {
				current = v;
				loaded = true;
			},
			error: (e: unknown) => console.error('live query failed', e)
		});
		return () => sub.unsubscribe();
	});
	return {
		get current() {
			return current;
		},
		get loaded() {
			return loaded;
		}
	};
}
