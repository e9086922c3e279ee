import type { ClientInit } from '@sveltejs/kit';

/** The longest the app's start waits for the boot search's answer (a slow or stuck worker). */
const BOOT_ANSWER_WAIT_MS = 600;

/**
 * Before the app starts (its layout, database, session, list): if the boot script's quick search
 * is reading an answer the user asked for, that comes first (lib/boot-shell.ts). On a slowed
 * phone the app's start took the main thread for a few hundred milliseconds, and the boot
 * search's answer, ready in its worker, waited behind it to be drawn.
 */
export const init: ClientInit = async () => {
	const boot = window.enlaceBoot;
	if (!boot) return;
	await Promise.race([
		boot.settled(),
		new Promise((resolve) => setTimeout(resolve, BOOT_ANSWER_WAIT_MS))
	]);
};
