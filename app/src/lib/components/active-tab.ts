/**
 * Keeps the current tab of a horizontally scrolling tab bar in view (on a phone the bar is wider
 * than the screen). Re-runs whenever `key` (the current path) changes.
 */
export function activeTabInView(node: HTMLElement, _key: string) {
	const show = () =>
		requestAnimationFrame(() => {
			const active = node.querySelector<HTMLElement>('[aria-current="page"]');
			if (!active) return;
			const left = active.offsetLeft - (node.clientWidth - active.offsetWidth) / 2;
			node.scrollTo({ left: Math.max(0, left) });
		});
	show();
	return { update: show };
}
