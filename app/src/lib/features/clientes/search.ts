// The phone helpers by their own module: the boot script bundles this file without the rest.
import { phoneQuery, phoneSearchKeys } from '@enlace/shared/domain/phone';
import type {
	Address,
	CmiStatus,
	Customer,
	CustomFieldValue,
	Equipment,
	OperatorData,
	PppoeAccount,
	TariffAssignment
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
	/** The fecha de alta (ISO date), or ''. */
	altaDate: string;
	/**
	 * Every town of the customer's addresses, as written (the fiscal one first, as `town`), joined
	 * by LIST_SEP (`townList`). Strings, not arrays: 50,000 of them load from the snapshot as fast
	 * as the other columns.
	 */
	towns: string;
	/**
	 * What the list filters by, from the child rows (FACET), each between two LIST_SEPs, '' when
	 * none (`facetList`): `r:<routerId>` and `t:<tariffId>` of each PPPoE account,
	 * `a:<tariffId>:<endDate>` of each tariff assignment, `on` while a session is online.
	 */
	facets: string;
	/** The customer row's own searchable text (folded), kept so a child's change rebuilds the rest. */
	gen: string;
	/** Sort key: the folded name, then the id (unique, so a binary search finds one hit). */
	key: string;
	/**
	 * Lower-case, accent-free text of every searchable field: the customer's own fields and towns,
	 * then one segment per tab that can match (SEGMENT + its letter, see SEGMENT_TAB).
	 */
	haystack: string;
};

/** Fold case and accents so "jose" finds "José" and "avila" finds "Ávila". */
export const fold = (s: string) =>
	s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase();

/** Between the fields of one segment; never typed in a query, so no word spans two fields. */
const SEP = '\u0001';
/** Opens a segment of the haystack; the next character names it. */
export const SEGMENT = '\u0002';

/**
 * Which tab of the customer file a match in each segment opens: the PPPoE account and its
 * session on "Info Mikrotik PPPoE", the ONT serial and line on "Datos operadora", custom field
 * values on "Otros", a device's serial or MAC on "Equipamiento"; the customer's own fields (g) on
 * "Información general".
 */
export const SEGMENT_TAB = {
	g: 'general',
	m: 'mikrotik',
	o: 'operadora',
	x: 'otros',
	e: 'equipamiento'
} as const;
export type Segment = keyof typeof SEGMENT_TAB;
const SEGMENTS: Segment[] = ['g', 'm', 'o', 'x', 'e'];

/**
 * A child row's part of its customer's entry: which customer, which segment, its folded text;
 * addresses also carry the town as written and whether it is the fiscal address.
 */
export type Kid = {
	c: string;
	s: Segment;
	t: string;
	town?: string;
	fiscal?: boolean;
	/** The facets this row gives its customer (see CustomerHit.facets). */
	f?: string[];
};

/** Between the items of a list inside one string (a hit's towns and facets, saved columns). */
export const LIST_SEP = '\u0004';
const splitList = (s: string) => (s ? s.split(LIST_SEP) : []);
export const townList = (h: CustomerHit) => splitList(h.towns);
export const facetList = (h: CustomerHit) => splitList(h.facets.slice(1, -1));
/** Whether a hit has this facet (a whole item, not the start of one). */
export const hasFacet = (h: CustomerHit, facet: string) =>
	h.facets.includes(LIST_SEP + facet + LIST_SEP);

/** Facet tokens: a PPPoE account's router and tariff, an assignment's tariff, online now. */
export const FACET = {
	router: (id: string) => `r:${id}`,
	tariff: (id: string) => `t:${id}`,
	assignment: (tariffId: string, endDate = '') => `a:${tariffId}:${endDate}`,
	online: 'on'
} as const;

