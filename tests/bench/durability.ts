import { randomUUID } from 'node:crypto';
import { makeNif } from '@enlace/shared';
import { pushOne, startTestServer, type TestServer } from '../support/server';
import type { Figures } from './report';

const PUSHES = Number(process.env.BENCH_PUSHES ?? 1000);
const ROUND = 50;
const WARM_UP = 50;

type Mode = 'NORMAL' | 'FULL';

let nif = 20_000_000;

async function pushCustomers(server: TestServer, n: number): Promise<void> {
	for (let i = 0; i < n; i++) {
		const r = await pushOne(server.url, server.adminToken, 'customer.create', {
			id: randomUUID(),
			isCompany: false,
			name: `Cliente ${nif}`,
			taxIdType: 'nif',
			taxId: makeNif(nif++),
			stateId: 'alta'
		});
		if (r.status !== 200 || r.body.results[0].status !== 'applied')
			throw new Error(`push: ${r.status} ${JSON.stringify(r.body)}`);
	}
}

/**
 * N mutations pushed one by one (one acknowledged commit each) to two servers on embedded files,
 * one with `synchronous = NORMAL` (the baseline: a power cut may lose the last commits) and one
 * with FULL (what the server runs: every acknowledged commit is on disk). The two take turns in
 * rounds, so a busy machine slows both alike. The files live in the OS temporary directory: the
 * figure is that disk's fsync cost.
 */
export async function durabilityBench(log: (s: string) => void): Promise<Figures> {
	const servers: Record<Mode, TestServer> = {
		NORMAL: await startTestServer(),
		FULL: await startTestServer()
	};
	try {
		const seconds: Record<Mode, number> = { NORMAL: 0, FULL: 0 };
		for (const mode of ['NORMAL', 'FULL'] as const) {
			// Pushes run one after another, so each server uses one pooled connection: the one set here.
			await servers[mode].db.client.execute(`PRAGMA synchronous = ${mode}`);
			await pushCustomers(servers[mode], WARM_UP);
		}
		log(`pushing ${PUSHES} mutations one by one, synchronous=NORMAL and FULL in turns…`);
		for (let done = 0; done < PUSHES; done += ROUND) {
			for (const mode of ['NORMAL', 'FULL'] as const) {
				const t0 = performance.now();
				await pushCustomers(servers[mode], Math.min(ROUND, PUSHES - done));
				seconds[mode] += (performance.now() - t0) / 1000;
			}
		}
		for (const mode of ['NORMAL', 'FULL'] as const) {
			const r = await servers[mode].db.client.execute('PRAGMA synchronous');
			if (Number(r.rows[0].synchronous) !== (mode === 'FULL' ? 2 : 1))
				throw new Error(`the ${mode} server ran with synchronous=${String(r.rows[0].synchronous)}`);
		}
		const normal = PUSHES / seconds.NORMAL;
		const full = PUSHES / seconds.FULL;
		log(`  NORMAL ${normal.toFixed(0)} mutations/s, FULL ${full.toFixed(0)} mutations/s`);
		return {
			'durability.pushes': PUSHES,
			'durability.normalPushesPerSec': normal,
			'durability.fullPushesPerSec': full,
			'durability.fullToNormal': full / normal
		};
	} finally {
		await servers.NORMAL.close();
		await servers.FULL.close();
	}
}
