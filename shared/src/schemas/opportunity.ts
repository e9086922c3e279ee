import { z } from 'zod';
import { Cents } from './company';
import { Id, IsoDate, IsoDateTime, text } from './common';

/**
 * Oportunidades (the customer file's Oportunidades tab): sales opportunities of a customer, each
 * with its historial de actuaciones. Stages and types are settings lists; a stage marked `closed`
 * (won or lost) takes the opportunity out of the pipeline's open total.
 */
export const Probability = z
	.number('Probabilidad no válida (de 0 a 100)')
	.int('La probabilidad es un número entero')
	.min(0, 'La probabilidad va de 0 a 100')
	.max(100, 'La probabilidad va de 0 a 100');

export const Opportunity = z.object({
	id: Id,
	customerId: Id,
	title: z.string().trim().min(1, 'Indique el título').max(200, 'Máximo 200 caracteres'),
	typeId: text(64),
	stageId: z.string().min(1, 'Elija la fase').max(64),
	amountCents: Cents.optional(),
	expectedCloseDate: IsoDate.optional(),
	probability: Probability.optional(),
	/** A user id: who follows it up. */
	ownerId: text(64),
	notes: text(5000),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type Opportunity = z.infer<typeof Opportunity>;

/** Fields a user edits (all but ids and timestamps). */
export const OpportunityFields = Opportunity.omit({
	id: true,
	customerId: true,
	createdAt: true,
	updatedAt: true
});

export const OpportunityActionObject = z.object({
	id: Id,
	customerId: Id,
	opportunityId: Id,
	date: IsoDate,
	actionTypeId: z.string().min(1, 'Elija el tipo de actuación').max(64),
	/** Who did it (a technician on site, a salesperson on the phone). */
	userId: z.string().min(1, 'Elija el usuario').max(64),
	comment: z.string().trim().min(1, 'Escriba un comentario').max(5000, 'Máximo 5000 caracteres'),
	nextStepDate: IsoDate.optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});

export function checkOpportunityAction(
	a: Pick<z.infer<typeof OpportunityActionObject>, 'date' | 'nextStepDate'>,
	ctx: z.RefinementCtx
): void {
	if (a.nextStepDate && a.nextStepDate < a.date) {
		ctx.addIssue({
			code: 'custom',
			path: ['nextStepDate'],
			message: 'El próximo paso no puede ser anterior a la actuación'
		});
	}
}

export const OpportunityAction = OpportunityActionObject.superRefine(checkOpportunityAction);
export type OpportunityAction = z.infer<typeof OpportunityAction>;

export const OPPORTUNITY_FIELD_LABELS: Record<string, string> = {
	title: 'Título',
	typeId: 'Tipo de oportunidad',
	stageId: 'Fase',
	amountCents: 'Importe',
	expectedCloseDate: 'Cierre previsto',
	probability: 'Probabilidad',
	ownerId: 'Responsable',
	opportunityId: 'Oportunidad',
	date: 'Fecha',
	actionTypeId: 'Tipo de actuación',
	userId: 'Usuario',
	nextStepDate: 'Próximo paso'
};
