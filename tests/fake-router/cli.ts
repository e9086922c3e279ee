/**
 * Starts one fake router for the demo: `node --import tsx tests/fake-router/cli.ts`.
 * Environment: FAKE_ROUTER_PORT (8728), FAKE_ROUTER_HOST (127.0.0.1), FAKE_ROUTER_VERSION
 * (7.18 | 6.49 | 6.42), FAKE_ROUTER_USER (admin), FAKE_ROUTER_PASSWORD (admin),
 * FAKE_ROUTER_IDENTITY (FakeRouter). Stops on SIGINT/SIGTERM.
 */
import { startFakeRouter } from './fake-router';
import type { FakeRouterVersion } from './fake-router';

const VERSIONS: readonly FakeRouterVersion[] = ['6.42', '6.49', '7.18'];

async function main(): Promise<void> {
	const env = process.env;
	const port = Number(env.FAKE_ROUTER_PORT ?? 8728);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`FAKE_ROUTER_PORT is not a port: ${env.FAKE_ROUTER_PORT}`);
	}
	const version = (env.FAKE_ROUTER_VERSION ?? '7.18') as FakeRouterVersion;
	if (!VERSIONS.includes(version)) {
		throw new Error(`FAKE_ROUTER_VERSION must be one of ${VERSIONS.join(', ')}`);
	}
	const user = {
		name: env.FAKE_ROUTER_USER ?? 'admin',
		password: env.FAKE_ROUTER_PASSWORD ?? 'admin'
	};
	const router = await startFakeRouter({
		host: env.FAKE_ROUTER_HOST ?? '127.0.0.1',
		port,
		version,
		users: [user],
		identity: env.FAKE_ROUTER_IDENTITY ?? 'FakeRouter',
		// A demo ping should feel like a router's, not like a unit test's.
		pingIntervalMs: 300,
		// The suspension profile and pools that "Suspender servicio" expects (docs/router-work.md).
		seed: {
			'/ip/pool': [
				{ name: 'pool-clientes', ranges: '100.64.10.2-100.64.10.254' },
				{ name: 'pool-offline', ranges: '100.64.250.2-100.64.250.254' }
			],
			'/ppp/profile': [
				{
					name: 'offline',
					'local-address': '100.64.250.1',
					'remote-address': 'pool-offline',
					'rate-limit': '256k/256k',
					'address-list': 'offline'
				}
			]
		}
	});
	console.log(
		`fake RouterOS ${version} API on ${router.host}:${router.port} ` +
			`(user ${user.name}, password ${user.password}; fake credentials for the demo only)`
	);
	const stop = (): void => {
		router.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			}
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
