/**
 * `use:escapeCancels={cancel}` on a form's fields: Escape from any of them cancels the edit, as in
 * every inline editor of the settings pages.
 */
export function escapeCancels(node: HTMLElement, cancel: () => void) {
	let current = cancel;
	const onKey = (e: KeyboardEvent) => {
		if (e.key !== 'Escape') return;
		e.preventDefault();
		current();
	};
	node.addEventListener('keydown', onKey);
	return {
		update(next: () => void) {
			current = next;
		},
		destroy() {
			node.removeEventListener('keydown', onKey);
		}
	};
}
