import { afterAll, beforeAll } from 'vitest';
import { startTwoServersOnSqld, type TestServer, type TwoServers } from './server';

/**
 * Two sync-servers on one fresh sqld for the enclosing suite (started before its tests, stopped
 * after): `servers.a` and `servers.b` once the suite runs.
 */
export function twoServersForSuite(env: Record<string, string> = {}): {
	readonly a: TestServer;
	readonly b: TestServer;
} {
	let two: TwoServers | undefined;
	beforeAll(async () => {
		two = await startTwoServersOnSqld(env);
	});
	afterAll(async () => {
		await two?.close();
	});
	const started = () => {
		if (!two) throw new Error('the two servers are not started yet');
		return two;
	};
	return {
		get a() {
			return started().a;
		},
		get b() {
			return started().b;
		}
	};
}
