import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer } from '@enlace/shared';
import { buildHits, searchHaystacks, type CustomerHit } from './search';
import {
	buildGrams,
	gramCandidates,
	gramPlan,
	searchCandidates,
	type GramBucket
} from './search-grams';

/** The boot script's way: the plan's buckets, its candidates, and only their haystacks searched. */
function viaGrams(buckets: GramBucket[], haystacks: string[], text: string, limit = 8) {
	const plan = gramPlan(text);
	if (!plan) return undefined;
	// Only the plan's buckets are read.
	const read = new Map(plan.buckets.map((b) => [b, structuredClone(buckets[b])]));
	const candidates = gramCandidates(plan, (b) => read.get(b)!);
	return { candidates, ...searchCandidates(candidates, (at) => haystacks[at], text, limit) };
}

const customer = (i: number): Customer =>
	({
		id: `c${i}`,
		code: `C${String(i + 1).padStart(5, '0')}`,
		name: `${['Ana', 'Luis', 'Marta', 'José'][i % 4]} ${['García', 'Pérez', 'Muñoz'][i % 3]} ${i}`,
		tradeName: '',
		taxIdType: 'nif',
		taxId: `${String(10000000 + i * 7)}Z`,
		phone: `6${String(10000000 + i * 13).padStart(8, '0')}`,
		mobile: '',
		phone2: '',
		email: `cliente${i}@example.es`,
		stateId: 'activo',
		typeId: 'residencial'
	}) as never;

/** Three characters in a row a trigram can be made of (none a space or a control character). */
function narrowable(word: string) {
	let run = 0;
	for (const c of word) if ((run = c > ' ' ? run + 1 : 0) >= 3) return true;
	return false;
}

describe('trigram postings of the saved haystacks', () => {
	it('answer exactly as a scan of every haystack: same rows, order and total', () => {
		// Few letters, digits, spaces and separators: many shared trigrams and collisions.
		const char = fc.constantFrom(
			'a',
			'b',
			'c',
			'ñ',
			'1',
			'2',
			'3',
			'4',
			'.',
			' ',
			'\u0001',
			'\u0002'
		);
		const haystack = fc
			.array(char, { maxLength: 40 })
			.map((cs) => '\u0001' + cs.join('') + '\u0001');
		fc.assert(
			fc.property(
				fc.array(haystack, { minLength: 1, maxLength: 60 }),
				fc.nat(),
				fc.nat(),
				fc.nat(),
				fc.constantFrom('', ' ', '+34 ', '(', 'x '),
				fc.constantFrom('', ' ', ' 12', 'x'),
				(hays, pick, from, len, before, after) => {
					// A piece of one haystack (found at least there) with something around it.
					const h = hays[pick % hays.length];
					const start = from % h.length;
					const text = (before + h.slice(start, start + 3 + (len % 8)) + after)
						.replaceAll('\u0001', ' ')
						.replaceAll('\u0002', ' ');
					const buckets = buildGrams(hays.length, (i) => hays[i]);
					const got = viaGrams(buckets, hays, text);
					const all = searchHaystacks(hays.length, (i) => hays[i], text, 8);
					if (!got) {
						// Not narrowed: only when no word of the query has three characters that a
						// trigram can be made of.
						expect(text.split(/\s+/).some(narrowable)).toBe(false);
						return;
					}
					expect({ rows: got.rows, total: got.total }).toEqual(all);
				}
			),
			// Each build walks the 2^20 trigram ids: some 15 ms.
			{ numRuns: 200 }
		);
	}, 30_000);

	it('narrow a PPPoE user, a NIF, a phone or a full name to a few of thousands of customers', () => {
		const hits: CustomerHit[] = buildHits(
			Array.from({ length: 3000 }, (_, i) => customer(i)),
			[],
			[],
			{
				pppoeAccount: Array.from({ length: 600 }, (_, k) => ({
					id: `p${k}`,
					customerId: `c${k * 5}`,
					username: `cli${String(k * 5).padStart(6, '0')}.fibra`,
					staticIp: `10.0.${(k * 5) >> 8}.${(k * 5) & 255}`
				})) as never
			}
		);
		const hays = hits.map((h) => h.haystack);
		const buckets = buildGrams(hays.length, (i) => hays[i]);
		const probe = (text: string) => {
			const got = viaGrams(buckets, hays, text)!;
			expect(got.rows.map((at) => hits[at].id)).toEqual(
				searchHaystacks(hays.length, (i) => hays[i], text, 8).rows.map((at) => hits[at].id)
			);
			return got;
		};
		const user = probe('cli001235.fibra');
		expect(user.rows.map((at) => hits[at].id)).toEqual(['c1235']);
		expect(user.candidates.length).toBeLessThan(10);
		const nif = probe(customer(2021).taxId.toLowerCase());
		expect(nif.rows.map((at) => hits[at].id)).toEqual(['c2021']);
		expect(nif.candidates.length).toBeLessThan(10);
		// Spaced as typed, with Spain's prefix: the digits narrow it.
		const phone = probe('+34 610 026 273');
		expect(phone.rows.map((at) => hits[at].id)).toEqual(['c2021']);
		expect(phone.candidates.length).toBeLessThan(10);
		const name = probe('luis muñoz 2021');
		expect(name.rows.map((at) => hits[at].id)).toEqual(['c2021']);
		expect(name.candidates.length).toBeLessThan(20);
		// A common surname narrows nothing much, but answers the same as the scan.
		expect(probe('garcía').total).toBe(1000);
	});

	it('cannot narrow a query without a word of three characters', () => {
		expect(gramPlan('')).toBeUndefined();
		expect(gramPlan('an ga 6')).toBeUndefined();
		expect(gramPlan('an gar')?.words).toHaveLength(1);
	});
});
