import { db, onRowsChange } from '$lib/app.svelte';
import { searchHits, type CustomerHit, type SearchQuery } from './search';
import { SearchIndex } from './search-index';

/**
 * The customer index of this tab, for the list and the header's quick search: a SearchIndex
 * (loaded from its snapshot, then kept up to date from the rows each change notice carries),
 * made reactive. Started once: as the app loads (its snapshot is read while the scripts still
 * run and the shell is drawn, so the header's quick search answers as soon as it can be typed
 * into), or, from the sign-in screen, when the signed-in shell opens.
 */
class CustomerIndex {
	private version = $state(0);
	loaded = $state(false);
	readonly index = new SearchIndex(db);
	private started = false;

	start() {
		if (this.started) return;
		this.started = true;
		this.index.onUpdate = () => {
			this.loaded = this.index.ready;
			this.version++;
		};
		void this.index.open();
		onRowsChange((n) => void this.index.notice(n));
		// A phone may kill a hidden tab: what changed since the last snapshot is saved first.
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'hidden') void this.index.save();
		});
		window.addEventListener('pagehide', () => void this.index.save());
	}

	get hits(): CustomerHit[] {
		void this.version;
		return this.index.set.hits;
	}

	search(q: SearchQuery) {
		return searchHits(this.hits, q);
	}
}

export const customerIndex = new CustomerIndex();
if (typeof location !== 'undefined' && location.pathname !== '/login') customerIndex.start();
