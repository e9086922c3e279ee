import { phoneQuery } from '@enlace/shared/domain/phone';
import { fold, searchHaystacks } from './search';

/**
 * Trigram postings of the saved haystacks: which hits hold each three-character run. They let
 * the boot script answer a quick search without reading every haystack (5.7 MB for 50,000
 * customers, about half a second on a slowed phone just to read): a query word is in a haystack
 * only if each of its trigrams is, so the hits holding them all are the only ones to read, and
 * for a PPPoE user, a NIF, a phone or a surname they are a few of the 50,000.
 *
 * - A trigram is named by a hash (GRAM_ID_BITS bits), not stored: two trigrams sharing one only
 *   make a list longer. The postings find a superset of the matches, never fewer, and every
 *   candidate's haystack is read and searched as the full scan would (`searchCandidates`), so the
 *   answer, its order and its total are the full scan's.
 * - Only trigrams a query word can hold are listed: none with a space or a separator.
 * - Saved in GRAM_BUCKETS rows (by the id's low bits): a query reads one row per trigram, each a
 *   few kilobytes.
 * - A query with no word of three characters cannot be narrowed (`gramPlan` says so): it reads
 *   every haystack.
 */
export const GRAM_ID_BITS = 20;
export const GRAM_BUCKETS = 1024;
const BUCKET_MASK = GRAM_BUCKETS - 1;

/** One saved row of postings: its trigrams' ids, ascending, and their lists, delta-encoded. */
export type GramBucket = {
	ids: Uint32Array;
	/** Where each id's list ends in `postings`. */
	ends: Uint32Array;
	/** Each list's hit positions, ascending, as LEB128 gaps (position − previous − 1). */
	postings: Uint8Array;
};

export const gramBucketOf = (id: number) => id & BUCKET_MASK;

/** The id of a trigram (its three UTF-16 code units). */
function gramId(a: number, b: number, c: number): number {
	let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
	h ^= h >>> 15;
	h = Math.imul(h, 0x2c1b3c6d);
	h ^= h >>> 12;
	return h >>> (32 - GRAM_ID_BITS);
}

/** The ids of the trigrams of `s` a query word can hold, each once. */
function gramsOf(s: string): number[] {
	const ids = new Set<number>();
	for (let j = 2; j < s.length; j++) {
		const a = s.charCodeAt(j - 2);
		const b = s.charCodeAt(j - 1);
		const c = s.charCodeAt(j);
		if (a > 32 && b > 32 && c > 32) ids.add(gramId(a, b, c));
	}
	return [...ids];
}

/**
 * Calls `fn(id, i)` for every listed trigram of haystack `i`, each once per haystack: `seen` holds,
 * per id, the last haystack that named it.
 */
function eachGram(
	n: number,
	haystack: (i: number) => string,
	seen: Int32Array,
	fn: (id: number, i: number) => void
) {
	for (let i = 0; i < n; i++) {
		const h = haystack(i);
		let a = h.charCodeAt(0);
		let b = h.charCodeAt(1);
		for (let j = 2; j < h.length; j++) {
			const c = h.charCodeAt(j);
			if (a > 32 && b > 32 && c > 32) {
				const id = gramId(a, b, c);
				if (seen[id] !== i) {
					seen[id] = i;
					fn(id, i);
				}
			}
			a = b;
			b = c;
		}
	}
}

const varintBytes = (v: number) =>
	v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;

/** The postings of `n` haystacks (in the hits' order), in GRAM_BUCKETS rows. */
export function buildGrams(n: number, haystack: (i: number) => string): GramBucket[] {
	const slots = 1 << GRAM_ID_BITS;
	const seen = new Int32Array(slots).fill(-1);
	// Two passes over the haystacks: count each list, then fill them all in one array.
	const start = new Int32Array(slots + 1);
	eachGram(n, haystack, seen, (id) => start[id + 1]++);
	for (let id = 0; id < slots; id++) start[id + 1] += start[id];
	const at = start.slice(0, slots);
	const positions = new Int32Array(start[slots]);
	seen.fill(-1);
	eachGram(n, haystack, seen, (id, i) => (positions[at[id]++] = i));

	const gapsBytes = (id: number) => {
		let bytes = 0;
		let prev = -1;
		for (let k = start[id]; k < start[id + 1]; k++) {
			bytes += varintBytes(positions[k] - prev - 1);
			prev = positions[k];
		}
		return bytes;
	};
	const buckets: GramBucket[] = [];
	for (let b = 0; b < GRAM_BUCKETS; b++) {
		const ids: number[] = [];
		let bytes = 0;
		for (let id = b; id < slots; id += GRAM_BUCKETS) {
			if (start[id + 1] === start[id]) continue;
			ids.push(id);
			bytes += gapsBytes(id);
		}
		const postings = new Uint8Array(bytes);
		const ends = new Uint32Array(ids.length);
		let out = 0;
		ids.forEach((id, g) => {
			let prev = -1;
			for (let k = start[id]; k < start[id + 1]; k++) {
				let v = positions[k] - prev - 1;
				prev = positions[k];
				while (v >= 0x80) {
					postings[out++] = (v & 0x7f) | 0x80;
					v = Math.floor(v / 0x80);
				}
				postings[out++] = v;
			}
			ends[g] = out;
		});
		buckets.push({ ids: Uint32Array.from(ids), ends, postings });
	}
	return buckets;
}

