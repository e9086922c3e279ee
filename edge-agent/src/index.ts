/**
 * `npm run agent` (edge-agent) or `node --import tsx edge-agent/src/index.ts`: the only file with
 * process-wide side effects. Config errors exit with status 2 before anything starts; after
 * that the agent runs until SIGTERM/SIGINT, and nothing a router or the server does may end it.
 */
import { ConfigError, loadConfig, type AgentConfig } from './config';
import { createLogger, isLogLevel } from './log';
import { startAgent } from './runner';

let config: AgentConfig;
try {
	config = loadConfig(process.env);
} catch (error) {
	if (!(error instanceof ConfigError)) throw error;
	process.stderr.write(`enlace-agent: ${error.message}\n`);
	process.exit(2);
}

const envLevel = process.env.ENLACE_LOG_LEVEL;
const log = createLogger({ level: envLevel && isLogLevel(envLevel) ? envLevel : config.logLevel });
log.addSecret(config.token);
for (const router of config.routers) log.addSecret(router.password);

// Last-resort guards: every loop catches its own errors, so reaching these is a bug. A daemon
// that dies on one takes every router's provisioning down with it; log loudly and keep going.
process.on('unhandledRejection', (reason) => {
	log.error('process.unhandled-rejection', {
		error: reason,
		stack: reason instanceof Error ? reason.stack : undefined
	});
});
process.on('uncaughtException', (error) => {
	log.error('process.uncaught-exception', { error, stack: error.stack });
});

const agent = startAgent(config, { log });

let signals = 0;
const shutdown = (signal: NodeJS.Signals): void => {
	signals += 1;
	if (signals > 1) {
		log.warn('agent.forced-exit', { signal });
		process.exit(1);
	}
	log.info('agent.stopping', { signal });
	agent.stop().then(
		() => process.exit(0),
		(error: unknown) => {
			log.error('agent.stop-failed', { error });
			process.exit(1);
		}
	);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
