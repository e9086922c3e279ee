// Expected validator and parser results for the domain tests, so each case reads as one line.

export const accepted = <T>(value: T) => ({ ok: true, value }) as const;
export const refused = (message: string) => ({ ok: false, message }) as const;
/** The number parsers in money.ts name their refusal `error`. */
export const refusedNumber = (error: string) => ({ ok: false, error }) as const;
