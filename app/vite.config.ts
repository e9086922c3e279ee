import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

/**
 * The boot script (src/boot/quick-search.ts, see lib/boot-shell.ts) as the module
 * `virtual:enlace-boot-script`, whose default export is its code: one self-contained classic
 * script, bundled apart from the app so it needs none of the app's chunks. hooks.server.ts
 * writes it into the page.
 */
function bootScript(): Plugin {
	const entry = fileURLToPath(new URL('./src/boot/quick-search.ts', import.meta.url));
	const id = 'virtual:enlace-boot-script';
	return {
		name: 'enlace-boot-script',
		resolveId: (source) => (source === id ? `\0${id}` : undefined),
		async load(resolved) {
			if (resolved !== `\0${id}`) return;
			const out = await build({
				configFile: false,
				logLevel: 'warn',
				build: {
					write: false,
					minify: true,
					lib: { entry, formats: ['iife'], name: 'enlaceBoot', fileName: () => 'boot.js' }
				}
			});
			const result = Array.isArray(out) ? out[0] : out;
			if (!('output' in result)) throw new Error('boot script: no output');
			this.addWatchFile(entry);
			// Inside a <script> element: no "</script" may end it early.
			const code = result.output[0].code.replaceAll('</script', '<\\/script');
			return `export default ${JSON.stringify(code)};`;
		}
	};
}

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
				cleanupOutdatedCaches: true
			}
		})
	],
	server: { proxy: { '/api': 'http://localhost:8787' } },
	build: { chunkSizeWarningLimit: 800 }
});
