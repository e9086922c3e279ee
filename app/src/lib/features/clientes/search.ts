import {
	phoneQuery,
	phoneSearchKeys,
	type Address,
	type Customer,
	type CustomFieldValue
} from '@enlace/shared';

/** What the list shows and searches, one per customer, kept in memory. */
export type CustomerHit = {
	id: string;
	code: string;
	name: string;
	taxId: string;
	phone: string;
	email: string;
	town: string;
	stateId?: string;
	typeId?: string;
	/** Lower-case, accent-free text of every searchable field. */
	haystack: string;
};

/** Fold case and accents so "jose" finds "José" and "avila" finds "Ávila". */
export const fold = (s: string) =>
	s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase();

export function toHit(c: Customer, towns: string[], extra: string[] = []): CustomerHit {
	const phone = c.phone || c.mobile || '';
	return {
		id: c.id,
		code: c.code,
		name: c.name,
		taxId: c.taxId,
		phone,
		email: c.email ?? '',
		town: towns[0] ?? '',
		stateId: c.stateId,
		typeId: c.typeId,
		// Phones are also indexed as bare digits, with and without Spain's 34, so "600 11 22"
		// matches "600112233" and "+34 600 11 22 33" matches "600 11 22 33" (and back).
		haystack: fold(
			[
				c.code,
				c.name,
				c.tradeName,
				c.taxId,
				c.phone,
				c.phone2,
				c.mobile,
				c.email,
				...towns,
				...phoneSearchKeys(c.phone),
				...phoneSearchKeys(c.phone2),
				...phoneSearchKeys(c.mobile),
				...extra
			]
				.filter(Boolean)
				.join('\u0001')
		)
	};
}

export type SearchQuery = { text: string; stateId?: string; typeId?: string; limit?: number };

/**
 * Every word of the query must appear somewhere in the customer. A linear scan over precomputed
 * strings: 50,000 customers take a few milliseconds, with no index to keep in step.
 */
export function searchHits(
	hits: CustomerHit[],
	q: SearchQuery
): { rows: CustomerHit[]; total: number } {
	const words = fold(q.text).split(/\s+/).filter(Boolean);
	// A query that is a phone number also matches as one run of digits ("+34 690 12" → "3469012").
	const phone = phoneQuery(q.text);
	const limit = q.limit ?? 100;
	const rows: CustomerHit[] = [];
	let total = 0;
	for (const h of hits) {
		if (q.stateId && h.stateId !== q.stateId) continue;
		if (q.typeId && h.typeId !== q.typeId) continue;
		let ok = true;
		for (const w of words) {
			if (!h.haystack.includes(w)) {
				ok = false;
				break;
			}
		}
		if (!ok && phone) ok = h.haystack.includes(phone);
		if (!ok) continue;
		total++;
		if (rows.length < limit) rows.push(h);
	}
	return { rows, total };
}

/**
 * The searchable text of custom field values (Otros), by customer. Yes/no values are left out:
 * "sí" would match half the customers and find nobody in particular.
 */
export function customValueTexts(
	values: Pick<CustomFieldValue, 'customerId' | 'value'>[]
): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const v of values) {
		if (typeof v.value === 'boolean') continue;
		const list = out.get(v.customerId);
		if (list) list.push(String(v.value));
		else out.set(v.customerId, [String(v.value)]);
	}
	return out;
}

export function buildHits(
	customers: Customer[],
	addresses: Address[],
	customValues: Pick<CustomFieldValue, 'customerId' | 'value'>[] = []
): CustomerHit[] {
	const towns = new Map<string, string[]>();
	for (const a of addresses) {
		if (!a.town) continue;
		const list = towns.get(a.customerId);
		// The fiscal address's town first: it is the one the list shows.
		if (!list) towns.set(a.customerId, [a.town]);
		else if (a.label === 'fiscal') list.unshift(a.town);
		else list.push(a.town);
	}
	const extra = customValueTexts(customValues);
	return customers
		.map((c) => toHit(c, towns.get(c.id) ?? [], extra.get(c.id)))
		.sort((a, b) => a.name.localeCompare(b.name, 'es'));
}
