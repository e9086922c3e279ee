import { isLogLevel, LOG_LEVELS, type LogLevel } from '../../edge-agent/src/log';
import path from 'node:path';
import {
	Problem,
	directory,
	integer,
	loadConfig,
	readSettings,
	setting,
	type Config
} from '../../sync-server/src/config';

/** The demo's own settings, beside the server's; README's configuration table shows them. */
export const DEMO_SETTINGS = {
	dataDir: setting({
		variable: 'DEMO_DATA_DIR',
		default: '$DATA_DIR/demo',
		meaning:
			'`npm run demo`: its data directory, wiped on each run (only if a demo made it); the demo always uses an embedded database there',
		parse: directory
	}),
	routerPort: setting({
		variable: 'DEMO_ROUTER_PORT',
		default: '8728',
		meaning: "`npm run demo`: the fake MikroTik router's API port (another free one if taken)",
		parse: integer(0, 65535, '')
	}),
	agentLog: setting({
		variable: 'DEMO_AGENT_LOG',
		default: 'warn',
		meaning: `\`npm run demo\`: log level of its edge agent (${LOG_LEVELS.join(', ')})`,
		parse: (raw): LogLevel => {
			if (!isLogLevel(raw)) throw new Problem(`debe ser ${LOG_LEVELS.join(', ')}, no «${raw}»`);
			return raw;
		}
	})
};

/**
 * The server's settings as given (PORT, HOST, DATA_DIR…), then the demo's; the server runs over
 * the demo's directory, on an embedded database there, with the demo's administrator. Throws
 * ConfigError on a bad value.
 */
export function demoConfig(env: NodeJS.ProcessEnv, admin: { email: string; password: string }) {
	const given = loadConfig(env);
	const demo = readSettings(DEMO_SETTINGS, env, { DATA_DIR: given.dataDir });
	const server: Config = loadConfig({
		...env,
		DATA_DIR: demo.dataDir,
		DATABASE_URL: `file:${path.join(demo.dataDir, 'enlace.db')}`,
		ADMIN_EMAIL: admin.email,
		ADMIN_PASSWORD: admin.password
	});
	return { server, demo };
}
