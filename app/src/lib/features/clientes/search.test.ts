import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Address, Customer } from '@enlace/shared';
import {
	buildHits,
	fold,
	HitSet,
	matchTab,
	HIT_PART,
	PackedColumn,
	searchHaystacks,
	searchHits
} from './search';

const customer = (id: string, name: string, extra: Partial<Customer> = {}): Customer => ({
	id,
	code: `C0000${id}`,
	name,
	isCompany: false,
	taxIdType: 'nif',
	taxId: '12345678Z',
	...extra
});
const address = (
	customerId: string,
	town: string,
	label: Address['label'] = 'servicio'
): Address => ({
	id: `a${customerId}${town}`,
	customerId,
	label,
	street: 'Calle Mayor 1',
	town,
	country: 'ES'
});

describe('customer search', () => {
	const hits = buildHits(
		[
			customer('1', 'José Álvarez', { phone: '600 11 22 33', stateId: 'alta' }),
			customer('2', 'Ana Ruiz', { email: 'ana@example.com', stateId: 'baja', taxId: 'X1234567L' }),
			customer('3', 'Talleres Ávila SL', { isCompany: true, typeId: 'empresa' })
		],
		[address('1', 'Ávila', 'fiscal'), address('2', 'Segovia'), address('3', 'Madrid')]
	);

	it('folds accents and case', () => {
		expect(fold('José ÁVILA')).toBe('jose avila');
		expect(searchHits(hits, { text: 'jose' }).rows.map((h) => h.id)).toEqual(['1']);
	});

	it('finds by town, code, tax id, email and phone digits', () => {
		expect(
			searchHits(hits, { text: 'avila' })
				.rows.map((h) => h.id)
				.sort()
		).toEqual(['1', '3']);
		expect(searchHits(hits, { text: 'C00002' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(hits, { text: 'x1234567l' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(hits, { text: 'ana@example' }).total).toBe(1);
		expect(searchHits(hits, { text: '600112233' }).rows.map((h) => h.id)).toEqual(['1']);
	});

	it('requires every word and applies filters', () => {
		expect(searchHits(hits, { text: 'avila talleres' }).rows.map((h) => h.id)).toEqual(['3']);
		expect(searchHits(hits, { text: '', stateId: 'baja' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(hits, { text: '', typeId: 'empresa' }).total).toBe(1);
		expect(searchHits(hits, { text: 'nadie' }).total).toBe(0);
	});

	it('finds a phone with or without the country prefix, written either way', () => {
		const phones = buildHits(
			[
				customer('1', 'Sin prefijo', { phone: '690 12 34 56' }),
				customer('2', 'Con prefijo', { mobile: '+34 611 22 33 44' }),
				customer('3', 'Con 0034', { phone2: '0034 622 000 111' }),
				customer('4', 'Francés', { phone: '+33 6 12 34 56 78' })
			],
			[]
		);
		const found = (text: string) => searchHits(phones, { text }).rows.map((h) => h.id);
		for (const text of ['+34 690 12 34 56', '0034 690123456', '34690123456', '690 12 34 56'])
			expect(found(text), text).toEqual(['1']);
		for (const text of ['611 22 33 44', '+34 611 22 33 44', '0034611223344', '+34 611'])
			expect(found(text), text).toEqual(['2']);
		for (const text of ['622000111', '+34 622 000 111', '0034 622'])
			expect(found(text), text).toEqual(['3']);
		expect(found('+33 6 12 34 56 78')).toEqual(['4']);
		expect(found('0033 612345678')).toEqual(['4']);
		// Not a phone: words still have to appear one by one.
		expect(found('+34 nadie')).toEqual([]);
		expect(found('690 99')).toEqual([]);
	});

	it('sorts by name and shows the fiscal town first', () => {
		expect(hits.map((h) => h.name)).toEqual(['Ana Ruiz', 'José Álvarez', 'Talleres Ávila SL']);
		expect(hits.find((h) => h.id === '1')?.town).toBe('Ávila');
	});

	it('caps the rows but counts every match', () => {
		const r = searchHits(hits, { text: '', limit: 2 });
		expect(r.rows).toHaveLength(2);
		expect(r.total).toBe(3);
	});

	it('finds by custom field values (Otros), but not by yes/no answers', () => {
		const withValues = buildHits(
			[customer('1', 'José Álvarez'), customer('2', 'Ana Ruiz')],
			[],
			[
				{ customerId: '2', value: 'Mástil en la azotea' },
				{ customerId: '2', value: 42.5 },
				{ customerId: '1', value: true },
				{ customerId: '1', value: '2026-03-01' }
			]
		);
		expect(searchHits(withValues, { text: 'mastil azotea' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(withValues, { text: '42.5' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(withValues, { text: '2026-03' }).rows.map((h) => h.id)).toEqual(['1']);
		expect(searchHits(withValues, { text: 'si' }).total).toBe(0);
		expect(searchHits(withValues, { text: 'true' }).total).toBe(0);
	});

	it('puts a field equal to the query first, and matches found only as phone digits last', () => {
		const account = (id: string, customerId: string, username: string, staticIp: string) => ({
			id,
			customerId,
			routerId: 'r',
			username,
			password: 'secreto1',
			profile: 'p',
			staticIp,
			offline: false
		});
		const ranked = buildHits(
			[
				customer('1', 'Ana', { phone: '610 01 00 11' }),
				customer('2', 'Berta'),
				customer('3', 'Carla')
			],
			[],
			[],
			{
				pppoeAccount: [
					account('p2', '2', 'berta.fibra.2', '10.0.1.35'),
					account('p3', '3', 'berta.fibra', '10.0.1.3')
				]
			}
		);
		const ids = (text: string) => searchHits(ranked, { text }).rows.map((h) => h.id);
		expect(ids('10.0.1.3')).toEqual(['3', '2']);
		expect(ids('berta.fibra')).toEqual(['3', '2']);
		// "10.0.1.0" is no one's IP, but its digits are in Ana's phone: found, last.
		expect(ids('10.0.1')).toEqual(['2', '3', '1']);
		expect(
			matchTab(
				ranked.find((h) => h.id === '3')!,
				'10.0.1.3'
			)
		).toBe('mikrotik');
		expect(
			matchTab(
				ranked.find((h) => h.id === '2')!,
				'berta'
			)
		).toBe('general');
	});

	it('finds a customer by a device’s serial or MAC, written any way, and opens Equipamiento', () => {
		const found = buildHits([customer('1', 'José'), customer('2', 'Ana')], [], [], {
			equipment: [
				{
					id: 'e1',
					customerId: '2',
					productId: 'p',
					serial: '48575443ABCD1234',
					mac: 'AA:BB:CC:DD:EE:0F',
					ownership: 'alquilado',
					state: 'instalado'
				} as { id: string }
			]
		});
		const ids = (text: string) => searchHits(found, { text }).rows.map((h) => h.id);
		for (const q of ['48575443abcd1234', 'aa:bb:cc:dd:ee:0f', 'AABBCCDDEE0F', 'aa-bb-cc-dd-ee-0f'])
			expect(ids(q), q).toEqual(['2']);
		expect(
			matchTab(
				found.find((h) => h.id === '2')!,
				'AABBCCDDEE0F'
			)
		).toBe('equipamiento');
		// The dump keeps the segment, so a snapshot opens the same tab.
		const set = new HitSet();
		set.applyMany([
			['customer', new Map([['2', customer('2', 'Ana')]])],
			['equipment', new Map([['e1', { id: 'e1', customerId: '2', serial: 'SN-9' }]])]
		]);
		const loaded = new HitSet();
		const dump = set.dump();
		loaded.loadHits(dump.haystacks, dump.parts);
		expect(loaded.loadKids(dump.kids)).toBe(true);
		expect(matchTab(loaded.hits[0], 'sn-9')).toBe('equipamiento');
	});

	it('saves and loads its dump: the hits first (searchable), gen and key with the children', () => {
		const set = new HitSet();
		set.applyMany([
			['customer', new Map(hits.map((h) => [h.id, customer(h.id, h.name, h)] as const))]
		]);
		set.apply('address', new Map([['a1', address('1', 'Ávila', 'fiscal')]]));
		const dump = set.dump();
		// The ids of states and types, each saved once (in the order of the hits).
		expect(dump.parts[0].tags).toEqual(['', 'baja', 'alta', 'empresa']);
		const loaded = new HitSet();
		// Parts that do not hold the haystacks' hits (one lost) load nothing.
		expect(new HitSet().loadHits(dump.haystacks, [])).toBe(false);
		expect(loaded.loadHits(dump.haystacks, dump.parts)).toBe(true);
		expect(loaded.hits.map((h) => [h.name, h.town, h.stateId, h.typeId, h.key])).toEqual(
			set.hits.map((h) => [h.name, h.town, h.stateId, h.typeId, ''])
		);
		expect(searchHits(loaded.hits, { text: 'jose avila' }).total).toBe(1);
		// Children's parts of other hits are refused, not misapplied.
		expect(new HitSet().loadKids(dump.kids)).toBe(false);
		expect(loaded.loadKids(dump.kids)).toBe(true);
		expect(loaded.hits).toEqual(set.hits);
		loaded.apply('address', new Map([['a1', null]]));
		expect(loaded.get('1')?.town).toBe('');
	});
});

describe('HitSet under many changes', () => {
	// One change: a customer written (with one of a few names) or deleted, or one of its two
	// addresses written (with one of a few towns) or deleted.
	const change = fc.oneof(
		fc.record({
			kind: fc.constant<'customer'>('customer'),
			c: fc.integer({ min: 0, max: 7 }),
			name: fc.option(fc.constantFrom('Ana Ruiz', 'José Álvarez', 'Muñoz', 'Munuera', 'Zoe'))
		}),
		fc.record({
			kind: fc.constant<'address'>('address'),
			c: fc.integer({ min: 0, max: 7 }),
			n: fc.integer({ min: 0, max: 1 }),
			town: fc.option(fc.constantFrom('Ávila', 'Segovia', 'Madrid'))
		})
	);
	type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;
	const rowsOf = (batch: Change[]) => {
		const out = new Map<string, Map<string, unknown>>([
			['customer', new Map()],
			['address', new Map()]
		]);
		for (const x of batch) {
			if (x.kind === 'customer') {
				const id = String(x.c);
				out.get('customer')!.set(id, x.name === null ? null : customer(id, x.name));
			} else {
				const id = `a${x.c}-${x.n}`;
				const row = x.town === null ? null : { ...address(String(x.c), x.town), id };
				out.get('address')!.set(id, row);
			}
		}
		return [...out];
	};

	it('reads the same hits, in order, whether changes are merged at every read or all at once', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ batch: fc.array(change, { maxLength: 12 }), read: fc.boolean() }), {
					maxLength: 25
				}),
				(steps) => {
					const stepwise = new HitSet();
					const latest = new Map<string, Map<string, unknown>>();
					for (const { batch, read } of steps) {
						const rows = rowsOf(batch);
						stepwise.applyMany(rows);
						if (read) void stepwise.hits;
						for (const [entity, m] of rows) {
							const into = latest.get(entity) ?? new Map();
							for (const [id, row] of m) into.set(id, row);
							latest.set(entity, into);
						}
					}
					// The final rows alone (deleted ones left out), applied in one go.
					const once = new HitSet();
					once.applyMany(
						[...latest].map(([e, m]) => [e, new Map([...m].filter(([, row]) => row !== null))])
					);
					expect(stepwise.hits).toEqual(once.hits);
					expect(stepwise.size).toBe(once.hits.length);
					const keys = stepwise.hits.map((h) => h.key);
					expect(keys).toEqual([...keys].sort());
				}
			),
			{ numRuns: 300 }
		);
	});

	it("answers from the saved columns as from the loaded hits (the boot script's search)", () => {
		const rows = Array.from({ length: 2 * HIT_PART + 37 }, (_, i) =>
			customer(String(i), `${['Ana', 'José', 'Luis'][i % 3]} ${i % 7 ? 'Ruiz' : 'Ávila'} ${i}`, {
				phone: i % 4 ? `600 00 00 ${String(i).padStart(2, '0')}` : undefined
			})
		);
		const set = new HitSet();
		set.applyMany([['customer', new Map(rows.map((c) => [c.id, c] as const))]]);
		const dump = set.dump();
		const haystack = new PackedColumn(dump.haystacks.haystack, dump.haystacks.n);
		// As the boot script shows a result: from the part it is in.
		const shown = (field: 'id' | 'name') => (i: number) => {
			const part = dump.parts[Math.floor(i / HIT_PART)];
			return new PackedColumn(part[field], part.n).get(i % HIT_PART);
		};
		expect(dump.parts.map((p) => p.n)).toEqual([HIT_PART, HIT_PART, 37]);
		for (const text of [
			'ana',
			'jose avila',
			'ruiz 1',
			'600000012',
			'ana ruiz 12',
			'jose 1036',
			'nadie',
			''
		]) {
			const expected = searchHits(set.hits, { text, limit: 8 });
			const found = searchHaystacks(haystack.n, (i) => haystack.get(i), text, 8);
			expect(found.total, text).toBe(expected.total);
			expect(found.rows.map(shown('id'))).toEqual(expected.rows.map((h) => h.id));
			expect(found.rows.map(shown('name'))).toEqual(expected.rows.map((h) => h.name));
		}
	});

	it('reads every value of a packed column in place, empty ones and the last included', () => {
		fc.assert(
			fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 40 }), (values) => {
				const set = new HitSet();
				const rows = values.map((v, i) =>
					customer(String(i).padStart(3, '0'), `n${i}`, { email: v })
				);
				set.applyMany([['customer', new Map(rows.map((c) => [c.id, c] as const))]]);
				// Forty at most: one part, or none.
				const [part = { email: '', n: 0 }] = set.dump().parts;
				const column = new PackedColumn(part.email, part.n);
				expect(Array.from({ length: part.n }, (_, i) => column.get(i))).toEqual(
					set.hits.map((h) => h.email)
				);
			})
		);
	});
});
