import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createSession, createUser } from '../auth/sessions';
import { migrate, openDb, type Db } from '../db/client';
import { SeqNotifier } from '../sync/notifier';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GET /api/sync/events', () => {
	let dir: string;
	let db: Db;
	let token: string;
	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-sse-'));
		db = openDb(`file:${path.join(dir, 'test.db')}`);
		await migrate(db);
		const user = await createUser(db, {
			email: 'sse@enlace.test',
			name: 'SSE',
			role: 'office',
			password: 'sse-password-1'
		});
		token = await createSession(db, user.id, 1);
	});
	afterAll(() => {
		db?.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	// The client reads nothing while seq moves ten times, so the stream's buffers fill and a write
	// stays pending; bumps during that write must still reach the client, not wait for the 20 s
	// keep-alive.
	it('delivers the latest seq when it moves while an event is being written', async () => {
		const notifier = new SeqNotifier();
		const app = createApp({
			db,
			notifier,
			serverId: 'test',
			staticDir: dir,
			sessionDays: 1,
			version: 'test'
		});
		const abort = new AbortController();
		const res = await app.request('/api/sync/events', {
			headers: { authorization: `Bearer ${token}` },
			signal: abort.signal
		});
		expect(res.status).toBe(200);
		expect(res.body).not.toBeNull();
		const reader = (res.body as ReadableStream<Uint8Array>).getReader();
		const decoder = new TextDecoder();
		let buffer = '';
		const next = async (ms: number): Promise<number | 'timeout' | 'end'> => {
			for (;;) {
				const end = buffer.indexOf('\n\n');
				if (end >= 0) {
					const data = buffer
						.slice(0, end)
						.split('\n')
						.find((l) => l.startsWith('data:'));
					buffer = buffer.slice(end + 2);
					return (JSON.parse(String(data?.slice(5))) as { seq: number }).seq;
				}
				let timer: NodeJS.Timeout | undefined;
				const r = await Promise.race([
					reader.read(),
					new Promise<'timeout'>((resolve) => {
						timer = setTimeout(() => resolve('timeout'), ms);
					})
				]);
				clearTimeout(timer);
				if (r === 'timeout') return r;
				if (r.done) return 'end';
				buffer += decoder.decode(r.value, { stream: true });
			}
		};
		try {
			expect(await next(1000)).toBe(0);
			for (let seq = 1; seq <= 10; seq++) {
				notifier.bump(seq);
				await tick();
			}
			const seen: (number | string)[] = [];
			for (;;) {
				const e = await next(1000);
				seen.push(e);
				if (typeof e !== 'number' || e >= 10) break;
			}
			expect(seen[seen.length - 1]).toBe(10);
			// Strictly increasing: a burst folds into fewer events, never an older seq after a newer.
			const numbers = seen as number[];
			expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
		} finally {
			abort.abort();
			await reader.cancel().catch(() => undefined);
		}
	});
});
