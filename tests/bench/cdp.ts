import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';

/**
 * Chromium driven over the DevTools protocol alone, for what the bench times in a page whose
 * instrument must not weigh on it. Playwright attaches to every page and worker it sees: it
 * turns on the network instrumentation (each request the page makes costs its main thread more;
 * 25 links in a page's head took 140–300 ms of a 4× slowed page under Playwright, 16–120 ms
 * without) and holds each new worker until its own process has answered (a worker started
 * 100–150 ms after `new Worker` without Playwright, 270–330 ms with it, and 600–750 ms while
 * the bench's process was busy serving the app's scripts). Here nothing is enabled but what a
 * measure asks for, and workers start on their own.
 */
export class Cdp {
	private lastId = 0;
	private readonly waiting = new Map<
		number,
		{ resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }
	>();
	private readonly listeners = new Set<(method: string, params: never, session?: string) => void>();
	private readonly exited: Promise<void>;

	private constructor(
		private readonly child: ChildProcess,
		private readonly input: Writable,
		output: Readable
	) {
		let pending = '';
		output.setEncoding('utf8');
		output.on('data', (chunk: string) => {
			pending += chunk;
			for (let end = pending.indexOf('\0'); end >= 0; end = pending.indexOf('\0')) {
				this.receive(JSON.parse(pending.slice(0, end)));
				pending = pending.slice(end + 1);
			}
		});
		this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
		void this.exited.then(() => {
			for (const w of this.waiting.values())
				w.reject(new Error(`Chromium exited during ${w.method}`));
			this.waiting.clear();
		});
	}

	/** Chromium (headless) with `args` and the profile `userDataDir`, its protocol on a pipe. */
	static launch(executable: string, userDataDir: string, args: string[]): Cdp {
		const child = spawn(
			executable,
			[
				...args,
				// As Playwright launched it: the profile's cookies are sealed with this store's key,
				// and a tab of a headless browser is not treated as a background one.
				'--password-store=basic',
				'--use-mock-keychain',
				'--disable-background-timer-throttling',
				'--disable-backgrounding-occluded-windows',
				'--disable-renderer-backgrounding',
				'--headless',
				'--remote-debugging-pipe',
				`--user-data-dir=${userDataDir}`,
				'about:blank'
			],
			{ stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] }
		);
		return new Cdp(child, child.stdio[3] as Writable, child.stdio[4] as Readable);
	}

	private receive(message: {
		id?: number;
		result?: unknown;
		error?: { message: string };
		method?: string;
		params?: unknown;
		sessionId?: string;
	}) {
		if (message.id !== undefined) {
			const w = this.waiting.get(message.id);
			this.waiting.delete(message.id);
			if (message.error) w?.reject(new Error(`${w.method}: ${message.error.message}`));
			else w?.resolve(message.result);
		} else if (message.method) {
			for (const fn of this.listeners)
				fn(message.method, message.params as never, message.sessionId);
		}
	}

	send<T = Record<string, unknown>>(
		method: string,
		params: Record<string, unknown> = {},
		sessionId?: string
	): Promise<T> {
		const id = ++this.lastId;
		return new Promise<T>((resolve, reject) => {
			this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
			this.input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
		});
	}

	/** The next event `method` (of `sessionId`, if given) whose params pass `test`. */
	event<T>(
		method: string,
		sessionId?: string,
		test: (params: T) => boolean = () => true
	): Promise<T> {
		return new Promise((resolve) => {
			const listener = (m: string, params: never, session?: string) => {
				if (m !== method || (sessionId && session !== sessionId) || !test(params)) return;
				this.listeners.delete(listener);
				resolve(params);
			};
			this.listeners.add(listener);
		});
	}

	/** A new tab, attached: its session id and target id. */
	async newPage(): Promise<{ session: string; target: string }> {
		const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', {
			url: 'about:blank'
		});
		const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', {
			targetId,
			flatten: true
		});
		return { session: sessionId, target: targetId };
	}

	/** `expression` in the page, awaited, its value returned (JSON-able). */
	async evaluate<T>(session: string, expression: string): Promise<T> {
		const r = await this.send<{
			result: { value?: T };
			exceptionDetails?: { exception?: { description?: string }; text: string };
		}>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, session);
		if (r.exceptionDetails)
			throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
		return r.result.value as T;
	}

	/** Trace the whole browser with `categories` until `stop` is called; written to `file`. */
	async startTracing(categories: string[]): Promise<(file: string) => Promise<void>> {
		await this.send('Tracing.start', {
			traceConfig: { includedCategories: categories, recordMode: 'recordAsMuchAsPossible' },
			transferMode: 'ReturnAsStream'
		});
		return async (file) => {
			const complete = this.event<{ stream: string }>('Tracing.tracingComplete');
			await this.send('Tracing.end');
			const { stream } = await complete;
			const out = fs.openSync(file, 'w');
			try {
				for (;;) {
					const chunk = await this.send<{ data: string; eof: boolean; base64Encoded?: boolean }>(
						'IO.read',
						{ handle: stream }
					);
					fs.writeSync(out, Buffer.from(chunk.data, chunk.base64Encoded ? 'base64' : 'utf8'));
					if (chunk.eof) break;
				}
			} finally {
				fs.closeSync(out);
				await this.send('IO.close', { handle: stream });
			}
		};
	}

	/** Close the browser (its profile stays). */
	async close(): Promise<void> {
		await this.send('Browser.close').catch(() => undefined);
		const killed = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
		await this.exited;
		clearTimeout(killed);
	}
}
