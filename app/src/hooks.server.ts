import type { Handle } from '@sveltejs/kit';
import bootScript from 'virtual:enlace-boot-script';
import { writeBootScript } from './boot/page';

/**
 * The app is a SPA: this hook runs only where SvelteKit renders its one page, the fallback
 * `index.html` at build time (and each page under `vite dev`). It writes the boot script
 * (lib/boot-shell.ts) into the page itself: fetched as a file it came ~250 ms late on a slowed
 * phone, queued behind the app's own scripts. The head's links go into it too (boot/page.ts).
 */
export const handle: Handle = ({ event, resolve }) =>
	resolve(event, {
		transformPageChunk: ({ html }) => writeBootScript(html, bootScript)
	});
