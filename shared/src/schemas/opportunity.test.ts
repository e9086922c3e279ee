import { describe, expect, it } from 'vitest';
import { Opportunity, OpportunityAction } from './opportunity';

const base = {
	id: 'op-1',
	customerId: 'cu-1',
	title: 'Fibra 600 Mb',
	stageId: 'opportunityStage-oferta'
};

describe('opportunity schema', () => {
	it('takes probability as a whole number from 0 to 100', () => {
		for (const ok of [0, 35, 100]) {
			expect(Opportunity.safeParse({ ...base, probability: ok }).success, String(ok)).toBe(true);
		}
		for (const bad of [-1, 101, 50.5, '50']) {
			const r = Opportunity.safeParse({ ...base, probability: bad });
			expect(r.success, String(bad)).toBe(false);
			expect(r.error?.issues[0].path).toEqual(['probability']);
		}
		expect(Opportunity.safeParse({ ...base, probability: 101 }).error?.issues[0].message).toBe(
			'La probabilidad va de 0 a 100'
		);
	});

	it('takes the amount in whole, non-negative cents', () => {
		expect(Opportunity.parse({ ...base, amountCents: 123_456 }).amountCents).toBe(123_456);
		for (const bad of [-100, 10.5, 1e16, '1000']) {
			const r = Opportunity.safeParse({ ...base, amountCents: bad });
			expect(r.success, String(bad)).toBe(false);
			expect(r.error?.issues[0].path).toEqual(['amountCents']);
		}
	});

	it('needs a title and a stage', () => {
		const r = Opportunity.safeParse({ ...base, title: '  ', stageId: '' });
		expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['title', 'Indique el título'],
			['stageId', 'Elija la fase']
		]);
	});
});

describe('opportunity action schema', () => {
	const action = {
		id: 'a-1',
		customerId: 'cu-1',
		opportunityId: 'op-1',
		date: '2026-03-10',
		actionTypeId: 'historyAction-visita',
		userId: 'u-1',
		comment: 'Medición de cobertura en la nave'
	};
	it('refuses a next step before the action', () => {
		expect(OpportunityAction.safeParse({ ...action, nextStepDate: '2026-03-10' }).success).toBe(
			true
		);
		const r = OpportunityAction.safeParse({ ...action, nextStepDate: '2026-03-09' });
		expect(r.error?.issues[0]).toMatchObject({
			path: ['nextStepDate'],
			message: 'El próximo paso no puede ser anterior a la actuación'
		});
	});
	it('needs a comment and a date', () => {
		expect(OpportunityAction.safeParse({ ...action, comment: ' ' }).success).toBe(false);
		expect(OpportunityAction.safeParse({ ...action, date: '10/03/2026' }).success).toBe(false);
	});
});
