import {
	FACET,
	LIST_SEP,
	facetList,
	fold,
	hasFacet,
	searchHits,
	townList,
	type CustomerHit
} from './search';

/**
 * The customer list's filters, sort and CSV export: pure functions over the in-memory index's
 * hits (search.ts), so 50,000 customers are filtered and sorted without reading IndexedDB.
 */

export type Online = '' | 'si' | 'no';

/** '' means "any". `text` is the search box, the rest the filter selects. */
export type ListFilters = {
	text: string;
	stateId: string;
	typeId: string;
	tariffId: string;
	routerId: string;
	online: Online;
	town: string;
};

export const SORT_COLUMNS = ['name', 'code', 'taxId', 'town', 'state', 'altaDate'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type ListSort = { by: SortColumn; desc: boolean };
export type ListState = { filters: ListFilters; sort: ListSort };

export const NO_FILTERS: ListFilters = {
	text: '',
	stateId: '',
	typeId: '',
	tariffId: '',
	routerId: '',
	online: '',
	town: ''
};
export const DEFAULT_SORT: ListSort = { by: 'name', desc: false };

/** Names of the ids a hit holds, for sorting by state and for the CSV. */
export type Names = {
	state: (id?: string) => string;
	type: (id?: string) => string;
	tariff: (id: string) => string;
	router: (id: string) => string;
};

/** The query parameters of the list's URL (Spanish, as the user sees them). */
const PARAM: Record<keyof ListFilters, string> = {
	text: 'q',
	stateId: 'estado',
	typeId: 'tipo',
	tariffId: 'tarifa',
	routerId: 'router',
	online: 'conexion',
	town: 'poblacion'
};
const SORT_PARAM = 'orden';
const SORT_NAME: Record<SortColumn, string> = {
	name: 'nombre',
	code: 'codigo',
	taxId: 'nif',
	town: 'poblacion',
	state: 'estado',
	altaDate: 'alta'
};

/** The list's state as URL query parameters; defaults are left out. */
export function listToQuery({ filters, sort }: ListState): URLSearchParams {
	const q = new URLSearchParams();
	for (const k of Object.keys(PARAM) as (keyof ListFilters)[])
		if (filters[k]) q.set(PARAM[k], filters[k]);
	if (sort.by !== DEFAULT_SORT.by || sort.desc !== DEFAULT_SORT.desc)
		q.set(SORT_PARAM, (sort.desc ? '-' : '') + SORT_NAME[sort.by]);
	return q;
}

/** The list's state from URL query parameters; undefined when they hold none of it. */
export function listFromQuery(q: URLSearchParams): ListState | undefined {
	const names = [...Object.values(PARAM), SORT_PARAM];
	if (!names.some((n) => q.has(n))) return undefined;
	const filters = { ...NO_FILTERS };
	for (const k of Object.keys(PARAM) as (keyof ListFilters)[]) {
		const v = q.get(PARAM[k]) ?? '';
		if (k === 'online') filters.online = v === 'si' || v === 'no' ? v : '';
		else filters[k] = v;
	}
	const raw = q.get(SORT_PARAM) ?? '';
	const desc = raw.startsWith('-');
	const by = SORT_COLUMNS.find((c) => SORT_NAME[c] === raw.replace(/^-/, ''));
	return { filters, sort: by ? { by, desc } : { ...DEFAULT_SORT } };
}

/** Whether any filter (the search text included) narrows the list. */
export const hasFilters = (f: ListFilters) =>
	(Object.keys(f) as (keyof ListFilters)[]).some((k) => f[k] !== '');

/** Whether a hit has this tariff running on `today`: a PPPoE account's or an assignment's. */
export function hasTariff(h: CustomerHit, tariffId: string, today: string): boolean {
	// Most customers do not have it: one string search says so.
	if (!h.facets.includes(`:${tariffId}`)) return false;
	const account = FACET.tariff(tariffId);
	const assignment = FACET.assignment(tariffId);
	for (const f of facetList(h)) {
		if (f === account) return true;
		if (f.startsWith(assignment)) {
			const end = f.slice(assignment.length);
			if (!end || end >= today) return true;
		}
	}
	return false;
}

/** The tariffs running on `today` of a hit (ids, each once). */
export function runningTariffs(h: CustomerHit, today: string): string[] {
	const ids = new Set<string>();
	for (const f of facetList(h)) {
		if (f.startsWith('t:')) ids.add(f.slice(2));
		else if (f.startsWith('a:')) {
			const [, id, end] = f.split(':');
			if (!end || end >= today) ids.add(id);
		}
	}
	return [...ids];
}

export const routersOf = (h: CustomerHit) =>
	facetList(h)
		.filter((f) => f.startsWith('r:'))
		.map((f) => f.slice(2));
export const isOnline = (h: CustomerHit) => hasFacet(h, FACET.online);

/** The filters other than the text, state and type (which `searchHits` applies itself). */
function facetWhere(f: ListFilters, today: string): ((h: CustomerHit) => boolean) | undefined {
	// Read once: `f` may be a reactive proxy, too slow to read for every customer.
	const { tariffId, routerId, online, town } = f;
	const tests: ((h: CustomerHit) => boolean)[] = [];
	if (tariffId) tests.push((h) => hasTariff(h, tariffId, today));
	if (routerId) {
		const r = FACET.router(routerId);
		tests.push((h) => hasFacet(h, r));
	}
	if (online) {
		const want = online === 'si';
		tests.push((h) => isOnline(h) === want);
	}
	if (town) {
		const folded = fold(town.trim());
		tests.push((h) =>
			h.towns.includes(LIST_SEP)
				? townList(h).some((t) => foldTown(t) === folded)
				: !!h.towns && foldTown(h.towns) === folded
		);
	}
	if (!tests.length) return undefined;
	if (tests.length === 1) return tests[0];
	return (h) => tests.every((t) => t(h));
}

/** Towns repeat across thousands of customers: each spelling is folded once. */
const foldedTowns = new Map<string, string>();
function foldTown(t: string): string {
	let f = foldedTowns.get(t);
	if (f === undefined) foldedTowns.set(t, (f = fold(t.trim())));
	return f;
}

/** The hits that pass every filter, in the index's order (by name; exact text matches first). */
export function filterList(hits: CustomerHit[], f: ListFilters, today: string): CustomerHit[] {
	if (!hasFilters(f)) return hits;
	return searchHits(hits, {
		text: f.text,
		stateId: f.stateId || undefined,
		typeId: f.typeId || undefined,
		where: facetWhere(f, today),
		limit: Infinity
	}).rows;
}

/**
 * A code or tax id split for sorting: its leading letters, the number after them and the rest
 * ("C10" after "C9", "X1234567L" among the NIEs). Numbers compare far faster than strings, which
 * is what keeps a sort of 50,000 codes quick. Made once per hit (hits are replaced, never changed).
 */
type Parts = { p: string; n: number; s: string };
const EMPTY: Parts = { p: '', n: -1, s: '' };
const codeParts = new WeakMap<CustomerHit, Parts>();
const taxParts = new WeakMap<CustomerHit, Parts>();
function partsOf(text: string): Parts {
	if (!text) return EMPTY;
	const [, p, digits, s] = /^(\D*)(\d*)([^]*)$/.exec(fold(text).toUpperCase())!;
	return { p, n: digits ? Number(digits.slice(0, 15)) : -1, s };
}
const cachedParts =
	(cache: WeakMap<CustomerHit, Parts>, field: (h: CustomerHit) => string) => (h: CustomerHit) => {
		let v = cache.get(h);
		if (v === undefined) cache.set(h, (v = partsOf(field(h))));
		return v;
	};
const PARTS: Partial<Record<SortColumn, (h: CustomerHit) => Parts>> = {
	code: cachedParts(codeParts, (h) => h.code),
	taxId: cachedParts(taxParts, (h) => h.taxId)
};
const compareParts = (a: Parts, b: Parts) =>
	a.p !== b.p ? (a.p < b.p ? -1 : 1) : a.n !== b.n ? a.n - b.n : a.s < b.s ? -1 : a.s > b.s ? 1 : 0;

/** The value a column sorts by; '' sorts last in either direction. */
function sortValue(by: SortColumn, names: Names): (h: CustomerHit) => string {
	switch (by) {
		case 'name':
			return (h) => h.key;
		case 'code':
			return (h) => h.code;
		case 'taxId':
			return (h) => h.taxId;
		case 'town':
			return (h) => foldTown(h.town);
		case 'state': {
			const folded = new Map<string | undefined, string>();
			return (h) => {
				let v = folded.get(h.stateId);
				if (v === undefined) folded.set(h.stateId, (v = fold(names.state(h.stateId))));
				return v;
			};
		}
		case 'altaDate':
			return (h) => h.altaDate;
	}
}

/** Columns with few distinct values, sorted by grouping (linear) rather than comparing rows. */
const GROUPED: SortColumn[] = ['town', 'state', 'altaDate'];

/**
 * The rows in the column's order, empty values last, ties in the order they came (by name for a
 * list without search text). Rows in name order come back as they are, or reversed.
 */
export function sortList(rows: CustomerHit[], sort: ListSort, names: Names): CustomerHit[] {
	if (sort.by === 'name' && isByKey(rows)) return sort.desc ? rows.slice().reverse() : rows;
	const value = sortValue(sort.by, names);
	const dir = sort.desc ? -1 : 1;
	const order = (a: string, b: string) => (a === b ? 0 : !a ? 1 : !b ? -1 : a < b ? -dir : dir);
	if (GROUPED.includes(sort.by)) {
		const groups = new Map<string, CustomerHit[]>();
		for (const h of rows) {
			const v = value(h);
			const g = groups.get(v);
			if (g) g.push(h);
			else groups.set(v, [h]);
		}
		const out: CustomerHit[] = [];
		for (const v of [...groups.keys()].sort(order)) for (const h of groups.get(v)!) out.push(h);
		return out;
	}
	const parts = PARTS[sort.by];
	if (parts) {
		const keyed = rows.map((h, i) => ({ h, v: parts(h), i }));
		keyed.sort((a, b) => {
			if (a.v === EMPTY || b.v === EMPTY) return a.v === b.v ? a.i - b.i : a.v === EMPTY ? 1 : -1;
			return dir * compareParts(a.v, b.v) || a.i - b.i;
		});
		return keyed.map((k) => k.h);
	}
	const keyed = rows.map((h, i) => ({ h, v: value(h), i }));
	keyed.sort((a, b) => order(a.v, b.v) || a.i - b.i);
	return keyed.map((k) => k.h);
}

function isByKey(rows: CustomerHit[]): boolean {
	for (let i = 1; i < rows.length; i++) if (rows[i - 1].key > rows[i].key) return false;
	return true;
}

/** The distinct towns of the hits (as first written, compared folded), in alphabetical order. */
export function townsOf(hits: CustomerHit[]): string[] {
	const seen = new Map<string, string>();
	for (const h of hits)
		for (const t of townList(h)) {
			const k = foldTown(t);
			if (k && !seen.has(k)) seen.set(k, t.trim());
		}
	return [...seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, t]) => t);
}

