import { describe, expect, it, vi } from 'vitest';
import { RenewalAssignment, type RenewalPackage } from '@enlace/shared';
import {
	draftOf,
	renewalDraftDocument,
	valuesOf,
	withPackage,
	type RenewalDraft
} from './renewal-form';

// Plain vitest has no $lib alias: the form helpers it uses, from their files.
vi.mock('$lib/forms', async () => ({
	...(await import('../../../forms/numbers')),
	...(await import('../../../forms/values'))
}));

const pkg: RenewalPackage = {
	id: 'p1',
	name: 'Dominio',
	items: ['.es'],
	priceCents: 1500,
	vatRate: 21,
	period: 'yearly',
	active: true
};

describe('the renewal form', () => {
	it('proposes the package price when none is typed, and keeps a typed one', () => {
		expect(withPackage(draftOf(), pkg)).toMatchObject({ packageId: 'p1', price: '15,00' });
		expect(withPackage({ ...draftOf(), price: '12' }, pkg).price).toBe('12');
	});
	it('turns the typed values into a row the schema checks, each bad field named', () => {
		const check = (typed: Partial<RenewalDraft>) =>
			RenewalAssignment.safeParse({
				id: 'a1',
				customerId: 'c1',
				...valuesOf({
					...draftOf(),
					packageId: 'p1',
					startDate: '2026-12-01',
					nextRenewal: '2026-12-01',
					price: '15',
					...typed
				})
			});
		const ok = check({});
		expect(ok.success && ok.data).toMatchObject({ priceCents: 1500, quantity: 1 });
		const bad = check({ nextRenewal: '2026-11-01', price: 'x', quantity: '0' });
		expect(bad.success).toBe(false);
		// The object's fields first: the dates' order is checked once they are right.
		expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
			'priceCents',
			'quantity'
		]);
		const early = check({ nextRenewal: '2026-11-01' });
		expect(early.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['nextRenewal', 'La próxima renovación no puede ser anterior al inicio']
		]);
	});
	it('generates a draft of the kind chosen with the next renewal’s line', () => {
		const a = RenewalAssignment.parse({
			id: 'a1',
			customerId: 'c1',
			packageId: 'p1',
			startDate: '2026-01-31',
			priceCents: 1500,
			quantity: 2,
			nextRenewal: '2027-01-31'
		});
		const doc = renewalDraftDocument(a, pkg, 'albaran', 'd1', '2026-12-03');
		expect(doc).toMatchObject({
			id: 'd1',
			customerId: 'c1',
			kind: 'albaran',
			state: 'borrador',
			date: '2026-12-03'
		});
		expect(doc.lines).toEqual([
			expect.objectContaining({
				packageId: 'p1',
				renewal: { assignmentId: 'a1', from: '2027-01-31', to: '2028-01-30' },
				quantity: 2,
				unitCents: 1500,
				vatRate: 21
			})
		]);
	});
});
