import { z } from 'zod';
import { Id } from './common';

// PLACEHOLDER — the Otros helper replaces this file (issue #4).
/** A custom customer field defined in Configuración (global). */
export const CustomField = z.object({ id: Id });
export type CustomField = z.infer<typeof CustomField>;
/** One value of one custom field for one customer; id = `${customerId}:${fieldId}`. */
export const CustomFieldValue = z.object({ id: Id, customerId: Id, fieldId: Id });
export type CustomFieldValue = z.infer<typeof CustomFieldValue>;
export const CUSTOM_FIELD_LABELS: Record<string, string> = {};