/** The CSV's columns: Spanish headers, as the office's Excel shows them. */
export const CSV_HEADERS = [
	'Código',
	'Nombre',
	'NIF',
	'Teléfono',
	'Correo',
	'Población',
	'Estado',
	'Tipo',
	'Fecha de alta',
	'Tarifas',
	'Router',
	'Conectado'
];

/**
 * One CSV cell: quoted when it holds the separator, a quote or a line break; a value that a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe.
 */
export function csvCell(value: string): string {
	let v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	if (/[";\r\n]/.test(v)) v = `"${v.replaceAll('"', '""')}"`;
	return v;
}

/** An ISO date as Spanish Excel reads it: 2026-03-01 → 01/03/2026. */
const spanishDate = (iso: string) => (iso ? iso.split('-').reverse().join('/') : '');

/**
 * The rows as a CSV file for Spanish Excel: UTF-8 with a byte order mark, `;` between cells,
 * CRLF between lines, a header line first.
 */
export function listCsv(rows: CustomerHit[], names: Names, today: string): string {
	const lines = [CSV_HEADERS.map(csvCell).join(';')];
	for (const h of rows) {
		const cells = [
			h.code,
			h.name,
			h.taxId,
			h.phone,
			h.email,
			h.town,
			names.state(h.stateId),
			names.type(h.typeId),
			spanishDate(h.altaDate),
			runningTariffs(h, today).map(names.tariff).join(', '),
			routersOf(h).map(names.router).join(', '),
			isOnline(h) ? 'Sí' : 'No'
		];
		lines.push(cells.map(csvCell).join(';'));
	}
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
