/** What `use:inlineEditor` needs of a `RowEditor`. */
type Editor = { cancel(): void; touched(name: string | undefined): void };

/**
 * `use:inlineEditor={ed}` around a row editor's fields: Escape from any of them cancels the edit,
 * and editing a field clears its error, the same in every inline editor.
 */
export function inlineEditor(node: HTMLElement, editor: Editor) {
	let ed = editor;
	const onKey = (e: KeyboardEvent) => {
		if (e.key !== 'Escape') return;
		e.preventDefault();
		ed.cancel();
	};
	const onEdit = (e: Event) => ed.touched((e.target as HTMLInputElement | null)?.name);
	node.addEventListener('keydown', onKey);
	node.addEventListener('input', onEdit);
	node.addEventListener('change', onEdit);
	return {
		update(next: Editor) {
			ed = next;
		},
		destroy() {
			node.removeEventListener('keydown', onKey);
			node.removeEventListener('input', onEdit);
			node.removeEventListener('change', onEdit);
		}
	};
}
