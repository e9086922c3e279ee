import { describe, expect, it } from 'vitest';
import type { Address, Customer } from '@enlace/shared';
import {
	DEFAULT_SORT,
	NO_FILTERS,
	csvCell,
	filterList,
	hasFilters,
	listCsv,
	listFromQuery,
	listToQuery,
	sortList,
	townsOf,
	type ListFilters,
	type Names
} from './list';
import { HitSet, buildHits, facetList } from './search';

const customer = (id: string, name: string, extra: Partial<Customer> = {}): Customer => ({
	id,
	code: `C${id}`,
	name,
	isCompany: false,
	taxIdType: 'nif',
	taxId: `${id}0000000Z`,
	...extra
});
const address = (customerId: string, town: string, label: Address['label'] = 'servicio') => ({
	id: `a${customerId}${town}`,
	customerId,
	label,
	street: 'Calle Mayor 1',
	town,
	country: 'ES'
});
const account = (customerId: string, routerId: string, tariffId?: string) => ({
	id: `p${customerId}`,
	customerId,
	routerId,
	username: `user${customerId}`,
	password: 'secreto-1',
	profile: 'default',
	offline: false,
	...(tariffId ? { tariffId } : {})
});
const assignment = (customerId: string, tariffId: string, endDate?: string) => ({
	id: `t${customerId}${tariffId}`,
	customerId,
	contractId: `k${customerId}`,
	tariffId,
	startDate: '2026-01-01',
	quantity: 1,
	...(endDate ? { endDate } : {})
});
const online = (customerId: string, on = true) => ({
	id: `s${customerId}`,
	routerId: 'r1',
	username: `user${customerId}`,
	customerId,
	online: on
});

const TODAY = '2026-03-10';
const names: Names = {
	state: (id) => ({ alta: 'Alta', baja: 'Baja', corte: 'Corte' })[id ?? ''] ?? '',
	type: (id) => (id === 'empresa' ? 'Empresa' : ''),
	tariff: (id) => ({ t100: 'Fibra 100', t600: 'Fibra 600' })[id] ?? id,
	router: (id) => ({ r1: 'Norte', r2: 'Sur' })[id] ?? id
};

const hits = buildHits(
	[
		customer('1', 'José Álvarez', { stateId: 'alta', altaDate: '2025-05-01', phone: '600112233' }),
		customer('2', 'Ana Ruiz', { stateId: 'baja', typeId: 'empresa', altaDate: '2024-01-15' }),
		customer('3', 'Talleres Ávila SL', { stateId: 'corte', typeId: 'empresa' }),
		customer('4', 'Beatriz Muñoz', { stateId: 'alta', altaDate: '2026-02-01' }),
		customer('10', 'Carlos "Charly" Peña', { stateId: 'alta', email: '=cmd@x.es' })
	],
	[
		address('1', 'Ávila', 'fiscal'),
		address('1', 'Segovia'),
		address('2', 'Segovia'),
		address('3', 'avila'),
		address('10', 'Madrid; centro')
	],
	[],
	{
		pppoeAccount: [account('1', 'r1', 't100'), account('2', 'r2'), account('4', 'r1')],
		tariffAssignment: [
			assignment('2', 't600'),
			assignment('4', 't600', '2026-02-28'),
			assignment('3', 't100', '2026-03-10')
		],
		cmiStatus: [online('1'), online('2', false)]
	}
);

const f = (over: Partial<ListFilters>) => ({ ...NO_FILTERS, ...over });
const ids = (rows: { id: string }[]) => rows.map((h) => h.id);
const filter = (over: Partial<ListFilters>) => ids(filterList(hits, f(over), TODAY)).sort();

