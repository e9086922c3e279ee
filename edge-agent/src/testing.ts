// Test support for the agent's unit tests (not used by the agent itself).

/** Settles with the rejection reason (or fails the test if it resolves). */
export async function failure(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the promise to reject');
}
