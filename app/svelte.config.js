import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * One version name per build: SvelteKit loads this file once for the server build and again for
 * the client's, and its default (the time) would differ between them; the boot script compares
 * the page's (`%sveltekit.version%`) with the one the app saved its header under.
 */
process.env.ENLACE_BUILD_VERSION ??= Date.now().toString(36);

/** A pure SPA: the sync-server serves build/ and falls back to index.html for client routes. */
export default {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ fallback: 'index.html' }),
		serviceWorker: { register: false },
		// The first screen's stylesheets (about 12 KB) written into index.html: the boot header's
		// first frame waited for them to come through the service worker.
		inlineStyleThreshold: 32_768,
		version: { name: process.env.ENLACE_BUILD_VERSION, pollInterval: 0 }
	}
};
