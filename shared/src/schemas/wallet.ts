import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, requiredText } from './common';

/** The largest movement the wallet takes, either way (a typo guard, far below 2^53). */
export const WALLET_MAX_CENTS = 100_000_000;

/**
 * Monedero: one movement of a customer's wallet (a ledger). A deposit is positive, a spend
 * negative; the balance is the sum and the server never lets it go below zero. Movements are
 * never edited or deleted: a mistake is put right with a movement the other way.
 */
export const WalletEntry = z.object({
	id: Id,
	customerId: Id,
	concept: requiredText(200, 'Indique el concepto'),
	date: IsoDate,
	amountCents: z
		.number('Importe no válido')
		.int('El importe va en céntimos')
		.refine((v) => v !== 0, 'El importe no puede ser 0,00 €')
		.refine((v) => Math.abs(v) <= WALLET_MAX_CENTS, 'Importe demasiado grande'),
	/** The document this movement paid (document.payWithWallet writes it; docs/money.md). */
	documentId: Id.optional(),
	/**
	 * Who recorded it: set by the mutator from the session, whatever the device sent (Historial
	 * keeps the user's id with the line of the create).
	 */
	userName: z.string().max(200).optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type WalletEntry = z.infer<typeof WalletEntry>;

export const WALLET_FIELD_LABELS: Record<string, string> = {
	concept: 'Concepto',
	date: 'Fecha',
	amountCents: 'Importe',
	documentId: 'Documento pagado',
	userName: 'Registrado por'
};

/** The balance of a customer's movements, in cents. */
export const walletBalance = (entries: readonly Pick<WalletEntry, 'amountCents'>[]): number =>
	entries.reduce((sum, e) => sum + e.amountCents, 0);
