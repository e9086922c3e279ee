import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [
		sveltekit(),
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
