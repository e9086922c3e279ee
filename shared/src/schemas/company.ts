import { z } from 'zod';
import { Id } from './common';

// PLACEHOLDER — the Sociedades helper replaces this file (issue #4).
export const Company = z.object({ id: Id, customerId: Id });
export type Company = z.infer<typeof Company>;
export const COMPANY_FIELD_LABELS: Record<string, string> = {};
