import { z } from 'zod';
import { Id } from './common';

// PLACEHOLDER — the Datos financieros helper replaces this file (issue #4).
export const PaymentMethod = z.object({ id: Id, customerId: Id });
export type PaymentMethod = z.infer<typeof PaymentMethod>;
export const FINANCE_FIELD_LABELS: Record<string, string> = {};
