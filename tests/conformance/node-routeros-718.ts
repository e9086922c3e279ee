/**
 * Child process for routeros.test.ts: runs the conformance script through node-routeros 1.6.9
 * against a fake router in 7.18 mode. Its `!empty` handling throws from inside the socket data
 * handler, which can only be observed (or survived) at process level, hence a separate process.
 *
 * env: ROUTER_HOST, ROUTER_PORT; GUARD=1 installs an uncaughtException handler so the run can
 * report what happens afterwards; without it the process dies like a production agent would.
 * stdout: one JSON object per line: {step}, {uncaught}, {end}.
 */
import { runWithNodeRouteros } from './drivers';

const emit = (value: unknown): void => {
	process.stdout.write(JSON.stringify(value) + '\n');
};

if (process.env.GUARD === '1') {
	process.on('uncaughtException', (error: Error & { errno?: string }) => {
		emit({ uncaught: { name: error.name, errno: error.errno, message: error.message } });
	});
}

const errors: unknown[] = [];
runWithNodeRouteros(
	{
		host: process.env.ROUTER_HOST ?? '127.0.0.1',
		port: Number(process.env.ROUTER_PORT),
		version: '7.18'
	},
	{ stepTimeoutMs: 400, onStep: (step) => emit({ step }), errors }
).then(
	() => {
		emit({ end: true, apiErrors: errors.map(String) });
		// node-routeros still holds the wedged socket open; leave without waiting for it.
		process.exit(0);
	},
	(error: unknown) => {
		emit({ failed: String(error) });
		process.exit(2);
	}
);
