/** A question for `ConfirmDialog`: what will happen, and the words of the button that does it. */
export type Question = {
	title: string;
	message?: string;
	confirmLabel: string;
	/** The action removes or cuts something off. */
	danger?: boolean;
	testid?: string;
};

/**
 * Asks before an action with the app's own dialog (`AskDialog`) instead of the browser's
 * blocking `confirm()`: `await ask.ask(question)` is true when the user confirms. A second
 * question while one is open answers the first with "no".
 */
export class Ask {
	current = $state<Question | null>(null);
	private resolve: ((ok: boolean) => void) | undefined;

	ask(question: Question): Promise<boolean> {
		this.answer(false);
		this.current = question;
		return new Promise((resolve) => (this.resolve = resolve));
	}

	answer(ok: boolean) {
		const resolve = this.resolve;
		this.resolve = undefined;
		this.current = null;
		resolve?.(ok);
	}
}

/**
 * The app's own question, for code that draws nothing of its own (RowEditor's delete, FormDraft's
 * leave): its dialog is drawn once, by the root layout.
 */
export const appAsk = new Ask();
