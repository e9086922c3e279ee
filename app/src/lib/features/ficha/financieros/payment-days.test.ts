import { describe, expect, it } from 'vitest';
import { parseDays } from './payment-days';

describe('payment days as typed', () => {
	it('reads days separated by commas, spaces or "y"', () => {
		expect(parseDays('5, 20')).toEqual([5, 20]);
		expect(parseDays('5 y 20')).toEqual([5, 20]);
		expect(parseDays('')).toEqual([]);
		expect(parseDays('cinco')).toBeNull();
	});
});
