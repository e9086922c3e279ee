// Pull pages are capped by bytes as well as rows: large rows (a router check carrying every
// account of a router) must not build a page too big to send. On the embedded file and on sqld.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSeq } from '../../sync-server/src/sync/store';
import {
	pull,
	pullAll,
	startTestServer,
	startTestServerOnSqld,
	type TestServer
} from '../support/server';

/** The servers run with a small cap (PULL_PAGE_BYTES) so the rows stay small enough for sqld. */
const CAP = 256 * 1024;
const KB = 1024;

/**
 * A router job row of about `bytes` of JSON, written straight into the change log. The filler is
 * made by SQL: sqld refuses a single argument of several MB.
 */
async function bigJob(s: TestServer, bytes: number): Promise<string> {
	const id = randomUUID();
	await s.db.exclusive(() =>
		s.db.client.batch(
			[
				{
					sql: `INSERT INTO records (entity, id, customer_id, scope, data, deleted, seq, updated_at)
						VALUES ('routerJob', ?, NULL, 'all',
							json_object('id', ?, 'routerId', 'router-1', 'kind', 'router.check', 'status', 'done',
								'payload', json_object(), 'result', json_object('accounts', hex(zeroblob(?)))),
							0, (SELECT value FROM counters WHERE name = 'seq') + 1, ?)`,
					args: [id, id, Math.ceil(bytes / 2), new Date().toISOString()]
				},
				"UPDATE counters SET value = value + 1 WHERE name = 'seq'"
			],
			'write'
		)
	);
	return id;
}

/** Bytes of a page's changes as sent (the stored JSON is ASCII here). */
const changeBytes = (changes: unknown[]) => JSON.stringify(changes).length;

function pagesSuite(name: string, start: () => Promise<TestServer>) {
	describe(name, () => {
		let s: TestServer;
		beforeAll(async () => {
			s = await start();
		});
		afterAll(async () => {
			await s?.close();
		});

		it('splits large rows into pages under the byte cap, a row larger than it alone', async () => {
			const from = await currentSeq(s.db.client);
			const ids: string[] = [];
			for (let i = 0; i < 9; i++) ids.push(await bigJob(s, 60 * KB));
			ids.push(await bigJob(s, CAP + 40 * KB));
			for (let i = 0; i < 3; i++) ids.push(await bigJob(s, 60 * KB));
			for (let i = 0; i < 5; i++) ids.push(await bigJob(s, 100));

			const { pages, changes, seq } = await pullAll(s.url, s.adminToken, from);
			expect(changes.map((c) => c.id)).toEqual(ids);
			expect(seq).toBe(await currentSeq(s.db.client));
			for (const page of pages) {
				if (page.changes.length > 1) expect(changeBytes(page.changes)).toBeLessThanOrEqual(CAP);
			}
			// Pages are filled, not cut short: four rows of 60 KB fit in 256 KB.
			expect(pages[0].changes.length).toBe(4);
			const huge = pages.find((p) => p.changes.some((c) => c.id === ids[9]))!;
			expect(huge.changes.length).toBe(1);
			expect(huge.more).toBe(true);
			expect(pages.at(-1)!.more).toBe(false);
		});

		it('still sends many small rows in one page, whatever the row limit asks', async () => {
			const from = await currentSeq(s.db.client);
			const ids: string[] = [];
			for (let i = 0; i < 450; i++) ids.push(await bigJob(s, 50));
			const page = await pull(s.url, s.adminToken, from, 1000);
			expect(page.more).toBe(false);
			expect(page.changes.map((c) => c.id)).toEqual(ids);
			const limited = await pull(s.url, s.adminToken, from, 300);
			expect(limited.more).toBe(true);
			expect(limited.changes.map((c) => c.id)).toEqual(ids.slice(0, 300));
			expect(limited.seq).toBe(limited.changes.at(-1)!.seq);
		});
	});
}

const env = { PULL_PAGE_BYTES: String(CAP) };
pagesSuite('pull pages on the embedded file database', () => startTestServer({ env }));
pagesSuite('pull pages on sqld (libSQL server)', () => startTestServerOnSqld({ env }));
