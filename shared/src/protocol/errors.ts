/** Wire error codes, kebab-case. The UI shows `message` (Spanish); code and field are for code. */
export type ErrorCode =
	| 'bad-request'
	| 'invalid-json'
	| 'invalid-args'
	| 'invalid-field'
	| 'invalid-tax-id'
	| 'invalid-email'
	| 'invalid-iban'
	| 'invalid-postal-code'
	| 'payload-too-large'
	| 'unknown-mutation'
	| 'not-found'
	| 'already-exists'
	| 'conflict'
	| 'forbidden'
	| 'unauthorized'
	| 'invalid-credentials'
	| 'client-too-old'
	| 'too-many-attempts'
	| 'cross-origin'
	| 'unsupported-media-type'
	| 'internal'
	/** One mutation that failed unexpectedly on the server (a bug); the rest of the push goes on. */
	| 'internal-error';

export type WireError = { code: ErrorCode | (string & {}); message: string; field?: string };

/** An expected failure. The server maps it to `{error: {code, message, field?}}` with `status`. */
export class AppError extends Error {
	constructor(
		readonly code: WireError['code'],
		message: string,
		readonly field?: string,
		readonly status: number = 400
	) {
		super(message);
		this.name = 'AppError';
	}

	toWire(): WireError {
		return this.field
			? { code: this.code, message: this.message, field: this.field }
			: { code: this.code, message: this.message };
	}
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
