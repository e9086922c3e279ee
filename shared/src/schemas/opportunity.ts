import { z } from 'zod';
import { Id } from './common';

// PLACEHOLDER — the Oportunidades helper replaces this file (issue #4).
export const Opportunity = z.object({ id: Id, customerId: Id });
export type Opportunity = z.infer<typeof Opportunity>;
export const OpportunityAction = z.object({ id: Id, customerId: Id, opportunityId: Id });
export type OpportunityAction = z.infer<typeof OpportunityAction>;
export const OPPORTUNITY_FIELD_LABELS: Record<string, string> = {};