describe('customer list filters', () => {
	it('keeps everyone without filters, in name order', () => {
		expect(ids(filterList(hits, NO_FILTERS, TODAY))).toEqual(['2', '4', '10', '1', '3']);
	});

	it('filters by state and type', () => {
		expect(filter({ stateId: 'alta' })).toEqual(['1', '10', '4']);
		expect(filter({ typeId: 'empresa' })).toEqual(['2', '3']);
		expect(filter({ stateId: 'alta', typeId: 'empresa' })).toEqual([]);
	});

	it('filters by running tariff: a PPPoE account’s or an assignment not ended before today', () => {
		expect(filter({ tariffId: 't100' })).toEqual(['1', '3']);
		// Customer 4's assignment ended on 28 February: no longer its tariff.
		expect(filter({ tariffId: 't600' })).toEqual(['2']);
		expect(ids(filterList(hits, f({ tariffId: 't600' }), '2026-02-28')).sort()).toEqual(['2', '4']);
		expect(filter({ tariffId: 'nada' })).toEqual([]);
	});

	it('filters by router, online now and town (any address, accents and case folded)', () => {
		expect(filter({ routerId: 'r1' })).toEqual(['1', '4']);
		expect(filter({ routerId: 'r2' })).toEqual(['2']);
		expect(filter({ online: 'si' })).toEqual(['1']);
		expect(filter({ online: 'no' })).toEqual(['10', '2', '3', '4']);
		expect(filter({ town: 'Ávila' })).toEqual(['1', '3']);
		expect(filter({ town: 'segovia' })).toEqual(['1', '2']);
	});

	it('combines filters with the search text', () => {
		expect(filter({ text: 'avila', routerId: 'r1' })).toEqual(['1']);
		expect(filter({ text: 'segovia', stateId: 'baja', online: 'no' })).toEqual(['2']);
		expect(filter({ text: 'nadie', town: 'Ávila' })).toEqual([]);
	});

	it('follows a changed row: the index is updated, the filter sees it', () => {
		const set = new HitSet();
		set.applyMany([
			['customer', new Map([['1', customer('1', 'Uno')]])],
			['pppoeAccount', new Map([['p1', account('1', 'r1')]])]
		]);
		expect(ids(filterList(set.hits, f({ routerId: 'r1' }), TODAY))).toEqual(['1']);
		set.apply('pppoeAccount', new Map([['p1', account('1', 'r2')]]));
		expect(ids(filterList(set.hits, f({ routerId: 'r1' }), TODAY))).toEqual([]);
		set.apply('cmiStatus', new Map([['s1', online('1')]]));
		expect(ids(filterList(set.hits, f({ online: 'si' }), TODAY))).toEqual(['1']);
		set.apply('cmiStatus', new Map([['s1', null]]));
		expect(ids(filterList(set.hits, f({ online: 'si' }), TODAY))).toEqual([]);
	});

	it('survives the snapshot: dumped and loaded hits and children filter the same', () => {
		const set = new HitSet();
		set.applyMany([
			['customer', new Map([['1', customer('1', 'Uno', { altaDate: '2026-01-02' })]])],
			['address', new Map([['a1', address('1', 'Ávila')]])],
			['pppoeAccount', new Map([['p1', account('1', 'r1', 't100')]])],
			['tariffAssignment', new Map([['x', assignment('1', 't600')]])]
		]);
		const dump = set.dump();
		const copy = new HitSet();
		copy.loadHits(dump.haystacks, dump.parts);
		copy.loadKids(dump.kids);
		expect(copy.hits).toEqual(set.hits);
		expect(ids(filterList(copy.hits, f({ tariffId: 't600', town: 'avila' }), TODAY))).toEqual([
			'1'
		]);
		// A child's change after the load still knows the others' facets.
		copy.apply('cmiStatus', new Map([['s1', online('1')]]));
		expect(facetList(copy.get('1')!).sort()).toEqual(['a:t600:', 'on', 'r:r1', 't:t100']);
	});

	it('lists the towns once each, folded, in order', () => {
		expect(townsOf(hits)).toEqual(['Ávila', 'Madrid; centro', 'Segovia']);
	});
});

