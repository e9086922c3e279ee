import { describe, expect, it } from 'vitest';
import { STALL_MS, stalled } from './uploader';

describe('upload stall watchdog', () => {
	const size = 20_000_000;
	it('gives up a request that moved no byte for STALL_MS', () => {
		expect(stalled(1000 + STALL_MS, 1000, 5_000_000, size)).toBe(true);
		expect(stalled(1000 + STALL_MS - 1, 1000, 5_000_000, size)).toBe(false);
	});
	it('waits for the server while it checks the whole file after the last byte', () => {
		expect(stalled(1000 + 10 * STALL_MS, 1000, size, size)).toBe(false);
	});
});