/** Where trigram `id`'s list is in its bucket's postings (an empty range if it is not there). */
function listOf(bucket: GramBucket, id: number): { from: number; to: number } {
	const { ids, ends } = bucket;
	let lo = 0;
	let hi = ids.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (ids[mid] < id) lo = mid + 1;
		else hi = mid;
	}
	if (ids[lo] !== id) return { from: 0, to: 0 };
	return { from: lo ? ends[lo - 1] : 0, to: ends[lo] };
}

/** The hit positions of one list, decoded. */
function decode(postings: Uint8Array, from: number, to: number): number[] {
	const out: number[] = [];
	let prev = -1;
	let v = 0;
	let scale = 1;
	for (let k = from; k < to; k++) {
		const byte = postings[k];
		v += (byte & 0x7f) * scale;
		if (byte & 0x80) scale *= 0x80;
		else {
			prev += v + 1;
			out.push(prev);
			v = 0;
			scale = 1;
		}
	}
	return out;
}

/** What a query needs of the postings: each word's trigrams, and the phone digits' (if any). */
export type GramPlan = { words: number[][]; phone?: number[]; buckets: number[] };

/**
 * The trigrams narrowing `text`'s matches (see searchHaystacks: every word in the haystack, or
 * the digits of a phone number), and the buckets holding them; undefined when no word has three
 * characters, so nothing narrows them.
 */
export function gramPlan(text: string): GramPlan | undefined {
	const words = fold(text)
		.split(/\s+/)
		.filter(Boolean)
		.map(gramsOf)
		.filter((g) => g.length);
	if (!words.length) return undefined;
	const digits = phoneQuery(text);
	const phone = digits === undefined ? undefined : gramsOf(digits);
	const buckets = new Set([...words.flat(), ...(phone ?? [])].map(gramBucketOf));
	return { words, phone, buckets: [...buckets].sort((a, b) => a - b) };
}

/** The positions in both ascending lists. */
function intersect(a: number[], b: number[]): number[] {
	const out: number[] = [];
	let j = 0;
	for (const p of a) {
		while (j < b.length && b[j] < p) j++;
		if (j === b.length) break;
		if (b[j] === p) out.push(p);
	}
	return out;
}

/**
 * Few enough candidates to stop narrowing: reading their haystacks costs less than decoding
 * more lists (a common trigram's lists run to every customer).
 */
const FEW = 8;

/**
 * The hits holding every trigram of `grams`, or a few more: the shortest lists are decoded and
 * crossed first, and once FEW are left the rest are not decoded (the haystacks decide).
 */
function holdingAll(grams: number[], bucket: (b: number) => GramBucket): number[] {
	const lists = grams
		.map((id) => {
			const b = bucket(gramBucketOf(id));
			return { postings: b.postings, ...listOf(b, id) };
		})
		.sort((x, y) => x.to - x.from - (y.to - y.from));
	let out: number[] | undefined;
	for (const { postings, from, to } of lists) {
		if (out && out.length <= FEW) break;
		const list = decode(postings, from, to);
		out = out ? intersect(out, list) : list;
	}
	return out ?? [];
}

function union(a: number[], b: number[]): number[] {
	const out: number[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length || j < b.length) {
		if (j === b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
		else if (i === a.length || b[j] < a[i]) out.push(b[j++]);
		else {
			out.push(a[i++]);
			j++;
		}
	}
	return out;
}

/**
 * The hits that may match the plan's query, ascending: those holding every trigram of every
 * word, and (for a phone number) those holding every trigram of its digits; a few more at most
 * (see holdingAll), never fewer.
 */
export function gramCandidates(plan: GramPlan, bucket: (b: number) => GramBucket): number[] {
	// Every word must be there: their trigrams together, one set to narrow.
	const words = holdingAll([...new Set(plan.words.flat())], bucket);
	return plan.phone ? union(words, holdingAll(plan.phone, bucket)) : words;
}

/**
 * searchHaystacks over the candidates alone (ascending positions): the same positions in the
 * same order, and the same total, as over every haystack, since no other hit can match.
 */
export function searchCandidates(
	candidates: number[],
	haystack: (at: number) => string,
	text: string,
	limit?: number
): { rows: number[]; total: number } {
	const found = searchHaystacks(candidates.length, (i) => haystack(candidates[i]), text, limit);
	return { rows: found.rows.map((i) => candidates[i]), total: found.total };
}
