/**
 * The form kit: every form of the app is built from these pieces, so a new tab is mostly domain
 * code.
 *
 * Lifecycle (state, in `.svelte.ts`; construct during a component's initialisation):
 * - `FormDraft` (`$lib/forms/form-draft.svelte`) — a form over ONE stored record: `draft`,
 *   `errors`, `dirty`, `done`, `restored`; keeps unsaved edits on the device (localStorage),
 *   merges remote changes into untouched fields, confirms on leaving, `submit({ check, save })`,
 *   `discard()`.
 * - `RowEditor` (`$lib/forms/row-editor.svelte`) — ONE row of a list at a time: `startNew`,
 *   `startEdit`, `save()` (create, or update of what changed), `remove(id, question)`,
 *   `run(id, action)` for a row's one-click buttons, errors per field and per row.
 *
 * Components (`$lib/forms/*.svelte`):
 * - `ListEditor` — a list with its inline editor: loading, empty, rows, Editar / Eliminar, the
 *   per-row error, the "+ Nuevo" button. `RowForm` — the editor's `<form>` with Guardar/Cancelar.
 * - `SaveBar` — Guardar / Descartar, the saved confirmation, Ctrl+S. `DraftNotice` — "a draft
 *   was recovered" with Descartar borrador.
 * - `Repeated` — a repeated fieldset (socios, apoderados, obligations, bank accounts): rows,
 *   add, remove, errors per row.
 * - `MoneyInput`, `PasswordField` (show / generate), `SecretReveal` (a value shown once, with
 *   copy), `AdminOnly` (the notice for what only an administrator may change).
 * - `AskDialog` with `Ask` (`ask.svelte`) — `await ask.ask({ title, message, confirmLabel })`
 *   before an action, in the app's `ConfirmDialog` instead of the browser's `confirm()`.
 * - `use:inlineEditor={ed}` (`inline-editor`) — Escape cancels a row editor, editing a field
 *   clears its error. `whoMayChange(mutation)` (`who-may`) — the `AdminOnly` text, naming
 *   the profiles the mutation's own rule allows. `requestErrors` — an admin HTTP API's errors.
 *
 * Pure helpers (this file; unit-tested): values ↔ drafts (`toDraft`, `patchOf`, `valuesOf`,
 * `mergeUntouched`, `differs`), validation that reports every invalid field at once with the
 * shared zod schemas (`checkWith`, `fieldErrors`), errors (`formErrors`, `focusFirstError`), the
 * device's draft store (`drafts`), typed numbers (`centsValue`, `percentValue`, `integerValue`).
 */
export { draftStore, drafts, type DraftStorage } from './drafts';
export { centsValue, integerValue, percentValue } from './numbers';
export { rowChange, type RowChange } from './rows';
export { checkWith, fieldErrors, hasErrors, type RowCheck } from './validate';
export {
	blank,
	differs,
	filledKeys,
	fillProposals,
	firstError,
	focusFirstError,
	formErrors,
	mergeUntouched,
	patchOf,
	sameValue,
	toDraft,
	trimmedValues,
	valuesOf,
	type FormErrors
} from './values';
