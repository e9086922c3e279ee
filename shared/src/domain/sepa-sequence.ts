// Which sequence type (FRST/RCUR/OOFF/FNAL) the next collection of a SEPA mandate carries.
// Pure; docs/sepa-and-wallet.md explains the rules and where they come from.

import type { MandateType } from '../schemas/finance';
import type { SequenceType } from './sepa-pain008';
import { addMonthsClamped } from './renewals';

/** What became of a collection already presented under the mandate. */
export type CollectionOutcome =
	/** In a remittance sent to the bank, not yet settled. */
	| 'sent'
	/** Settled (charged to the debtor). */
	| 'collected'
	/** Rejected before settlement or returned by the debtor's bank ("devolución"). */
	| 'returned';

export type MandateCollection = {
	/** YYYY-MM-DD collection date. */
	date: string;
	sequenceType: SequenceType;
	outcome: CollectionOutcome;
};

export type MandateUse = {
	/** Recurrent ("recurrente") or one-off ("pago único"), as on the payment method. */
	kind: MandateType;
	/** YYYY-MM-DD. */
	signedOn: string;
	/** Every collection presented under the mandate, any order. */
	collections: readonly MandateCollection[];
	/** YYYY-MM-DD of the collection being prepared. */
	collectionDate: string;
	/** This collection is the mandate's last one (the contract ends): FNAL. */
	last?: boolean;
	/**
	 * Migrated from the old Cuaderno 19 (signature date 2009-10-31 by convention): such mandates
	 * went on with RCUR from the start.
	 */
	migratedQ19?: boolean;
};

export type SequenceResult = { ok: true; value: SequenceType } | { ok: false; message: string };

/** A mandate with no collection for 36 months lapses (EPC rulebook). */
export const MANDATE_LAPSE_MONTHS = 36;

/**
 * The sequence type of the next collection, or why the mandate cannot be used:
 * - one-off mandate: OOFF, once; after one presented (not returned) it is spent;
 * - recurrent: FRST while no collection has gone through — a returned or rejected FRST leaves the
 *   mandate unused, so the next one is FRST again —, RCUR afterwards, FNAL when `last`;
 *   nothing after a FNAL;
 * - a mandate with no collection for 36 months (from the last one presented, or from its
 *   signature when never used) has lapsed: a new mandate must be signed.
 */
export function nextSequenceType(m: MandateUse): SequenceResult {
	if (m.collectionDate < m.signedOn) {
		return { ok: false, message: 'La fecha de cobro es anterior a la firma del mandato' };
	}
	const used = m.collections
		.filter((c) => c.outcome !== 'returned')
		.sort((a, b) => a.date.localeCompare(b.date));
	const lastUsed = used.at(-1);
	const since = lastUsed?.date ?? m.signedOn;
	if (addMonthsClamped(since, MANDATE_LAPSE_MONTHS) < m.collectionDate) {
		return {
			ok: false,
			message: `El mandato ha caducado: ${MANDATE_LAPSE_MONTHS} meses sin adeudos desde el ${since}; hay que firmar uno nuevo`
		};
	}
	if (m.kind === 'oneOff') {
		if (lastUsed) return { ok: false, message: 'El mandato de pago único ya se ha usado' };
		return { ok: true, value: 'OOFF' };
	}
	if (used.some((c) => c.sequenceType === 'FNAL')) {
		return { ok: false, message: 'El mandato ya tuvo su último adeudo (FNAL)' };
	}
	if (!lastUsed && !m.migratedQ19) return { ok: true, value: 'FRST' };
	return { ok: true, value: m.last ? 'FNAL' : 'RCUR' };
}
