import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Opportunity } from '@enlace/shared';
import { NO_OWNER, buildPipeline } from './pipeline';

const stages = DEFAULT_SETTINGS.filter((s) => s.list === 'opportunityStage');
let n = 0;
const opp = (
	stage: string,
	amountCents?: number,
	extra: Partial<Opportunity> = {}
): Opportunity => ({
	id: `op-${++n}`,
	customerId: 'cu-1',
	title: `Oportunidad ${n}`,
	stageId: `opportunityStage-${stage}`,
	...(amountCents === undefined ? {} : { amountCents }),
	...extra
});

describe('the office pipeline', () => {
	const list = [
		opp('contacto', 100_000, { ownerId: 'ana', probability: 10 }),
		opp('oferta', 250_000, { ownerId: 'luis', probability: 50, expectedCloseDate: '2026-05-01' }),
		opp('oferta', 50_000, { ownerId: 'ana', probability: 50, expectedCloseDate: '2026-04-01' }),
		opp('ganada', 400_000, { ownerId: 'ana', probability: 100 }),
		opp('perdida', 80_000, { probability: 0 }),
		opp('negociacion'),
		opp('borrada', 7_000)
	];

	it('has one column per stage in order, with count and amount, and the open total', () => {
		const p = buildPipeline(list, stages);
		expect(p.columns.map((c) => [c.stage?.name ?? 'Sin fase', c.count, c.totalCents])).toEqual([
			['Primer contacto', 1, 100_000],
			['Oferta enviada', 2, 300_000],
			['Negociación', 1, 0],
			['Ganada', 1, 400_000],
			['Perdida', 1, 80_000],
			['Sin fase', 1, 7_000]
		]);
		// Won and lost are closed; an unknown stage is still open work.
		expect(p.openCount).toBe(5);
		expect(p.openTotalCents).toBe(407_000);
		expect(p.weightedCents).toBe(10_000 + 125_000 + 25_000);
		// Within a column, the soonest expected close first.
		expect(p.columns[1].items.map((o) => o.expectedCloseDate)).toEqual([
			'2026-04-01',
			'2026-05-01'
		]);
	});

	it('filters by owner, and by "no owner"', () => {
		const ana = buildPipeline(list, stages, 'ana');
		expect(ana.columns.map((c) => c.count)).toEqual([1, 1, 0, 1, 0]);
		expect(ana.openTotalCents).toBe(150_000);
		const nobody = buildPipeline(list, stages, NO_OWNER);
		expect(nobody.openCount).toBe(2);
		expect(nobody.columns.find((c) => c.stage?.name === 'Perdida')?.count).toBe(1);
	});

	it('hides an inactive stage unless it still holds opportunities', () => {
		const retired = stages.map((s) =>
			s.id === 'opportunityStage-negociacion' || s.id === 'opportunityStage-contacto'
				? { ...s, active: false }
				: s
		);
		const withoutNegotiation = list.filter((o) => o.stageId !== 'opportunityStage-negociacion');
		const names = buildPipeline(withoutNegotiation, retired).columns.map((c) => c.stage?.name);
		expect(names).toContain('Primer contacto');
		expect(names).not.toContain('Negociación');
	});
});
