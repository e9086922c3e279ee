import { describe, expect, it } from 'vitest';
import { normalizePhone, phoneDigits, phoneQuery, phoneSearchKeys } from './phone';

describe('normalizePhone', () => {
	it.each([
		['600 11 22 33', '600 11 22 33'],
		['  600  11 22 33 ', '600 11 22 33'],
		['0034 690 12 34 56', '+34 690 12 34 56'],
		['0034690123456', '+34690123456'],
		['00 33 6 12 34 56 78', '+33 6 12 34 56 78'],
		['+34 690 12 34 56', '+34 690 12 34 56'],
		['(91) 123-45-67', '(91) 123-45-67'],
		['', '']
	])('%j → %j', (typed, stored) => expect(normalizePhone(typed)).toBe(stored));

	it('changes nothing the second time', () => {
		for (const p of ['0034 690 12 34 56', ' 600  111 ', '00 1 555 0100', '+34 6'])
			expect(normalizePhone(normalizePhone(p))).toBe(normalizePhone(p));
	});
});

describe('phone search keys', () => {
	it('index a Spanish number with and without the country code', () => {
		expect(phoneSearchKeys('690 12 34 56')).toEqual(['690123456', '34690123456']);
		expect(phoneSearchKeys('+34 690 12 34 56')).toEqual(['690123456', '34690123456']);
		expect(phoneSearchKeys('0034 690123456')).toEqual(['690123456', '34690123456']);
		expect(phoneSearchKeys('34 690 12 34 56')).toEqual(['690123456', '34690123456']);
		expect(phoneSearchKeys('+33 6 12 34 56 78')).toEqual(['33612345678']);
		expect(phoneSearchKeys('112')).toEqual(['112']);
		expect(phoneSearchKeys(undefined)).toEqual([]);
		expect(phoneSearchKeys('--')).toEqual([]);
	});

	it('read a query as a phone only when it is one', () => {
		expect(phoneQuery('+34 690 12')).toBe('3469012');
		expect(phoneQuery('0034 690')).toBe('34690');
		expect(phoneQuery('690-12-34-56')).toBe('690123456');
		expect(phoneQuery('(91) 123')).toBe('91123');
		expect(phoneQuery('12')).toBeUndefined();
		expect(phoneQuery('calle 12')).toBeUndefined();
		expect(phoneQuery('C00012')).toBeUndefined();
		expect(phoneDigits('+0034')).toBe('0034');
	});
});
