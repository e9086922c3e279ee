import { db, onDataChange } from '$lib/app.svelte';
import { buildHits, searchHits, type CustomerHit, type SearchQuery } from './search';

/**
 * The in-memory customer index behind the list: loaded once from IndexedDB, rebuilt (debounced)
 * when customers, addresses or custom field values (Otros) change in any tab.
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
			const relevant = ['customer', 'address', 'customFieldValue'];
			if (!relevant.some((e) => entities.has(e))) return;
			clearTimeout(this.timer);
			this.timer = setTimeout(() => void this.reload(), 150);
		});
	}

	async reload() {
		const [customers, addresses, values] = await Promise.all([
			db.customer.toArray(),
			db.address.toArray(),
			db.customFieldValue.toArray()
		]);
		this.hits = buildHits(customers, addresses, values);
		this.loaded = true;
	}

	search(q: SearchQuery) {
		return searchHits(this.hits, q);
	}
}

export const customerIndex = new CustomerIndex();