/** The entities whose rows feed the index: customers and the children below. */
export const KID_ENTITIES = [
	'address',
	'customFieldValue',
	'pppoeAccount',
	'cmiStatus',
	'operatorData',
	'tariffAssignment',
	'equipment'
] as const;
export type KidEntity = (typeof KID_ENTITIES)[number];
export const INDEXED_ENTITIES = ['customer', ...KID_ENTITIES] as const;

const join = (xs: (string | undefined)[]) => fold(xs.filter(Boolean).join(SEP));

/** The searchable part of a child row, or undefined when it adds nothing to search. */
export function kidOf(entity: KidEntity, row: unknown): Kid | undefined {
	switch (entity) {
		case 'address': {
			const a = row as Address;
			if (!a.town) return undefined;
			return {
				c: a.customerId,
				s: 'g',
				t: fold(a.town),
				town: a.town,
				fiscal: a.label === 'fiscal'
			};
		}
		case 'customFieldValue': {
			// Yes/no values are left out: "sí" would match half the customers and find nobody.
			const v = row as Pick<CustomFieldValue, 'customerId' | 'value'>;
			if (typeof v.value === 'boolean' || v.value === undefined || v.value === null)
				return undefined;
			return { c: v.customerId, s: 'x', t: fold(String(v.value)) };
		}
		case 'pppoeAccount': {
			const p = row as PppoeAccount;
			const f = [FACET.router(p.routerId)];
			if (p.tariffId) f.push(FACET.tariff(p.tariffId));
			return { c: p.customerId, s: 'm', t: join([p.username, p.staticIp]), f };
		}
		case 'cmiStatus': {
			// Online now, and the current session's address: only while the session is online.
			const s = row as CmiStatus;
			if (!s.customerId || !s.online) return undefined;
			return { c: s.customerId, s: 'm', t: fold(s.address ?? ''), f: [FACET.online] };
		}
		case 'tariffAssignment': {
			// Nothing to search; the tariff and its end, for the list's tariff filter.
			const a = row as TariffAssignment;
			return { c: a.customerId, s: 'g', t: '', f: [FACET.assignment(a.tariffId, a.endDate)] };
		}
		case 'equipment': {
			// The serial, and the MAC as stored (AA:BB:…), as bare hex digits and with dashes.
			const e = row as Equipment;
			const t = join([e.serial, e.mac, e.mac?.replaceAll(':', ''), e.mac?.replaceAll(':', '-')]);
			return t ? { c: e.customerId, s: 'e', t } : undefined;
		}
		case 'operatorData': {
			const o = row as OperatorData;
			const t = join([o.ontSerial, o.lineId, o.ctoPort]);
			return t ? { c: o.customerId, s: 'o', t } : undefined;
		}
	}
}

/** The sort key of a name: folded, with ñ kept after n ("Muñoz" after "Munuera"). */
const sortKey = (name: string, id: string) => fold(name.replace(/ñ/gi, 'n\uffff')) + '\u0000' + id;

/** The hit of a customer row, without its children (towns and segments come from `compose`). */
export function baseHit(c: Customer): CustomerHit {
	return {
		id: c.id,
		code: c.code,
		name: c.name,
		taxId: c.taxId,
		phone: c.phone || c.mobile || '',
		email: c.email ?? '',
		town: '',
		stateId: c.stateId,
		typeId: c.typeId,
		altaDate: c.altaDate ?? '',
		towns: '',
		facets: '',
		// Phones are also indexed as bare digits, with and without Spain's 34, so "600 11 22"
		// matches "600112233" and "+34 600 11 22 33" matches "600 11 22 33" (and back).
		gen: join([
			c.code,
			c.name,
			c.tradeName,
			c.taxId,
			c.phone,
			c.phone2,
			c.mobile,
			c.email,
			...phoneSearchKeys(c.phone),
			...phoneSearchKeys(c.phone2),
			...phoneSearchKeys(c.mobile)
		]),
		key: sortKey(c.name, c.id),
		haystack: ''
	};
}

