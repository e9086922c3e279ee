import { describe, expect, it } from 'vitest';
import { centsToInput, formatEuros, parseDays, parseDecimal, parseEuros } from './money';

describe('euros typed the Spanish way', () => {
	it('parses thousands dots, decimal commas and plain points into cents', () => {
		expect(parseEuros('1.500,50')).toBe(150_050);
		expect(parseEuros('1500,5')).toBe(150_050);
		expect(parseEuros('1500.50 €')).toBe(150_050);
		expect(parseEuros('1.500')).toBe(150_000);
		expect(parseEuros('0,29')).toBe(29);
		expect(parseEuros('')).toBeNull();
		for (const bad of ['-5', '12,345', 'doce', '1,2,3']) expect(parseEuros(bad)).toBeNull();
	});

	it('shows cents back', () => {
		expect(centsToInput(150_050)).toBe('1500,50');
		expect(centsToInput(7)).toBe('0,07');
		expect(centsToInput(undefined)).toBe('');
		expect(formatEuros(150_050).replace(/\s/g, ' ')).toBe('1500,50 €');
	});

	it('parses percentages and payment days', () => {
		expect(parseDecimal('12,5')).toBe(12.5);
		expect(parseDecimal('abc')).toBeNull();
		expect(parseDays('5, 20')).toEqual([5, 20]);
		expect(parseDays('5 y 20')).toEqual([5, 20]);
		expect(parseDays('')).toEqual([]);
		expect(parseDays('cinco')).toBeNull();
	});
});