describe('customer list sort', () => {
	const all = filterList(hits, NO_FILTERS, TODAY);
	const sorted = (by: (typeof DEFAULT_SORT)['by'], desc = false) =>
		ids(sortList(all, { by, desc }, names));

	it('sorts by name (ñ after n) either way', () => {
		expect(sorted('name')).toEqual(['2', '4', '10', '1', '3']);
		expect(sorted('name', true)).toEqual(['3', '1', '10', '4', '2']);
	});

	it('sorts codes in number order and tax ids', () => {
		expect(sorted('code')).toEqual(['1', '2', '3', '4', '10']);
		expect(sorted('code', true)).toEqual(['10', '4', '3', '2', '1']);
		expect(sorted('taxId')).toEqual(['1', '2', '3', '4', '10']);
	});

	it('puts empty values last both ways, ties by name', () => {
		// Towns: Ávila (1 fiscal, 3), Madrid (10), Segovia (2), none (4).
		expect(sorted('town')).toEqual(['1', '3', '10', '2', '4']);
		expect(sorted('town', true)).toEqual(['2', '10', '1', '3', '4']);
		expect(sorted('altaDate')).toEqual(['2', '1', '4', '10', '3']);
		expect(sorted('altaDate', true)).toEqual(['4', '1', '2', '10', '3']);
		expect(sorted('state')).toEqual(['4', '10', '1', '2', '3']);
	});

	it('sorts the found rows too (not only the whole list)', () => {
		const found = filterList(hits, f({ text: 'segovia' }), TODAY);
		expect(ids(sortList(found, { by: 'name', desc: true }, names))).toEqual(['1', '2']);
	});
});

describe('customer list URL', () => {
	it('round-trips filters and sort, leaving defaults out', () => {
		const state = {
			filters: f({ text: 'josé', stateId: 'alta', online: 'si', town: 'Ávila', routerId: 'r1' }),
			sort: { by: 'altaDate' as const, desc: true }
		};
		const q = listToQuery(state);
		expect(q.toString()).toBe(
			'q=jos%C3%A9&estado=alta&router=r1&conexion=si&poblacion=%C3%81vila&orden=-alta'
		);
		expect(listFromQuery(new URLSearchParams(q.toString()))).toEqual(state);
		expect(listToQuery({ filters: NO_FILTERS, sort: DEFAULT_SORT }).toString()).toBe('');
		expect(listFromQuery(new URLSearchParams(''))).toBeUndefined();
		expect(listFromQuery(new URLSearchParams('orden=raro&conexion=quizas'))).toEqual({
			filters: NO_FILTERS,
			sort: DEFAULT_SORT
		});
		expect(hasFilters(NO_FILTERS)).toBe(false);
		expect(hasFilters(f({ town: 'x' }))).toBe(true);
	});
});

describe('customer list CSV', () => {
	it('is UTF-8 with BOM, ; separated, CRLF, Spanish headers, the rows in the given order', () => {
		const rows = sortList(filterList(hits, NO_FILTERS, TODAY), { by: 'code', desc: false }, names);
		const csv = listCsv(rows, names, TODAY);
		expect(csv.startsWith('\uFEFFCódigo;Nombre;NIF;Teléfono;Correo;Población;Estado;')).toBe(true);
		const lines = csv.slice(1).split('\r\n');
		expect(lines).toHaveLength(7);
		expect(lines[6]).toBe('');
		expect(lines[1]).toBe(
			'C1;José Álvarez;10000000Z;600112233;;Ávila;Alta;;01/05/2025;Fibra 100;Norte;Sí'
		);
		expect(lines[2]).toBe(
			'C2;Ana Ruiz;20000000Z;;;Segovia;Baja;Empresa;15/01/2024;Fibra 600;Sur;No'
		);
		// Ended assignment left out; a quote, a ; and a formula-like value made safe.
		expect(lines[4]).toBe('C4;Beatriz Muñoz;40000000Z;;;;Alta;;01/02/2026;;Norte;No');
		expect(lines[5]).toBe(
			'C10;"Carlos ""Charly"" Peña";100000000Z;;\'=cmd@x.es;"Madrid; centro";Alta;;;;;No'
		);
	});

	it('quotes only what needs it', () => {
		expect(csvCell('plain')).toBe('plain');
		expect(csvCell('a;b')).toBe('"a;b"');
		expect(csvCell('two\nlines')).toBe('"two\nlines"');
		expect(csvCell('+34 600')).toBe("'+34 600");
		expect(csvCell('-1')).toBe("'-1");
	});
});
