/** What the draft store needs of `localStorage` (a fake one in tests). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Every draft's localStorage key starts with it (a different user signing in drops them all). */
export const DRAFT_PREFIX = 'enlace-draft:';
const PREFIX = DRAFT_PREFIX;

/**
 * Drafts survive a closed tab, a reload or a dead battery: what the user typed is kept on the
 * device until it is saved or explicitly discarded. A stored draft that cannot be read (an older
 * shape, a full disk) is dropped rather than breaking the form.
 */
export function draftStore(storage: () => DraftStorage | undefined) {
	return {
		load<T>(key: string): T | undefined {
			const raw = storage()?.getItem(PREFIX + key);
			if (!raw) return undefined;
			try {
				return JSON.parse(raw) as T;
			} catch {
				storage()?.removeItem(PREFIX + key);
				return undefined;
			}
		},
		save(key: string, value: unknown) {
			try {
				storage()?.setItem(PREFIX + key, JSON.stringify(value));
			} catch {
				// Storage full or refused (private mode): the form still works, only without a net.
			}
		},
		clear(key: string) {
			storage()?.removeItem(PREFIX + key);
		}
	};
}

export const drafts = draftStore(() =>
	typeof localStorage === 'undefined' ? undefined : localStorage
);
