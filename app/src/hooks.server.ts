import type { Handle } from '@sveltejs/kit';
import bootScript from 'virtual:enlace-boot-script';

/**
 * The app is a SPA: this hook runs only where SvelteKit renders its one page, the fallback
 * `index.html` at build time (and each page under `vite dev`). It writes the boot script
 * (lib/boot-shell.ts) into the page itself: fetched as a file it came ~250 ms late on a slowed
 * phone, queued behind the app's own scripts.
 */
export const handle: Handle = ({ event, resolve }) =>
	resolve(event, {
		transformPageChunk: ({ html }) => html.replace(BOOT_TAG, `${OPEN}${bootScript}${CLOSE}`)
	});

// Built from parts: the i18n check reads this file as a component's <script>, which a literal
// closing tag would end.
const OPEN = '<script>';
const CLOSE = '<' + '/script>';
const BOOT_TAG = `<script data-boot-script>${CLOSE}`;
