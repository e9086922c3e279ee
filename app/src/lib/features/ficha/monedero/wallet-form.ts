import { formatEuros, parseEuros, WALLET_MAX_CENTS, type WalletEntry } from '@enlace/shared';
import type { FormErrors } from '$lib/forms';
import { t, todayIso } from '$lib/i18n/index.svelte';

export const WALLET_KEYS = ['concept', 'date', 'amountCents'] as const;

/** The inputs of a new movement: money in or out, and the amount as typed euros. */
export type WalletDraft = {
	concept: string;
	date: string;
	direction: 'in' | 'out';
	amountCents: string;
};

export const walletDraft = (): WalletDraft => ({
	concept: '',
	date: todayIso(),
	direction: 'in',
	amountCents: ''
});

/**
 * Inputs → a movement, with every wrong field at once. `balance` is what this device knows: a
 * spend above it is refused here; one that only looked covered (money spent meanwhile on another
 * device) the server refuses when it arrives.
 */
export function walletRow(
	d: WalletDraft,
	balance: number
): { row: Partial<WalletEntry> } | { errors: FormErrors } {
	const errors: FormErrors = {};
	const concept = d.concept.trim();
	if (!concept) errors.concept = t('Indique el concepto');
	if (!d.date) errors.date = t('Indique la fecha');
	const parsed = parseEuros(d.amountCents);
	const cents = parsed.ok ? parsed.value : null;
	if (!parsed.ok) errors.amountCents = parsed.error;
	else if (!cents) errors.amountCents = t('Indique un importe mayor que 0,00 €');
	else if (cents > WALLET_MAX_CENTS) errors.amountCents = t('Importe demasiado grande');
	else if (d.direction === 'out' && cents > balance)
		errors.amountCents = t('Saldo insuficiente: el monedero tiene {balance}', {
			balance: formatEuros(balance)
		});
	if (Object.keys(errors).length) return { errors };
	return {
		row: { concept, date: d.date, amountCents: d.direction === 'out' ? -cents! : cents! }
	};
}
