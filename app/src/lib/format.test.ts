import { describe, expect, it } from 'vitest';
import { centsToInput, eurosToCents, fmtEuros, fmtPercent, toInteger, toPercent } from './format';

describe('numbers typed the Spanish way', () => {
	it('reads euros into cents', () => {
		expect(eurosToCents('1.234,56')).toBe(123_456);
		expect(eurosToCents('1234,5')).toBe(123_450);
		expect(eurosToCents('29.9')).toBe(2990);
		expect(eurosToCents('3.000')).toBe(300_000);
		expect(eurosToCents(' 3 000 € ')).toBe(300_000);
		expect(eurosToCents('0,07')).toBe(7);
		expect(eurosToCents('')).toBeUndefined();
		expect(eurosToCents('doce')).toBeNaN();
		expect(eurosToCents('1,234')).toBeNaN();
	});

	it('reads percentages and whole numbers', () => {
		expect(toPercent('33,33')).toBe(33.33);
		expect(toPercent('60 %')).toBe(60);
		expect(toPercent('')).toBeUndefined();
		expect(toPercent('12,345')).toBeNaN();
		expect(toInteger('12')).toBe(12);
		expect(toInteger('1.200')).toBe(1200);
		expect(toInteger('12,5')).toBeNaN();
	});

	it('writes them back', () => {
		expect(centsToInput(250_000)).toBe('2500,00');
		expect(centsToInput(undefined)).toBe('');
		expect(fmtEuros(123_456)).toMatch(/^1\.234,56\s€$/);
		expect(fmtPercent(33.5)).toBe('33,5 %');
	});
});
