import { formatCentsInput, formatEuros, parseEuros } from '@enlace/shared';
import { t } from '$lib/i18n/index.svelte';

/** "Pagar con monedero" proposes what can be paid: the outstanding amount, up to the balance. */
export const walletPayDefault = (outstanding: number, balance: number) =>
	formatCentsInput(Math.max(0, Math.min(outstanding, balance)));

/**
 * The typed amount → cents, or why not (on the field, before anything is queued). The balance is
 * the one this device knows; money spent meanwhile on another device the server refuses.
 */
export function walletPayAmount(
	text: string,
	outstanding: number,
	balance: number
): { cents: number } | { error: string } {
	const parsed = parseEuros(text);
	if (!parsed.ok) return { error: parsed.error };
	const cents = parsed.value;
	if (!cents || cents <= 0) return { error: t('Indique un importe mayor que 0,00 €') };
	if (cents > outstanding) {
		return {
			error: t('El importe supera lo pendiente del documento: quedan {amount}', {
				amount: formatEuros(outstanding)
			})
		};
	}
	if (cents > balance) {
		return {
			error: t('Saldo insuficiente: el monedero tiene {balance}', { balance: formatEuros(balance) })
		};
	}
	return { cents };
}