/** A hit with its children: the fiscal town first (the one the list shows), then segments. */
function compose(base: CustomerHit, kids: Kid[]): CustomerHit {
	const towns: Kid[] = [];
	const parts: Record<Segment, string[]> = { g: [base.gen], m: [], o: [], x: [], e: [] };
	const facets: string[] = [];
	for (const k of kids) {
		if (k.f) facets.push(...k.f);
		if (k.town !== undefined) {
			if (k.fiscal) towns.unshift(k);
			else towns.push(k);
		} else if (k.t) parts[k.s].push(k.t);
	}
	parts.g.push(...towns.map((k) => k.t));
	// Every field between two SEPs, so a field equal to the query is found as SEP + it + SEP.
	let haystack = SEP + parts.g.filter(Boolean).join(SEP) + SEP;
	for (const s of SEGMENTS.slice(1))
		if (parts[s].length) haystack += SEGMENT + s + SEP + parts[s].join(SEP) + SEP;
	const names = [...new Set(towns.map((k) => k.town!))];
	const f = [...new Set(facets)];
	return {
		...base,
		town: names[0] ?? '',
		towns: names.join(LIST_SEP),
		facets: f.length ? LIST_SEP + f.join(LIST_SEP) + LIST_SEP : '',
		haystack
	};
}

