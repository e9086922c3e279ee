/**
 * Texts still waiting for their English or for `t()`, allowed by `catalog.test.ts` until they are
 * done. Only texts under `app/src/lib/features/` belong here, while that folder is being reorganised;
 * an entry no longer needed fails the test, so the list only shrinks. Keep it empty otherwise.
 */
export const PENDING_TEXTS: string[] = [];
