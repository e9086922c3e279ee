import type { Mutator } from './types';

// PLACEHOLDER — filled in by the work on this domain.
export const financeMutators: Mutator[] = [];
