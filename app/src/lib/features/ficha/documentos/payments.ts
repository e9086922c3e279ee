import type { Payment, WalletEntry } from '@enlace/shared';

/**
 * A document's payments, oldest first. Wallet payments made before payments were records (a
 * `walletEntry` with `documentId` and no payment of the same id) are shown as what they are, a
 * payment with the Monedero, so the list holds every payment whatever its age.
 */
export function paymentsOf(
	documentId: string,
	payments: readonly Payment[],
	wallet: readonly WalletEntry[]
): Payment[] {
	const own = payments.filter((p) => p.documentId === documentId);
	const ids = new Set(own.map((p) => p.id));
	const legacy: Payment[] = wallet
		.filter((e) => e.documentId === documentId && !ids.has(e.id))
		.map((e) => ({
			id: e.id,
			customerId: e.customerId,
			documentId,
			method: 'monedero',
			amountCents: -e.amountCents,
			date: e.date,
			walletEntryId: e.id,
			...(e.userName ? { userName: e.userName } : {}),
			...(e.createdAt ? { createdAt: e.createdAt } : {})
		}));
	return [...own, ...legacy].sort(
		(a, b) => a.date.localeCompare(b.date) || (a.createdAt ?? '').localeCompare(b.createdAt ?? '')
	);
}
