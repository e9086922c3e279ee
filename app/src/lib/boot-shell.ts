/**
 * The boot shell: what a device that already holds the customers shows before the app's own
 * scripts have arrived and run (0.7–1.5 s on a mid-range phone, most of it the browser compiling
 * the app). `src/boot/quick-search.ts`, a small script of its own written first into the page,
 * draws the header as the app last drew it (saved here, in localStorage) and answers the header's
 * quick search from the search index's snapshot. When the app's header is drawn it takes over:
 * the boot header goes, and a boot search the user is typing in stays open until it is closed.
 *
 * This module is shared by both sides: the keys and the hand-off between them.
 */

/** The device database's name (Dexie's, read directly by the boot script). */
export const DEVICE_DB = 'enlace';

/** The search index's snapshot's database beside a device database (db.ts's SearchDb). */
export const searchDbName = (deviceDb: string) => `${deviceDb}-search`;

/** localStorage: the header as the app last drew it, for the build that drew it. */
export const SHELL_KEY = 'enlace-shell';

export type SavedShell = {
	/** The build (SvelteKit's version): its stylesheets style the saved markup. */
	version: string;
	html: string;
};

/**
 * Left on `window.enlaceBoot` by the boot script, for the app. All of it is optional: the boot
 * script does nothing when there is no saved shell (first start, another build, signed out).
 */
export type BootHandoff = {
	/** The boot search dialog is open: the app's own waits until it closes. */
	searching(): boolean;
	/** It has read the index's snapshot (without one, the app's search takes over the text). */
	ready(): boolean;
	/** What is typed in the boot search dialog. */
	text(): string;
	/** Close the boot search dialog (the app's takes over). */
	close(): void;
	/**
	 * Settles once no answer of the boot search is being read (at once when none is). The app's
	 * start waits for it (hooks.client.ts, for a moment at most): the question the user asked
	 * is answered before the app takes the main thread for itself.
	 */
	settled(): Promise<void>;
	/** Told once the boot search dialog closes. */
	onClose(fn: () => void): void;
	/** Where the user asked to go before the app could take them there. */
	pending?: string;
	/** The app's navigation, once the app runs: a pick in the boot search goes through it. */
	navigate?: (href: string) => void;
	/** The app drew its own header: the boot header goes. */
	removeHeader(): void;
};

declare global {
	interface Window {
		enlaceBoot?: BootHandoff;
		/** Set by the app's header: a boot script that runs after it draws nothing. */
		enlaceAppStarted?: boolean;
	}
}

/** Remember the header as drawn now (signed in), for the next start of this build. */
export function saveShell(header: HTMLElement, version: string): void {
	// As closed: an open user menu is not part of the first screen, nor the app's search dialog
	// (the boot script draws its own). Nothing but the search button answers to the app's names
	// (test ids, ids): the copy is drawn beside the app's own header for an instant.
	const copy = header.cloneNode(true) as HTMLElement;
	copy.querySelector('.menu')?.remove();
	for (const d of copy.querySelectorAll('dialog')) d.remove();
	copy.querySelector('[aria-expanded=true]')?.setAttribute('aria-expanded', 'false');
	for (const e of copy.querySelectorAll('[data-testid], [id]')) {
		if (e.getAttribute('data-testid') === 'quick-search-open') continue;
		e.removeAttribute('data-testid');
		e.removeAttribute('id');
	}
	const shell: SavedShell = { version, html: copy.outerHTML };
	try {
		localStorage.setItem(SHELL_KEY, JSON.stringify(shell));
	} catch {
		// A full localStorage costs only the boot shell.
	}
}

/** Signed out or another user: the next start shows nothing of this one's header. */
export function clearShell(): void {
	localStorage.removeItem(SHELL_KEY);
}

export function readShell(version: string): SavedShell | undefined {
	try {
		const shell = JSON.parse(localStorage.getItem(SHELL_KEY) ?? 'null') as SavedShell | null;
		return shell?.version === version && typeof shell.html === 'string' ? shell : undefined;
	} catch {
		return undefined;
	}
}