const byKey = (a: CustomerHit, b: CustomerHit) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Where `key` is, or would go, in hits sorted by key. */
function position(hits: CustomerHit[], key: string): number {
	let lo = 0;
	let hi = hits.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (hits[mid].key < key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * The index in memory: every customer's hit sorted by name, and the child rows' parts by
 * customer, so a changed row rebuilds only its customer's hit. `apply` takes the rows one
 * transaction changed (ChangeNotice); it never reads other rows.
 */
export class HitSet {
	/** The hits sorted by `key`, as of the last read of `hits`. */
	private sorted: CustomerHit[] = [];
	/**
	 * Changes not merged into `sorted` yet: hits in it to drop, and hits to add. A first sync's
	 * pages each change thousands of hits; merging every page into 50,000 sorted ones cost the
	 * phone's main thread more than composing them. Merged once, when the hits are next read.
	 */
	private gone = new Set<CustomerHit>();
	private fresh = new Set<CustomerHit>();
	/**
	 * Every hit by customer id, for applying changes. Built when first needed, not when a snapshot
	 * is loaded: the first search at start does not wait for 50,000 map entries.
	 */
	private byIdMap?: Map<string, CustomerHit> = new Map();
	private readonly kids = new Map<string, Kid>();
	private readonly kidsOf = new Map<string, Set<string>>();

	/** Sorted by `key`; replaced, never mutated in place, whenever it changes. */
	get hits(): CustomerHit[] {
		if (this.gone.size || this.fresh.size) {
			this.sorted = replace(this.sorted, [...this.gone], [...this.fresh]);
			this.gone.clear();
			this.fresh.clear();
		}
		return this.sorted;
	}

	private setAll(all: CustomerHit[]) {
		this.sorted = all;
		this.gone.clear();
		this.fresh.clear();
	}

	get size() {
		return this.byIdMap ? this.byIdMap.size : this.sorted.length;
	}

	private get byId(): Map<string, CustomerHit> {
		return (this.byIdMap ??= new Map(this.hits.map((h) => [h.id, h])));
	}

	clear() {
		this.setAll([]);
		this.byIdMap = new Map();
		this.kids.clear();
		this.kidsOf.clear();
	}

	get(id: string) {
		return this.byId.get(id);
	}

	/** Rows of one entity changed: id → the row as it now is, or null when deleted. */
	apply(entity: string, rows: Map<string, unknown>): void {
		this.applyMany([[entity, rows]]);
	}

	applyMany(changes: Iterable<[string, Map<string, unknown>]>): void {
		const customers = new Map<string, Customer | null>();
		const affected = new Set<string>();
		for (const [entity, rows] of changes) {
			if (entity === 'customer') {
				for (const [id, row] of rows) {
					customers.set(id, row as Customer | null);
					affected.add(id);
				}
				continue;
			}
			if (!(KID_ENTITIES as readonly string[]).includes(entity)) continue;
			for (const [id, row] of rows) {
				const key = `${entity}\u0000${id}`;
				const old = this.kids.get(key);
				if (old) {
					this.kidsOf.get(old.c)?.delete(key);
					this.kids.delete(key);
					affected.add(old.c);
				}
				const kid = row ? kidOf(entity as KidEntity, row) : undefined;
				if (!kid) continue;
				this.kids.set(key, kid);
				let set = this.kidsOf.get(kid.c);
				if (!set) this.kidsOf.set(kid.c, (set = new Set()));
				set.add(key);
				affected.add(kid.c);
			}
		}
		for (const id of affected) {
			const old = this.byId.get(id);
			const row = customers.get(id);
			const base = row ? baseHit(row) : row === null ? undefined : old;
			// A hit added since the last merge was never in `sorted`: it is simply not added.
			if (old && !this.fresh.delete(old)) this.gone.add(old);
			if (!base) {
				this.byId.delete(id);
				continue;
			}
			const hit = compose(base, this.kidsOfCustomer(id));
			this.byId.set(id, hit);
			this.fresh.add(hit);
		}
	}

	private kidsOfCustomer(id: string): Kid[] {
		// In the order of their ids, so the same rows always make the same hit.
		const keys = this.kidsOf.get(id);
		return keys ? [...keys].sort().map((k) => this.kids.get(k)!) : [];
	}

	/**
	 * Everything, to be saved: every hit's haystack in one column (what a search reads), the
	 * hits' other columns in parts of HIT_PART hits (what showing a few results reads), and the
	 * children's parts with what only applying a change needs (each hit's `gen` and `key`).
	 */
	dump(): HitSetDump {
		const h = this.hits;
		const kidKeys = [...this.kids.keys()];
		const kids = kidKeys.map((k) => this.kids.get(k)!);
		const all = (f: (x: CustomerHit) => string) => packColumn(h.map(f));
		const parts: HitPart[] = [];
		const hays: HitSetDump['hays'] = [];
		for (let from = 0; from < h.length; from += HIT_PART) {
			const part = h.slice(from, from + HIT_PART);
			const col = (f: (x: CustomerHit) => string) => packColumn(part.map(f));
			hays.push({ n: part.length, haystack: col((x) => x.haystack) });
			// States and types are a few settings ids: saved once, each hit names its own by number.
			const tags = [''];
			const tagOf = new Map([['', 0]]);
			const tag = (id = '') => {
				let i = tagOf.get(id);
				if (i === undefined) tagOf.set(id, (i = tags.push(id) - 1));
				return i.toString(36);
			};
			parts.push({
				n: part.length,
				id: col((x) => x.id),
				code: col((x) => x.code),
				name: col((x) => x.name),
				taxId: col((x) => x.taxId),
				phone: col((x) => x.phone),
				email: col((x) => x.email),
				town: col((x) => x.town),
				stateId: col((x) => tag(x.stateId)),
				typeId: col((x) => tag(x.typeId)),
				tags,
				altaDate: col((x) => x.altaDate),
				towns: col((x) => x.towns),
				facets: col((x) => x.facets)
			});
		}
		return {
			haystacks: { n: h.length, haystack: all((x) => x.haystack) },
			hays,
			parts,
			kids: {
				n: kids.length,
				key: packColumn(kidKeys),
				c: packColumn(kids.map((k) => k.c)),
				s: kids.map((k) => k.s).join(''),
				t: packColumn(kids.map((k) => k.t)),
				town: packColumn(kids.map((k) => k.town ?? '')),
				fiscal: kids.map((k) => (k.fiscal ? 1 : 0)).join(''),
				f: packColumn(kids.map((k) => (k.f ?? []).join(LIST_SEP))),
				hits: h.length,
				gen: all((x) => x.gen),
				hitKey: all((x) => x.key)
			}
		};
	}

	/**
	 * The hits of a dump, ready to search and show: its haystacks and its parts, in order. False,
	 * nothing loaded, when the parts do not hold the haystacks' hits. Their `gen` and `key`, needed
	 * only to apply a change, come with `loadKids`, which must follow before any change.
	 */
	loadHits(d: HitSetDump['haystacks'], parts: readonly HitPart[]): boolean {
		if (parts.reduce((n, p) => n + p.n, 0) !== d.n) return false;
		const haystack = unpackColumn(d.haystack, d.n);
		const hits: CustomerHit[] = new Array(d.n);
		let at = 0;
		for (const p of parts) {
			const c = (s: string) => unpackColumn(s, p.n);
			const [id, code, name, taxId, phone, email, town, stateId, typeId, alta, towns, facets] = [
				c(p.id),
				c(p.code),
				c(p.name),
				c(p.taxId),
				c(p.phone),
				c(p.email),
				c(p.town),
				c(p.stateId),
				c(p.typeId),
				c(p.altaDate),
				c(p.towns),
				c(p.facets)
			];
			const tag = (n: string) => p.tags[parseInt(n, 36)] || undefined;
			for (let i = 0; i < p.n; i++, at++) {
				hits[at] = {
					id: id[i],
					code: code[i],
					name: name[i],
					taxId: taxId[i],
					phone: phone[i],
					email: email[i],
					town: town[i],
					stateId: tag(stateId[i]),
					typeId: tag(typeId[i]),
					altaDate: alta[i],
					towns: towns[i],
					facets: facets[i],
					gen: '',
					key: '',
					haystack: haystack[at]
				};
			}
		}
		this.setAll(hits);
		this.byIdMap = undefined;
		return true;
	}

	/**
	 * The children's parts of the dump whose hits `loadHits` loaded (nothing applied between);
	 * false, nothing loaded, when they do not fit those hits.
	 */
	loadKids(d: HitSetDump['kids']): boolean {
		if (d.hits !== this.hits.length) return false;
		const [gen, hitKey] = [d.gen, d.hitKey].map((s) => unpackColumn(s, d.hits));
		for (let i = 0; i < d.hits; i++) {
			this.hits[i].gen = gen[i];
			this.hits[i].key = hitKey[i];
		}
		this.kids.clear();
		this.kidsOf.clear();
		const [keys, cs, ts, towns, fs] = [d.key, d.c, d.t, d.town, d.f].map((s) =>
			unpackColumn(s, d.n)
		);
		for (let i = 0; i < d.n; i++) {
			const kid: Kid = { c: cs[i], s: d.s[i] as Segment, t: ts[i] };
			if (fs[i]) kid.f = splitList(fs[i]);
			// Only addresses have a town, and an address without one is not kept.
			if (towns[i]) {
				kid.town = towns[i];
				kid.fiscal = d.fiscal[i] === '1';
			}
			this.kids.set(keys[i], kid);
			let set = this.kidsOf.get(kid.c);
			if (!set) this.kidsOf.set(kid.c, (set = new Set()));
			set.add(keys[i]);
		}
		return true;
	}
}

/** Between the values of a saved column; removed from the values themselves. */
const COLUMN_SEP = '\u0003';
const packColumn = (values: string[]) =>
	values.map((v) => v.replaceAll(COLUMN_SEP, '')).join(COLUMN_SEP);
const unpackColumn = (s: string, n: number) => (n ? s.split(COLUMN_SEP) : []);

/**
 * One saved column read in place, without splitting it into `n` strings: where each value
 * starts is found in one pass the first time a value is asked for. The boot script searches
 * the snapshot's haystacks and shows a few names this way, in a fraction of `loadHits`' time.
 */
export class PackedColumn {
	private starts?: Int32Array;

	constructor(
		private readonly packed: string,
		readonly n: number
	) {}

	get(i: number): string {
		if (!this.starts) {
			this.starts = new Int32Array(this.n + 1);
			let at = 0;
			for (let k = 0; k < this.n; k++) {
				this.starts[k] = at;
				const end = this.packed.indexOf(COLUMN_SEP, at);
				at = end < 0 ? this.packed.length + 1 : end + 1;
			}
			this.starts[this.n] = this.packed.length + 1;
		}
		return this.packed.slice(this.starts[i], this.starts[i + 1] - 1);
	}
}

/** How many hits each saved part holds: showing a few results reads one part or a few. */
export const HIT_PART = 500;

/** One part of the saved hits: HIT_PART of them (the last, fewer), every column but the haystack. */
export type HitPart = {
	n: number;
	/** Every state and type id named, '' first; `stateId` and `typeId` hold their numbers (base 36). */
	tags: string[];
} & Record<
	| 'id'
	| 'code'
	| 'name'
	| 'taxId'
	| 'phone'
	| 'email'
	| 'town'
	| 'stateId'
	| 'typeId'
	| 'altaDate'
	| 'towns'
	| 'facets',
	string
>;

/**
 * A HitSet as columns, each one string (its values joined): IndexedDB stores and reads back a
 * dozen long strings far faster than 50,000 objects or arrays of 50,000 strings. The haystacks
 * apart from the rest, and the rest in parts: a search at start reads the haystacks and then only
 * the parts of the customers it shows (about half the bytes of reading every column).
 */
export type HitSetDump = {
	haystacks: { n: number; haystack: string };
	/** The haystacks again, in the parts' hits (what the boot script reads of the candidates). */
	hays: { n: number; haystack: string }[];
	parts: HitPart[];
	kids: {
		n: number;
		key: string;
		c: string;
		/** One letter per child: its segment. */
		s: string;
		t: string;
		town: string;
		/** One digit per child: 1 for a fiscal address. */
		fiscal: string;
		/** Each child's facets. */
		f: string;
		/** How many hits the dump holds, and their `gen` and `key`, in the hits' order. */
		hits: number;
		gen: string;
		hitKey: string;
	};
};

/**
 * `hits` without `removed`, with `added`, still sorted. A few changes are spliced in place
 * (binary search); many (a pulled page) are sorted and merged in one pass.
 */
function replace(hits: CustomerHit[], removed: CustomerHit[], added: CustomerHit[]) {
	if (removed.length + added.length <= 64) {
		const out = hits.slice();
		for (const r of removed) {
			const i = position(out, r.key);
			if (out[i] === r) out.splice(i, 1);
		}
		for (const a of added) out.splice(position(out, a.key), 0, a);
		return out;
	}
	const gone = new Set(removed);
	const kept = gone.size ? hits.filter((h) => !gone.has(h)) : hits;
	const fresh = added.sort(byKey);
	const out: CustomerHit[] = new Array(kept.length + fresh.length);
	let i = 0;
	let j = 0;
	let k = 0;
	while (i < kept.length && j < fresh.length)
		out[k++] = kept[i].key <= fresh[j].key ? kept[i++] : fresh[j++];
	while (i < kept.length) out[k++] = kept[i++];
	while (j < fresh.length) out[k++] = fresh[j++];
	return out;
}

/** The header's quick search shows this many customers (the app's and the boot script's). */
export const QUICK_SEARCH_LIMIT = 8;

export type SearchQuery = {
	text: string;
	stateId?: string;
	typeId?: string;
	/** Only the hits it keeps (the list's other filters, see list.ts). */
	where?: (h: CustomerHit) => boolean;
	/** At most this many rows (100 unless told; Infinity for the whole list). */
	limit?: number;
};

/**
 * Every word of the query must appear somewhere in the customer. A linear scan over precomputed
 * strings: 50,000 customers take a few milliseconds, with no index to keep in step. Customers
 * with a field equal to the whole query come first (the PPPoE user or IP typed in full before
 * the ones it is the start of), then the rest by name, then those found only as a phone's digits
 * (an IP like "10.0.0.1" is also the digits 10001).
 */
export function searchHits(
	hits: CustomerHit[],
	q: SearchQuery
): { rows: CustomerHit[]; total: number } {
	const filtered = q.stateId || q.typeId || q.where;
	const keep = filtered
		? (i: number) => {
				const h = hits[i];
				return (
					(!q.stateId || h.stateId === q.stateId) &&
					(!q.typeId || h.typeId === q.typeId) &&
					(!q.where || q.where(h))
				);
			}
		: undefined;
	const found = searchHaystacks(hits.length, (i) => hits[i].haystack, q.text, q.limit, keep);
	return { rows: found.rows.map((i) => hits[i]), total: found.total };
}

/**
 * `searchHits` over any `n` haystacks in the hits' order (the boot script's come from the
 * snapshot's packed column, see PackedColumn): the positions found, in the order shown.
 */
export function searchHaystacks(
	n: number,
	haystack: (i: number) => string,
	text: string,
	limit = 100,
	keep?: (i: number) => boolean
): { rows: number[]; total: number } {
	const words = fold(text).split(/\s+/).filter(Boolean);
	const whole = words.length ? SEP + words.join(' ') + SEP : undefined;
	// A query that is a phone number also matches as one run of digits ("+34 690 12" → "3469012").
	const phone = phoneQuery(text);
	const exact: number[] = [];
	const rows: number[] = [];
	const digits: number[] = [];
	let total = 0;
	for (let i = 0; i < n; i++) {
		if (keep && !keep(i)) continue;
		const h = haystack(i);
		let ok = true;
		for (const w of words) {
			if (!h.includes(w)) {
				ok = false;
				break;
			}
		}
		if (ok) {
			total++;
			if (whole && exact.length < limit && h.includes(whole)) exact.push(i);
			else if (rows.length < limit) rows.push(i);
		} else if (phone && h.includes(phone)) {
			total++;
			if (digits.length < limit) digits.push(i);
		}
	}
	const all = exact.length + digits.length ? [...exact, ...rows, ...digits] : rows;
	return { rows: all.length > limit ? all.slice(0, limit) : all, total };
}

/**
 * The tab a found customer opens on: the tab of the first word of the query that is not in the
 * customer's own fields (a PPPoE user opens "mikrotik", an ONT serial "operadora"), else general.
 */
export function matchTab(hit: Pick<CustomerHit, 'haystack'>, text: string): string {
	const [own, ...segments] = hit.haystack.split(SEGMENT);
	for (const w of fold(text).split(/\s+/).filter(Boolean)) {
		if (own.includes(w)) continue;
		const seg = segments.find((s) => s.slice(1).includes(w));
		if (seg) return SEGMENT_TAB[seg[0] as Segment];
	}
	return SEGMENT_TAB.g;
}

/** The index of these rows, built in one go (tests, and the bench's baseline). */
export function buildHits(
	customers: Customer[],
	addresses: Address[],
	customValues: (Pick<CustomFieldValue, 'customerId' | 'value'> & { id?: string })[] = [],
	more: Partial<Record<KidEntity, { id: string }[]>> = {}
): CustomerHit[] {
	const set = new HitSet();
	const rows = (list: { id: string }[]) => new Map(list.map((r) => [r.id, r as unknown]));
	set.applyMany([
		['customer', rows(customers)],
		['address', rows(addresses)],
		['customFieldValue', rows(customValues.map((v, i) => ({ ...v, id: v.id ?? `v${i}` })))],
		...Object.entries(more).map(([e, list]) => [e, rows(list)] as [string, Map<string, unknown>])
	]);
	return set.hits;
}
