/**
 * How long the sync loop waits before trying again after its `attempt`-th failure in a row
 * (1 for the first), by what failed:
 *
 * - `offline`: the browser knows it has no network. Waiting long costs nothing: its `online`
 *   event wakes the loop the moment coverage returns.
 * - `server`: the server answered with an error. Backing off spares a server in trouble.
 * - `unreachable`: the request failed although the browser says it is online (a captive portal,
 *   one bar of signal in a basement, a page loaded while offline whose `navigator.onLine` was
 *   never corrected). No event will come when it recovers, so the loop keeps asking every few
 *   seconds: a request that fails at once costs next to nothing.
 */
export function retryAfterMs(attempt: number, cause: 'offline' | 'server' | 'unreachable'): number {
	const backoff = Math.min(2000 * 2 ** Math.max(0, attempt - 1), 60_000);
	return cause === 'unreachable' ? Math.min(backoff, 10_000) : backoff;
}
