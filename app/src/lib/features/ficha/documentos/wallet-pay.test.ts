import { describe, expect, it, vi } from 'vitest';
import { walletPayAmount, walletPayDefault } from './wallet-pay';

// Its messages go through t(), whose language rune plain vitest cannot run: Spanish here.
vi.mock('$lib/i18n/index.svelte', () => import('../../../i18n/plain'));

describe('Pagar con monedero (the form)', () => {
	it('proposes the outstanding amount, up to the balance', () => {
		expect(walletPayDefault(4175, 10_000)).toBe('41,75');
		expect(walletPayDefault(4175, 1500)).toBe('15,00');
		expect(walletPayDefault(4175, 0)).toBe('0,00');
	});
	it('refuses on the field: nothing, zero, text, above what is left, above the balance', () => {
		expect(walletPayAmount('20', 4175, 5000)).toEqual({ cents: 2000 });
		expect(walletPayAmount('', 4175, 5000)).toEqual({
			error: 'Indique un importe mayor que 0,00 €'
		});
		expect(walletPayAmount('0,00', 4175, 5000)).toEqual({
			error: 'Indique un importe mayor que 0,00 €'
		});
		expect('error' in walletPayAmount('abc', 4175, 5000)).toBe(true);
		expect(walletPayAmount('41,76', 4175, 5000)).toEqual({
			error: 'El importe supera lo pendiente del documento: quedan 41,75\u00a0€'
		});
		expect(walletPayAmount('30', 4175, 2500)).toEqual({
			error: 'Saldo insuficiente: el monedero tiene 25,00\u00a0€'
		});
	});
});
