import { formValue, parseEuros, parseInteger, parsePercent } from '@enlace/shared';

/*
 * Typed text as the number a form object carries to its zod schema: undefined when the input is
 * empty, NaN when it is not a number (the schema then reports it on that field). Negatives pass
 * through, so the schema's own range message is the one the user reads.
 */

/** Euros as typed (`1.234,5`) → cents. */
export const centsValue = (text: string) => formValue(parseEuros(text, { negative: true }));

/** A percentage as typed (`12,5 %`) → 12.5. */
export const percentValue = (text: string) => formValue(parsePercent(text, { negative: true }));

/** A whole number as typed (`1.200`) → 1200. */
export const integerValue = (text: string) => formValue(parseInteger(text, { negative: true }));
