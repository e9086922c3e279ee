import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry';

describe('the sync loop’s retry delay', () => {
	it('doubles from 2 s to a minute when offline or when the server fails', () => {
		for (const cause of ['offline', 'server'] as const)
			expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryAfterMs(n, cause))).toEqual([
				2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000
			]);
	});

	it('never waits more than 10 s when requests fail while the browser says it is online', () => {
		expect([1, 2, 3, 4, 5, 50].map((n) => retryAfterMs(n, 'unreachable'))).toEqual([
			2000, 4000, 8000, 10_000, 10_000, 10_000
		]);
	});
});
