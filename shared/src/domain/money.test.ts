import { describe, expect, it } from 'vitest';
import {
	centsFromEuros,
	formatCentsInput,
	formatDecimal,
	formatDecimalInput,
	formatEuros,
	formatPercent,
	formValue,
	parseDecimal,
	parseEuros,
	parseInteger,
	parsePercent,
	percentOfCents,
	roundHalfAwayFromZero,
	type NumberParse
} from './money';
import { accepted, refusedNumber } from './result-fixtures';

const NBSP = '\u00a0';
const value = (r: NumberParse) => (r.ok ? r.value : `error: ${r.error}`);

/** A small seeded generator, so a failing property names a case that can be replayed. */
function random(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

describe('rounding: half away from zero', () => {
	it.each([
		[0.5, 0, 1],
		[1.5, 0, 2],
		[2.5, 0, 3],
		[-0.5, 0, -1],
		[-2.5, 0, -3],
		[2.4999, 0, 2],
		[1.005, 2, 1.01],
		[-1.005, 2, -1.01],
		[0.125, 2, 0.13],
		[1.2345, 3, 1.235],
		[-0.0001, 2, 0]
	])('%d to %d places → %d', (n, places, expected) =>
		expect(roundHalfAwayFromZero(n, places)).toBe(expected)
	);

	it('never gives −0', () => expect(Object.is(roundHalfAwayFromZero(-0.4), 0)).toBe(true));

	it('turns computed euros and percentages into whole cents', () => {
		expect(centsFromEuros(1.005)).toBe(101);
		expect(centsFromEuros(29.9)).toBe(2990);
		expect(centsFromEuros(-0.125)).toBe(-13);
		expect(percentOfCents(50, 21)).toBe(11); // 10,5 céntimos
		expect(percentOfCents(-50, 21)).toBe(-11);
		expect(percentOfCents(2990, 7.5)).toBe(224); // 224,25
		expect(percentOfCents(1000, 33.33)).toBe(333);
	});
});

describe('formatting for reading', () => {
	it('writes euros with thousands dots, a decimal comma and a no-break space', () => {
		expect(formatEuros(123_456)).toBe(`1.234,56${NBSP}€`);
		expect(formatEuros(7)).toBe(`0,07${NBSP}€`);
		expect(formatEuros(0)).toBe(`0,00${NBSP}€`);
		expect(formatEuros(100_000_000)).toBe(`1.000.000,00${NBSP}€`);
		expect(formatEuros(-123_456)).toBe(`-1.234,56${NBSP}€`);
		// Four-digit amounts are grouped too, unlike Intl's es-ES.
		expect(formatEuros(150_050)).toBe(`1.500,50${NBSP}€`);
	});

	it('writes nothing for no value', () => {
		for (const f of [formatEuros, formatCentsInput, formatDecimal, formatPercent]) {
			expect(f(null)).toBe('');
			expect(f(undefined)).toBe('');
			expect(f(Number.NaN)).toBe('');
			expect(f(Number.POSITIVE_INFINITY)).toBe('');
		}
		expect(formatDecimalInput(undefined)).toBe('');
	});

	it('rounds fractions of a cent by the rule', () => {
		expect(formatEuros(0.5)).toBe(`0,01${NBSP}€`);
		expect(formatEuros(-0.5)).toBe(`-0,01${NBSP}€`);
		expect(formatEuros(-0.4)).toBe(`0,00${NBSP}€`);
	});

	it('writes decimals and percentages without trailing zeros', () => {
		expect(formatDecimal(1234.5)).toBe('1.234,5');
		expect(formatDecimal(1234)).toBe('1.234');
		expect(formatDecimal(-0.000_000_4)).toBe('0');
		expect(formatDecimal(2.0000005)).toBe('2,000001');
		expect(formatDecimal(1.25, 1)).toBe('1,3');
		expect(formatPercent(33.5)).toBe(`33,5${NBSP}%`);
		expect(formatPercent(100)).toBe(`100${NBSP}%`);
		expect(formatPercent(33.333)).toBe(`33,33${NBSP}%`);
		expect(formatPercent(1234.5)).toBe(`1.234,5${NBSP}%`);
	});

	it('writes the editable text of inputs without grouping or symbols', () => {
		expect(formatCentsInput(150_050)).toBe('1500,50');
		expect(formatCentsInput(7)).toBe('0,07');
		expect(formatCentsInput(-250)).toBe('-2,50');
		expect(formatDecimalInput(1234.5)).toBe('1234,5');
		expect(formatDecimalInput(7)).toBe('7');
		expect(formatDecimalInput(0.1 + 0.2)).toBe('0,3');
	});
});

describe('parsing euros as a Spanish user types them', () => {
	it.each([
		['1234,5', 123_450],
		['1.234,50', 123_450],
		['1.234,5 €', 123_450],
		['1234.50', 123_450],
		['1234.5', 123_450],
		['29,90', 2990],
		['29.9', 2990],
		['29', 2900],
		['1.234', 123_400],
		['3.000', 300_000],
		['1.234.567', 123_456_700],
		[' 3 000 € ', 300_000],
		[`1${NBSP}234,56${NBSP}€`, 123_456],
		['€12', 1200],
		['0,05', 5],
		['0,29', 29],
		[',5', 50],
		['0.5', 50],
		['-0', 0],
		['', null],
		['   ', null]
	])('%j → %j', (text, cents) => expect(value(parseEuros(text))).toBe(cents));

	it('takes null and undefined as empty', () => {
		expect(parseEuros(null)).toEqual(accepted(null));
		expect(parseEuros(undefined)).toEqual(accepted(null));
	});

	it.each([
		['abc', 'Escriba un importe en euros, por ejemplo 1.234,56'],
		['€', 'Escriba un importe en euros, por ejemplo 1.234,56'],
		['1,2,3', 'Escriba un importe en euros, por ejemplo 1.234,56'],
		['1.2.3', 'Escriba un importe en euros, por ejemplo 1.234,56'],
		['12.34,5', 'Escriba un importe en euros, por ejemplo 1.234,56'],
		['12,', 'Escriba un importe en euros, por ejemplo 1.234,56'],
		['1e3', 'Escriba un importe en euros, por ejemplo 1.234,56'],
		['12 %', 'Escriba un importe en euros, por ejemplo 1.234,56'],
		['29,999', 'Como mucho dos decimales'],
		['1,234', 'Como mucho dos decimales'],
		['0.500', 'Como mucho dos decimales'],
		['-3', 'El importe no puede ser negativo'],
		['−3,50', 'El importe no puede ser negativo'],
		['99999999999999999999', 'Importe demasiado grande']
	])('refuses %j: %s', (text, error) => expect(parseEuros(text)).toEqual(refusedNumber(error)));

	it('takes negatives when asked', () => {
		expect(value(parseEuros('-1.234,56', { negative: true }))).toBe(-123_456);
		expect(value(parseEuros('−3', { negative: true }))).toBe(-300);
	});

	it('never goes through a floating point product', () => {
		// 0.29 * 100 === 28.999999999999996 and 1.15 * 100 === 114.99999999999999.
		expect(value(parseEuros('0,29'))).toBe(29);
		expect(value(parseEuros('1,15'))).toBe(115);
		expect(value(parseEuros('4.35'))).toBe(435);
	});
});

describe('parsing percentages, decimals and whole numbers', () => {
	it.each([
		['12,5 %', 12.5],
		['12,5%', 12.5],
		['33,33', 33.33],
		['60 %', 60],
		['7.5', 7.5],
		['% 10', 10],
		['', null]
	])('percent %j → %j', (text, n) => expect(value(parsePercent(text))).toBe(n));

	it('refuses what is not a percentage', () => {
		expect(parsePercent('12,345')).toEqual(refusedNumber('Como mucho dos decimales'));
		expect(parsePercent('-5')).toEqual(refusedNumber('El porcentaje no puede ser negativo'));
		expect(parsePercent('doce')).toEqual(refusedNumber('Escriba un porcentaje, por ejemplo 12,5'));
		expect(parsePercent('12 €').ok).toBe(false);
		expect(value(parsePercent('12,345', { maxDecimals: 3 }))).toBe(12.345);
	});

	it('reads decimals, negatives included', () => {
		expect(value(parseDecimal('1.234,5'))).toBe(1234.5);
		expect(value(parseDecimal('-1.234,5'))).toBe(-1234.5);
		expect(value(parseDecimal('7.5'))).toBe(7.5);
		expect(value(parseDecimal('0,000001'))).toBe(0.000001);
		expect(parseDecimal('0,0000001')).toEqual(refusedNumber('Como mucho 6 decimales'));
		expect(parseDecimal('-2', { negative: false })).toEqual(
			refusedNumber('El número no puede ser negativo')
		);
		expect(parseDecimal('12 %').ok).toBe(false);
		expect(parseDecimal('siete')).toEqual(refusedNumber('Escriba un número, por ejemplo 1.234,5'));
	});

	it('reads whole numbers with thousands dots', () => {
		expect(value(parseInteger('12'))).toBe(12);
		expect(value(parseInteger('1.200'))).toBe(1200);
		expect(value(parseInteger('2026'))).toBe(2026);
		expect(parseInteger('12,5')).toEqual(refusedNumber('Escriba un número entero, sin decimales'));
		expect(parseInteger('1.5')).toEqual(refusedNumber('Escriba un número entero, sin decimales'));
		expect(parseInteger('-1').ok).toBe(false);
		expect(value(parseInteger('-1', { negative: true }))).toBe(-1);
		expect(parseInteger('99999999999999999999')).toEqual(refusedNumber('Número demasiado grande'));
	});

	it('hands forms undefined for empty and NaN for wrong', () => {
		expect(formValue(parseEuros(''))).toBeUndefined();
		expect(formValue(parseEuros('x'))).toBeNaN();
		expect(formValue(parseEuros('1,5'))).toBe(150);
		expect(formValue(parsePercent('0'))).toBe(0);
	});
});

describe('round trips', () => {
	it('any amount in cents comes back from what is shown and from the input text', () => {
		const next = random(7);
		const samples = [0, 1, 99, 100, 999_99, 1000_00, 123_456, 1e15, Number.MAX_SAFE_INTEGER];
		for (let i = 0; i < 2000; i++) samples.push(Math.floor(next() * 10 ** Math.ceil(next() * 15)));
		for (const cents of samples) {
			expect(value(parseEuros(formatEuros(cents))), `${cents}`).toBe(cents);
			expect(value(parseEuros(formatCentsInput(cents))), `${cents}`).toBe(cents);
			expect(value(parseEuros(formatEuros(-cents), { negative: true })), `-${cents}`).toBe(
				cents === 0 ? 0 : -cents
			);
		}
	});

	it('any decimal with up to six places comes back', () => {
		const next = random(11);
		for (let i = 0; i < 2000; i++) {
			const places = Math.floor(next() * 7);
			const n = roundHalfAwayFromZero((next() - 0.5) * 10 ** Math.ceil(next() * 8), places);
			expect(value(parseDecimal(formatDecimal(n))), `${n}`).toBe(n);
			expect(value(parseDecimal(formatDecimalInput(n))), `${n}`).toBe(n);
		}
	});

	it('any percentage with two places comes back', () => {
		const next = random(13);
		for (let i = 0; i < 2000; i++) {
			const p = roundHalfAwayFromZero(next() * 100, 2);
			expect(value(parsePercent(formatPercent(p))), `${p}`).toBe(p);
			expect(value(parsePercent(formatDecimalInput(p))), `${p}`).toBe(p);
		}
	});

	it('typed text comes back as the same text once formatted', () => {
		const next = random(17);
		for (let i = 0; i < 2000; i++) {
			const whole = String(Math.floor(next() * 1e9));
			const frac = String(Math.floor(next() * 100)).padStart(2, '0');
			const typed = `${whole},${frac}`;
			const parsed = parseEuros(typed);
			expect(formatCentsInput(parsed.ok ? parsed.value : null), typed).toBe(typed);
		}
	});
});
