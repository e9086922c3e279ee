export * from './tax-id';
export * from './iban';
export * from './bic';
export * from './sepa';
export * from './money';
export * from './phone';
export * from './row-shapes';
export * from './previo';
