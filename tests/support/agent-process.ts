// The edge agent as the service runs it: `node --import tsx edge-agent/src/index.ts` in a child
// process with its own temporary config file, so a test can SIGKILL it mid-job or SIGTERM it and
// watch it exit. Its log lines are kept for assertions (and shown when a test fails to start it).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type AgentProcess = {
	readonly pid: number;
	/** Every line the agent wrote so far (stdout and stderr, in arrival order). */
	readonly lines: readonly string[];
	/** Resolves with the exit code (or the signal's name) once the process has ended. */
	readonly exited: Promise<number | NodeJS.Signals>;
	/** Resolves with the first line matching `pattern` (already written or still to come). */
	waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
	kill(signal: NodeJS.Signals): void;
	/** SIGKILL if still running, wait for the exit, remove the temporary config. Idempotent. */
	close(): Promise<void>;
};

export type AgentProcessOptions = {
	/** Extra environment (ENLACE_LOG_LEVEL, ENLACE_AGENT_TOKEN…). */
	env?: Record<string, string>;
};

/** Starts the agent with `config` written to a temporary agent.json. */
export function spawnAgent(config: unknown, options: AgentProcessOptions = {}): AgentProcess {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-agent-'));
	const configPath = path.join(dir, 'agent.json');
	fs.writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
	let child: ChildProcess;
	try {
		child = spawn(process.execPath, ['--import', 'tsx', 'edge-agent/src/index.ts'], {
			cwd: REPO_ROOT,
			env: {
				...process.env,
				ENLACE_AGENT_CONFIG: configPath,
				ENLACE_LOG_LEVEL: 'debug',
				...options.env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
	} catch (error) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	}
	const lines: string[] = [];
	const listeners = new Set<(line: string) => void>();
	const collect = (stream: NodeJS.ReadableStream | null) => {
		let buffered = '';
		stream?.setEncoding('utf8');
		stream?.on('data', (chunk: string) => {
			buffered += chunk;
			const parts = buffered.split('\n');
			buffered = parts.pop() ?? '';
			for (const line of parts) {
				lines.push(line);
				for (const listener of listeners) listener(line);
			}
		});
	};
	collect(child.stdout);
	collect(child.stderr);

	const exited = new Promise<number | NodeJS.Signals>((resolve) => {
		child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
	});

	const waitForLine = (pattern: RegExp, timeoutMs = 15_000): Promise<string> => {
		const seen = lines.find((line) => pattern.test(line));
		if (seen !== undefined) return Promise.resolve(seen);
		return new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => {
				listeners.delete(listener);
				reject(
					new Error(`agent never logged ${pattern}; its output:\n${lines.slice(-40).join('\n')}`)
				);
			}, timeoutMs);
			const listener = (line: string) => {
				if (!pattern.test(line)) return;
				clearTimeout(timer);
				listeners.delete(listener);
				resolve(line);
			};
			listeners.add(listener);
		});
	};

	let closed: Promise<void> | undefined;
	return {
		get pid() {
			return child.pid ?? -1;
		},
		lines,
		exited,
		waitForLine,
		kill: (signal) => {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
		},
		close() {
			closed ??= (async () => {
				if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
				await exited;
				fs.rmSync(dir, { recursive: true, force: true });
			})();
			return closed;
		}
	};
}
