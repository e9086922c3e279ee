import { describe, it, expect } from 'vitest';
import { nextSequenceType, type MandateCollection, type MandateUse } from './sepa-sequence';

const use = (collections: MandateCollection[], over: Partial<MandateUse> = {}): MandateUse => ({
	kind: 'recurrent',
	signedOn: '2025-01-15',
	collections,
	collectionDate: '2026-12-10',
	...over
});
const c = (
	date: string,
	sequenceType: MandateCollection['sequenceType'],
	outcome: MandateCollection['outcome'] = 'collected'
): MandateCollection => ({ date, sequenceType, outcome });
const ok = (value: string) => ({ ok: true, value });

describe('nextSequenceType', () => {
	it('starts a recurrent mandate with FRST, then RCUR', () => {
		expect(nextSequenceType(use([]))).toEqual(ok('FRST'));
		expect(nextSequenceType(use([c('2026-11-10', 'FRST')]))).toEqual(ok('RCUR'));
		expect(nextSequenceType(use([c('2026-10-10', 'FRST'), c('2026-11-10', 'RCUR')]))).toEqual(
			ok('RCUR')
		);
	});

	it('counts a FRST sent but not yet settled as used', () => {
		expect(nextSequenceType(use([c('2026-11-10', 'FRST', 'sent')]))).toEqual(ok('RCUR'));
	});

	it('repeats FRST after the first collection was returned or rejected', () => {
		expect(nextSequenceType(use([c('2026-11-10', 'FRST', 'returned')]))).toEqual(ok('FRST'));
		expect(
			nextSequenceType(
				use([c('2026-10-10', 'FRST', 'returned'), c('2026-11-10', 'FRST', 'returned')])
			)
		).toEqual(ok('FRST'));
		// A returned RCUR does not undo the FRST that went through.
		expect(
			nextSequenceType(use([c('2026-10-10', 'FRST'), c('2026-11-10', 'RCUR', 'returned')]))
		).toEqual(ok('RCUR'));
	});

	it('marks the last collection FNAL and refuses any after it', () => {
		expect(nextSequenceType(use([c('2026-11-10', 'FRST')], { last: true }))).toEqual(ok('FNAL'));
		// A first collection that is also the last goes as FRST.
		expect(nextSequenceType(use([], { last: true }))).toEqual(ok('FRST'));
		expect(nextSequenceType(use([c('2026-10-10', 'FRST'), c('2026-11-10', 'FNAL')]))).toEqual({
			ok: false,
			message: 'El mandato ya tuvo su último adeudo (FNAL)'
		});
		// A returned FNAL did not end the mandate.
		expect(
			nextSequenceType(
				use([c('2026-10-10', 'FRST'), c('2026-11-10', 'FNAL', 'returned')], { last: true })
			)
		).toEqual(ok('FNAL'));
	});

	it('uses a one-off mandate once, OOFF', () => {
		const oneOff = { kind: 'oneOff' as const };
		expect(nextSequenceType(use([], oneOff))).toEqual(ok('OOFF'));
		expect(nextSequenceType(use([c('2026-11-10', 'OOFF', 'returned')], oneOff))).toEqual(
			ok('OOFF')
		);
		expect(nextSequenceType(use([c('2026-11-10', 'OOFF')], oneOff))).toEqual({
			ok: false,
			message: 'El mandato de pago único ya se ha usado'
		});
	});

	it('goes on with RCUR for a mandate migrated from Cuaderno 19', () => {
		expect(
			nextSequenceType(
				use([], { signedOn: '2009-10-31', migratedQ19: true, collectionDate: '2011-01-10' })
			)
		).toEqual(ok('RCUR'));
	});

	it('refuses a mandate lapsed after 36 months without collections', () => {
		expect(nextSequenceType(use([c('2023-12-10', 'RCUR')]))).toEqual(ok('RCUR'));
		expect(nextSequenceType(use([c('2023-12-09', 'RCUR')]))).toEqual({
			ok: false,
			message:
				'El mandato ha caducado: 36 meses sin adeudos desde el 2023-12-09; hay que firmar uno nuevo'
		});
		// Never used: counted from the signature.
		expect(nextSequenceType(use([], { signedOn: '2020-01-01' })).ok).toBe(false);
		// Returned collections do not keep a mandate alive.
		expect(
			nextSequenceType(use([c('2021-01-10', 'FRST'), c('2026-11-10', 'RCUR', 'returned')])).ok
		).toBe(false);
	});

	it('refuses a collection before the signature', () => {
		expect(nextSequenceType(use([], { collectionDate: '2025-01-14' }))).toEqual({
			ok: false,
			message: 'La fecha de cobro es anterior a la firma del mandato'
		});
	});
});
