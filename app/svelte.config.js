import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** A pure SPA: the sync-server serves build/ and falls back to index.html for client routes. */
export default {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ fallback: 'index.html' }),
		serviceWorker: { register: false },
		version: { pollInterval: 0 }
	}
};
