import { formatEuros } from '../domain/money';
import { AppError } from '../protocol/errors';
import { WalletEntry, walletBalance, type WalletEntry as WalletEntryRow } from '../schemas/wallet';
import { crudMutators } from './crud';
import { OFFICE_ROLES, type Mutator, type MutatorTx } from './types';

/**
 * Refused when a spend would take the balance below zero. The balance is read through
 * `findBy`, so on the server the batch re-checks the customer's movements atomically with the
 * write: two devices (or two server instances) spending the same money cannot both pass.
 */
export function insufficientBalance(balance: number, spend: number) {
	return new AppError(
		'insufficient-balance',
		`Saldo insuficiente en el monedero: hay ${formatEuros(balance)} y el movimiento resta ${formatEuros(spend)}. El saldo no puede quedar por debajo de ${formatEuros(0)}`,
		'amountCents',
		409
	);
}

/** Refuses `row` (a spend) when the customer's other movements do not cover it. */
export async function keepBalance(tx: MutatorTx, row: WalletEntryRow) {
	if (row.amountCents >= 0) return;
	const others = (await tx.findBy('walletEntry', 'customerId', row.customerId)).filter(
		(e) => e.id !== row.id
	);
	const balance = walletBalance(others);
	if (balance + row.amountCents < 0) throw insufficientBalance(balance, -row.amountCents);
}

/**
 * `walletEntry.create` only: the wallet is a ledger, never edited. Office and admin record
 * movements (bank data and wallets are `finance` rows, never on a technician's device).
 */
export const walletMutators: Mutator[] = crudMutators({
	entity: 'walletEntry',
	noun: 'El movimiento del monedero',
	object: WalletEntry,
	roles: OFFICE_ROLES,
	parent: 'customer',
	async check(tx, row) {
		// A document's payment goes through document.payWithWallet, which also marks it paid.
		if (row.documentId) {
			throw new AppError(
				'invalid-field',
				'Un pago de documento se hace desde el documento (Pagar con monedero)',
				'documentId'
			);
		}
		await keepBalance(tx, row);
	},
	// Who recorded it comes from the session, not from what the device sent.
	derive: async (tx, row) => ({ ...row, userName: tx.ctx.userName })
}).filter((m) => m.name === 'walletEntry.create');
