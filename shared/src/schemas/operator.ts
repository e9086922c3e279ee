import { z } from 'zod';
import { Id } from './common';

// PLACEHOLDER — the Datos operadora helper replaces this file (issue #4).
/** One row per customer; its id is the customer's id. */
export const OperatorData = z.object({ id: Id, customerId: Id });
export type OperatorData = z.infer<typeof OperatorData>;
export const OPERATOR_FIELD_LABELS: Record<string, string> = {};
