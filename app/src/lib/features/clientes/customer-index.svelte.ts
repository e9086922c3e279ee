import { db, onRowsChange, sessionRead } from '$lib/app.svelte';
import type { ChangeNotice } from '$lib/sync/engine';
import { searchHits, type CustomerHit, type SearchQuery } from './search';
import { SearchIndex } from './search-index';

/** The longest a burst of changes waits to be drawn. */
const REDRAW_MS = 1000;

/**
 * The customer index of this tab, for the list and the header's quick search: a SearchIndex
 * (loaded from its snapshot, then kept up to date from the rows each change notice carries),
 * made reactive. Started once: as the app loads (its snapshot is read as soon as the session
 * is, while the shell is drawn, so the header's quick search answers as soon as it can be typed
 * into), or, from the sign-in screen, when the signed-in shell opens.
 */
class CustomerIndex {
	private version = $state(0);
	loaded = $state(false);
	readonly index = new SearchIndex(db);
	private started = false;
	private lastRedraw = 0;
	private redrawTimer?: ReturnType<typeof setTimeout>;

	/**
	 * Tell the screens the hits changed: a change on its own at once, a burst (a first sync's
	 * pages, each re-filtering, re-sorting and redrawing the list) at most every REDRAW_MS, the
	 * last one always told. (A first sync of 50,000 customers spent 1.5 s of the phone's main
	 * thread redrawing the list for every page, 0.4 s once a second.)
	 */
	private redraw() {
		const wait = this.lastRedraw + REDRAW_MS - performance.now();
		const tell = () => {
			this.redrawTimer = undefined;
			this.lastRedraw = performance.now();
			this.version++;
		};
		if (wait <= 0 && !this.redrawTimer) tell();
		else this.redrawTimer ??= setTimeout(tell, Math.max(wait, 0));
	}

	start() {
		if (this.started) return;
		this.started = true;
		this.index.onUpdate = () => {
			this.loaded = this.index.ready;
			this.redraw();
		};
		// After the session: the header then comes first, not in the same flush as the list.
		void sessionRead.then(() => this.index.open());
		// Applied in the next task, not inside the engine's: the engine has already asked for its
		// next page, and the notices that came meanwhile (a first sync's burst) go in together.
		let burst: ChangeNotice[] = [];
		onRowsChange((n) => {
			if (burst.push(n) > 1) return;
			setTimeout(() => {
				const notices = burst;
				burst = [];
				void this.index.noticeMany(notices);
			}, 0);
		});
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
