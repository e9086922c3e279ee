/**
 * Error types of the RouterOS API client. None of them ever carries command parameters, only the
 * command word (e.g. `/ppp/secret/add`), so a password can never end up in a message, a stack or
 * a log line.
 */

/** Base class: `instanceof RouterOsError` catches every failure of this module. */
export class RouterOsError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = new.target.name;
	}
}

/** The router answered `!trap`: the command failed, the connection is fine. */
export class RouterOsTrapError extends RouterOsError {
	/** Same as `message`: the router text, e.g. `failure: secret with the same name already exists`. */
	readonly routerMessage: string;
	/** `=category=` (0–7) when the router sent one; often absent, so do not classify by it. */
	readonly category: number | undefined;
	/** Command word only, never its parameters. */
	readonly command: string;

	constructor(routerMessage: string, category: number | undefined, command: string) {
		// The message is the router's text verbatim, so callers can match on it (docs/router-work.md ›
		// Error texts matched).
		super(routerMessage);
		this.routerMessage = routerMessage;
		this.category = category;
		this.command = command;
	}
}

/** Login refused (`invalid user name or password (6)`, legacy `cannot log in`, `not allowed (9)`). */
export class RouterOsLoginError extends RouterOsError {
	readonly routerMessage: string;

	constructor(routerMessage: string) {
		super(`login refused: ${routerMessage}`);
		this.routerMessage = routerMessage;
	}
}

/** The router sent `!fatal` (connection-level) and closes the connection. */
export class RouterOsFatalError extends RouterOsError {
	/** The reason word; real routers send it bare, some fakes as `=message=`; may be empty. */
	readonly reason: string;

	constructor(reason: string) {
		super(reason === '' ? 'router sent !fatal' : `router sent !fatal: ${reason}`);
		this.reason = reason;
	}
}

/** A command missed its deadline; `/cancel` was sent for it. */
export class RouterOsTimeoutError extends RouterOsError {
	readonly command: string;
	readonly timeoutMs: number;

	constructor(command: string, timeoutMs: number) {
		super(`${command}: no answer within ${timeoutMs} ms`);
		this.command = command;
		this.timeoutMs = timeoutMs;
	}
}

/** No usable connection: refused, reset, closed, not connected, or a protocol violation. */
export class RouterOsConnectionError extends RouterOsError {
	/** Node error code when there is one (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`, …). */
	readonly code: string | undefined;

	constructor(message: string, options?: { cause?: unknown; code?: string }) {
		super(message, options);
		this.code = options?.code;
	}
}

/** The byte stream broke the framing rules (reserved control byte, oversized word). */
export class RouterOsProtocolError extends RouterOsError {}
