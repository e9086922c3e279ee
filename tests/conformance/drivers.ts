/**
 * The three clients that drive the conformance script. Each returns one StepOutcome per step, in
 * the shared shape of script.ts, so the test can hold all of them to the same expectations.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RouterOSAPI } from 'node-routeros';
import { RouterOsClient } from '../../edge-agent/src/routeros/client';
import { RouterOsTrapError } from '../../edge-agent/src/routeros/errors';
import type { FakeRouterVersion } from '../fake-router/fake-router';
import { STEPS, USER, resolveWords, splitDoneRow, textValues } from './script';
import type { Row, StepOutcome } from './script';

export type Target = { host: string; port: number; version: FakeRouterVersion };

/** Our client: `run()` keeps rows and `!done` apart, so no splitting is needed. */
export async function runWithRouterOsClient(target: Target): Promise<StepOutcome[]> {
	const api = new RouterOsClient({
		host: target.host,
		port: target.port,
		user: USER.name,
		password: USER.password,
		commandTimeoutMs: 5000
	});
	await api.connect();
	const vars: Record<string, string> = {};
	const outcomes: StepOutcome[] = [];
	try {
		for (const step of STEPS) {
			try {
				const reply = await api.run(resolveWords(step.words, vars));
				if (step.capture && reply.done.ret) vars[step.capture] = reply.done.ret;
				outcomes.push({
					id: step.id,
					ok: true,
					rows: reply.rows,
					...(reply.done.ret === undefined ? {} : { ret: reply.done.ret })
				});
			} catch (error) {
				if (!(error instanceof RouterOsTrapError)) throw error;
				const trap =
					error.category === undefined
						? { message: error.message }
						: { message: error.message, category: error.category };
				outcomes.push({ id: step.id, ok: false, trap });
			}
		}
	} finally {
		await api.close();
	}
	return outcomes;
}

export type NodeRouterosOptions = {
	/** A step still unsettled after this long is reported as `pending`. */
	stepTimeoutMs: number;
	onStep?: (outcome: StepOutcome) => void;
	/** Errors node-routeros emits on its `'error'` event (without a listener they crash). */
	errors?: unknown[];
};

const PENDING = Symbol('pending');

/**
 * node-routeros 1.6.9: `write()` resolves with `!re` rows plus the `!done` attributes as a last
 * row, and rejects a `!trap` with a plain `Error(message)` (category dropped; docs/router-work.md ›
 * Why our own client).
 */
export async function runWithNodeRouteros(
	target: Target,
	options: NodeRouterosOptions
): Promise<{ outcomes: StepOutcome[]; api: RouterOSAPI }> {
	const api = new RouterOSAPI({
		host: target.host,
		port: target.port,
		user: USER.name,
		password: USER.password,
		timeout: 5
	});
	api.on('error', (error: unknown) => options.errors?.push(error));
	await api.connect();
	const vars: Record<string, string> = {};
	const outcomes: StepOutcome[] = [];
	for (const step of STEPS) {
		const words = resolveWords(step.words, vars);
		const settled = api.write([...words]).then(
			(rows) => ({ ok: true as const, rows: rows as Row[] }),
			(error: unknown) => ({ ok: false as const, error })
		);
		const result = await Promise.race([
			settled,
			new Promise<typeof PENDING>((resolve) =>
				setTimeout(() => resolve(PENDING), options.stepTimeoutMs)
			)
		]);
		let outcome: StepOutcome;
		if (result === PENDING) outcome = { id: step.id, pending: true };
		else if (result.ok) {
			const split = splitDoneRow(result.rows.map(textValues));
			if (step.capture && split.ret) vars[step.capture] = split.ret;
			outcome = { id: step.id, ok: true, ...split };
		} else {
			const error = result.error as Error;
			outcome = { id: step.id, ok: false, trap: { message: error.message } };
		}
		outcomes.push(outcome);
		options.onStep?.(outcome);
	}
	return { outcomes, api };
}

type PythonStep =
	| { id: StepOutcome['id']; ok: true; rows: Record<string, unknown>[] }
	| { id: StepOutcome['id']; ok: false; trap: { message: string; category: number | null } };

export type LibrouterosResult = {
	librouteros: string | null;
	login: { ok: boolean; error?: string; message?: string };
	steps: PythonStep[];
	error?: { error: string; message: string };
};

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./librouteros_session.py', import.meta.url));

/** Runs librouteros_session.py; `login: 'token'` is librouteros's pre-6.43 challenge login. */
export async function runWithLibrouteros(
	target: Target
): Promise<{ outcomes: StepOutcome[]; raw: LibrouterosResult }> {
	const input = JSON.stringify({
		host: target.host,
		port: target.port,
		user: USER.name,
		password: USER.password,
		login: target.version === '6.42' ? 'token' : 'plain',
		steps: STEPS
	});
	const { stdout, stderr, code } = await new Promise<{
		stdout: string;
		stderr: string;
		code: number | null;
	}>((resolve, reject) => {
		const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.on('error', reject);
		child.on('close', (exit) => resolve({ stdout: out, stderr: err, code: exit }));
		child.stdin.end(input);
	});
	if (code !== 0) throw new Error(`librouteros_session.py exited with ${code}: ${stderr}`);
	const raw = JSON.parse(stdout) as LibrouterosResult;
	const outcomes = raw.steps.map((step): StepOutcome => {
		if (step.ok) return { id: step.id, ok: true, ...splitDoneRow(step.rows.map(textValues)) };
		const trap =
			step.trap.category === null
				? { message: step.trap.message }
				: { message: step.trap.message, category: step.trap.category };
		return { id: step.id, ok: false, trap };
	});
	return { outcomes, raw };
}
