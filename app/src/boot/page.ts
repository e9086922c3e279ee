/**
 * The SPA's page (`index.html`) with the boot script written in (hooks.server.ts).
 *
 * SvelteKit writes the app's stylesheets and a modulepreload for each of its first scripts
 * (about 25 links) into `<head>`, and starts the app from an inline script in `<body>`. On a
 * slowed phone both got in the boot script's way: the browser's preload scanner requested every
 * link before the parser ran the first script (the boot script, first in `<head>`, ran at
 * 300–500 ms instead of 120–200 ms), and the requests of the app's scripts kept the page's main
 * thread from starting the boot search's worker (70 ms after `new Worker` on a quiet page, 200 ms
 * and more beside them). So the links leave `<head>` and the app's start waits for the boot
 * script: it writes the stylesheets back at once (`document.write`: the same markup at the same
 * place, still holding the first paint), and the modulepreloads and the app's start follow when
 * `window.enlaceAppMayStart` settles (quick-search.ts: once its worker runs, or a moment).
 */

/** A stylesheet or modulepreload link as SvelteKit writes it into `<head>`. */
const HEAD_LINK = /[ \t]*<link href="([^"]+)" rel="(modulepreload|stylesheet)">\n?/g;

/** SvelteKit's start of the app: the two entry modules imported, then `kit.start`. */
const APP_START = /Promise\.all\(\[(\s*import\("[^"]+"\),\s*import\("[^"]+"\)\s*)\]\)/;

/** The placeholder in app.html the boot script replaces. */
const CLOSE = '<' + '/script>';
export const BOOT_TAG = `<script data-boot-script>${CLOSE}`;

/** The global the boot script reads the head's links from (quick-search.ts). */
export const HEAD_LINKS_GLOBAL = 'enlaceHeadLinks';
/** The global the app's start waits for (a promise the boot script leaves). */
export const APP_MAY_START_GLOBAL = 'enlaceAppMayStart';

/** What the boot script writes back: the stylesheets' markup and the modules to preload. */
export type HeadLinks = { styles: string; modules: string[] };

/**
 * `html` with the boot script in place of BOOT_TAG, the head's links moved into it, and the
 * app's start waiting for it. A page without the tag is returned as it is: nothing would write
 * the links back.
 */
export function writeBootScript(html: string, bootScript: string): string {
	if (!html.includes(BOOT_TAG)) return html;
	const links: HeadLinks = { styles: '', modules: [] };
	const rest = html
		.replace(HEAD_LINK, (tag, href: string, rel: string) => {
			if (rel === 'stylesheet') links.styles += tag.trim();
			else links.modules.push(href);
			return '';
		})
		.replace(
			APP_START,
			(_, imports: string) =>
				`(window.${APP_MAY_START_GLOBAL} || Promise.resolve()).then(() => Promise.all([${imports}]))`
		);
	// A value in a script element: no "<" may open a "</script" in it.
	const value = JSON.stringify(links).replaceAll('<', '\\u003c');
	return rest.replace(
		BOOT_TAG,
		() => `<script>var ${HEAD_LINKS_GLOBAL}=${value};${bootScript}${CLOSE}`
	);
}
