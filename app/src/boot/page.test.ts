import { describe, expect, it } from 'vitest';
import {
	APP_MAY_START_GLOBAL,
	BOOT_TAG,
	HEAD_LINKS_GLOBAL,
	writeBootScript,
	type HeadLinks
} from './page';

/** The fallback page as SvelteKit renders it (trimmed): the boot tag, the head's links, the start. */
const PAGE = `<!doctype html>
<html lang="es">
	<head>
		${BOOT_TAG}
		<link rel="icon" href="/favicon.svg" type="image/svg+xml" />
		<link rel="manifest" href="/manifest.webmanifest" />
		<title>Enlace</title>
		<link href="/_app/immutable/entry/start.A1.js" rel="modulepreload">
		<link href="/_app/immutable/chunks/B2.js" rel="modulepreload">
		
		<link href="/_app/immutable/assets/0.C3.css" rel="stylesheet">
		<link href="/_app/immutable/assets/1.D4.css" rel="stylesheet">
	</head>
	<body data-sveltekit-preload-data="hover">
		<div style="display: contents">
			<script>
				{
					__sveltekit_x = { base: "" };
					const element = document.currentScript.parentElement;
					Promise.all([
						import("/_app/immutable/entry/start.A1.js"),
						import("/_app/immutable/entry/app.E5.js")
					]).then(([kit, app]) => {
						kit.start(app, element);
					});
				}
			</script>
		</div>
	</body>
</html>`;

/** The boot script's element: its text and what it defines as HEAD_LINKS_GLOBAL. */
function bootOf(html: string): { script: string; links: HeadLinks } {
	const script = /<script>(var [^]*?)<\/script>/.exec(html)?.[1];
	if (!script) throw new Error('no boot script');
	const links = new Function(`${script}; return ${HEAD_LINKS_GLOBAL};`)() as HeadLinks;
	return { script, links };
}

/** The app's start as the page runs it, with `window` given: the modules it imports, in order. */
async function startOf(html: string, window: Record<string, unknown>) {
	const start = /<div style="display: contents">\s*<script>([^]*?)<\/script>/.exec(html)?.[1];
	if (!start) throw new Error('no start script');
	const imported: string[] = [];
	const started: unknown[] = [];
	const document = { currentScript: { parentElement: 'the element' } };
	const kit = { start: (app: unknown, element: unknown) => started.push(app, element) };
	const run = new Function(
		'window',
		'document',
		'load',
		start.replaceAll('import(', 'load(').replace(/__sveltekit_x = /, 'window.x = ')
	);
	run(window, document, async (url: string) => {
		imported.push(url);
		return url.includes('start') ? kit : 'the app';
	});
	await new Promise((resolve) => setTimeout(resolve));
	return { imported, started };
}

describe('the page with the boot script', () => {
	it('moves the stylesheets and modulepreloads from <head> into the boot script, in order', () => {
		const html = writeBootScript(PAGE, '/* boot */');
		expect(html).not.toContain('rel="modulepreload"');
		expect(html).not.toContain('rel="stylesheet"');
		expect(bootOf(html).links).toEqual({
			styles:
				'<link href="/_app/immutable/assets/0.C3.css" rel="stylesheet">' +
				'<link href="/_app/immutable/assets/1.D4.css" rel="stylesheet">',
			modules: ['/_app/immutable/entry/start.A1.js', '/_app/immutable/chunks/B2.js']
		});
		// The rest of the page is untouched: icons, manifest; the boot script comes first.
		expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
		expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest" />');
		expect(html).not.toContain(BOOT_TAG);
		expect(html.indexOf('/* boot */')).toBeLessThan(html.indexOf('<title>'));
	});

	it("starts the app once the boot script's promise settles, or at once without one", async () => {
		const html = writeBootScript(PAGE, '/* boot */');
		let allow: () => void = () => undefined;
		const waiting = await startOf(html, {
			[APP_MAY_START_GLOBAL]: new Promise<void>((resolve) => (allow = resolve))
		});
		expect(waiting.imported).toEqual([]);
		allow();
		await new Promise((resolve) => setTimeout(resolve));
		expect(waiting.imported).toEqual([
			'/_app/immutable/entry/start.A1.js',
			'/_app/immutable/entry/app.E5.js'
		]);
		expect(waiting.started).toEqual(['the app', 'the element']);

		const alone = await startOf(html, {});
		expect(alone.started).toEqual(['the app', 'the element']);
	});

	it('writes the boot script as it is, even with "$" patterns replace() would expand', () => {
		const boot = 'const a = "$&"; const b = "$1";';
		expect(writeBootScript(PAGE, boot)).toContain(boot);
	});

	it('cannot end its script early: no "<" in the moved markup', () => {
		const html = writeBootScript(PAGE.replace('0.C3.css', '</script>.css'), '');
		expect(bootOf(html).links.styles).toContain(
			'<link href="/_app/immutable/assets/</script>.css"'
		);
		// The page's scripts end where they should, not inside the boot script's value.
		expect(html.match(/<\/script>/g)).toHaveLength(2);
	});

	it('leaves a page without the boot tag as it is: nothing would write the links back', () => {
		const page = PAGE.replace(BOOT_TAG, '');
		expect(writeBootScript(page, '/* boot */')).toBe(page);
	});
});
