import { db, onDataChange } from '$lib/app.svelte';
import { buildHits, searchHits, type CustomerHit, type SearchQuery } from './search';

/**
 * The in-memory customer index behind the list: loaded once from IndexedDB, rebuilt (debounced)
 * when customers or addresses change in any tab.
 */
class CustomerIndex {
	hits = $state.raw<CustomerHit[]>([]);
	loaded = $state(false);
	private timer?: ReturnType<typeof setTimeout>;
	private started = false;

	start() {
		if (this.started) return;
		this.started = true;
		void this.reload();
		onDataChange((entities) => {
			if (!entities.has('customer') && !entities.has('address')) return;
			clearTimeout(this.timer);
			this.timer = setTimeout(() => void this.reload(), 150);
		});
	}

	async reload() {
		const [customers, addresses] = await Promise.all([db.customer.toArray(), db.address.toArray()]);
		this.hits = buildHits(customers, addresses);
		this.loaded = true;
	}

	search(q: SearchQuery) {
		return searchHits(this.hits, q);
	}
}

export const customerIndex = new CustomerIndex();
