import {
	formatCentsInput,
	type RenewalAssignment,
	renewalLine,
	type Document,
	type DocumentKind,
	type RenewalPackage
} from '@enlace/shared';
import { centsValue, integerValue, trimmedValues } from '$lib/forms';

/** The form's fields, as typed: the price in euros, the quantity as text. */
export type RenewalDraft = {
	packageId: string;
	startDate: string;
	price: string;
	quantity: string;
	nextRenewal: string;
	notes: string;
};

export const RENEWAL_KEYS = [
	'packageId',
	'startDate',
	'priceCents',
	'quantity',
	'nextRenewal',
	'notes'
] as const;

export function draftOf(row?: RenewalAssignment): RenewalDraft {
	return {
		packageId: row?.packageId ?? '',
		startDate: row?.startDate ?? '',
		price: formatCentsInput(row?.priceCents),
		quantity: String(row?.quantity ?? 1),
		nextRenewal: row?.nextRenewal ?? '',
		notes: row?.notes ?? ''
	};
}

/** The draft as row fields ('' → absent except the required ones; numbers parsed, NaN when unreadable). */
export function valuesOf({ price, quantity, ...rest }: RenewalDraft) {
	return trimmedValues(
		{ ...rest, priceCents: centsValue(price), quantity: integerValue(quantity) },
		['packageId', 'startDate', 'nextRenewal', 'priceCents']
	);
}

/**
 * A package picked in the form: its price proposed when none is typed, and the next renewal the
 * start date when none is set (a package renews first on the day it starts).
 */
export function withPackage(d: RenewalDraft, p: RenewalPackage | undefined): RenewalDraft {
	return {
		...d,
		packageId: p?.id ?? '',
		price: d.price.trim() || !p ? d.price : formatCentsInput(p.priceCents)
	};
}

/** "Generar documento": a draft of `kind` with the line of the assignment's next renewal. */
export function renewalDraftDocument(
	a: RenewalAssignment,
	p: RenewalPackage,
	kind: Extract<DocumentKind, 'presupuesto' | 'albaran' | 'factura'>,
	id: string,
	today: string
): Document {
	return {
		id,
		customerId: a.customerId,
		kind,
		state: 'borrador',
		date: today,
		lines: [renewalLine(a, p, a.nextRenewal)]
	};
}
