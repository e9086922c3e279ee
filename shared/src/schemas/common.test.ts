import { describe, expect, it } from 'vitest';
import { IsoDate } from './common';
import { fieldLabel } from './entities';

describe('IsoDate', () => {
	it('accepts real dates and refuses days that do not exist', () => {
		expect(IsoDate.safeParse('2024-02-29').success).toBe(true);
		expect(IsoDate.safeParse('2026-02-29').success).toBe(false);
		expect(IsoDate.safeParse('2026-02-30').success).toBe(false);
		expect(IsoDate.safeParse('2026-13-01').success).toBe(false);
		expect(IsoDate.safeParse('27/11/2026').success).toBe(false);
	});
});

describe('fieldLabel', () => {
	it('prefers the entity’s own meaning of a field name', () => {
		expect(fieldLabel('customer', 'typeId')).toBe('Tipo de cliente');
		expect(fieldLabel('paymentMethod', 'typeId')).toBe('Forma de pago');
		expect(fieldLabel('opportunity', 'typeId')).toBe('Tipo de oportunidad');
		expect(fieldLabel(undefined, 'phone')).toBe('Teléfono');
		expect(fieldLabel('customer', 'unknownField')).toBe('unknownField');
	});
});
