import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

/**
 * The boot script (src/boot/quick-search.ts, see lib/boot-shell.ts) as the module
 * `virtual:enlace-boot-script`, whose default export is its code: one self-contained classic
 * script, bundled apart from the app so it needs none of the app's chunks. hooks.server.ts
 * writes it into the page. The client build also gets it as a file, BOOT_SEARCH_FILE, which the
 * service worker imports: it answers the boot search there (the worker is already running when
 * the page loads; a new one took a slowed phone 130–330 ms to start).
 */
function bootScript(): Plugin {
	const entry = fileURLToPath(new URL('./src/boot/quick-search.ts', import.meta.url));
	const id = 'virtual:enlace-boot-script';
	let code: Promise<string> | undefined;
	const bundle = () =>
		(code ??= build({
			configFile: false,
			logLevel: 'warn',
			build: {
				write: false,
				minify: true,
				lib: { entry, formats: ['iife'], name: 'enlaceBoot', fileName: () => 'boot.js' }
			}
		}).then((out) => {
			const result = Array.isArray(out) ? out[0] : out;
			if (!('output' in result)) throw new Error('boot script: no output');
			return result.output[0].code;
		}));
	return {
		name: 'enlace-boot-script',
		resolveId: (source) => (source === id ? `\0${id}` : undefined),
		// A change to the script is bundled again (vite dev).
		watchChange: (changed) => void (changed === entry && (code = undefined)),
		async load(resolved) {
			if (resolved !== `\0${id}`) return;
			this.addWatchFile(entry);
			// Inside a <script> element: no "</script" may end it early.
			const script = (await bundle()).replaceAll('</script', '<\\/script');
			return `export default ${JSON.stringify(script)};`;
		},
		async generateBundle() {
			if (this.environment.config.consumer !== 'client') return;
			this.emitFile({ type: 'asset', fileName: BOOT_SEARCH_FILE, source: await bundle() });
		}
	};
}

/** The boot script as a file of the client build, for the service worker (see bootScript). */
const BOOT_SEARCH_FILE = 'boot-search.js';

export default defineConfig({
	plugins: [
		sveltekit(),
		bootScript(),
		SvelteKitPWA({
			strategies: 'generateSW',
			// 'prompt': a new version waits until the user accepts it, so nobody loses a half-typed form.
			registerType: 'prompt',
			injectRegister: false,
			// From the root, whatever page loads first: SvelteKit builds with relative paths, which
			// made a first visit to /clientes/nuevo register /clientes/sw.js (the HTML page).
			base: '/',
			buildBase: '/',
			scope: '/',
			manifest: {
				name: 'Enlace — clientes',
				short_name: 'Enlace',
				description: 'Gestión de clientes para operadores de Internet, también sin conexión',
				lang: 'es',
				start_url: '/clientes',
				scope: '/',
				display: 'standalone',
				background_color: '#f6f7f9',
				theme_color: '#0b5cab',
				icons: [
					{ src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
					{ src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
				]
			},
			kit: { adapterFallback: 'index.html', spa: true },
			workbox: {
				// wasm: the barcode reader's WebAssembly (lib/scan), so scanning works offline.
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,webmanifest,html,wasm}'],
				maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
				navigateFallbackDenylist: [/^\/api\//],
				cleanupOutdatedCaches: true,
				// The boot search's reader (see bootScript), answering the pages it serves.
				importScripts: [`/${BOOT_SEARCH_FILE}`]
			}
		})
	],
	server: { proxy: { '/api': 'http://localhost:8787' } },
	build: { chunkSizeWarningLimit: 800 }
});
