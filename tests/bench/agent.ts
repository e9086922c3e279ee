import { randomUUID } from 'node:crypto';
import { parseConfig } from '../../edge-agent/src/config';
import { createLogger } from '../../edge-agent/src/log';
import { RouterOsClient } from '../../edge-agent/src/routeros/client';
import { startAgent } from '../../edge-agent/src/runner';
import { startFakeRouter, type FakeRouter } from '../fake-router/fake-router';
import { api, customerArgs, mutation, push, startTestServer } from '../support/server';
import { median, percentile, type Figures } from './report';

const N = Number(process.env.BENCH_PROVISION ?? 1000);
const LATENCY_SAMPLES = Number(process.env.BENCH_SAVE_SAMPLES ?? 40);
const ROUTER_USER = { name: 'enlace', password: 'bench-router-pass' };
/** Rounds of the provisioning and of its baseline: the figures are their medians. */
const ROUNDS = 3;

async function until(check: () => boolean, timeoutMs: number, what: string) {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
		await new Promise((r) => setTimeout(r, 2));
	}
}

/**
 * The router's secrets, live (not `rows()`, which copies every one: polled every 2 ms in this
 * same process, copying thousands of rows took the CPU from the chain being timed).
 */
const secrets = (router: FakeRouter) => router.state.tables['/ppp/secret'];

/**
 * Every timed run adds its secrets to an empty menu: the fake router looks for a duplicate name
 * through the whole menu on each add, so a run after others would pay for their rows.
 */
const emptySecrets = (router: FakeRouter) => {
	secrets(router).length = 0;
};

/**
 * Provisioning through the whole chain (push → server job → agent → RouterOS API) against the
 * same adds written by a raw client on one connection to the same fake router; then the latency
 * of one "Guardar Secret" from push to the secret existing on the router.
 */
export async function agentBench(log: (s: string) => void): Promise<Figures> {
	const server = await startTestServer({ env: { STATUS_INTERVAL_SECONDS: '5' } });
	const router = await startFakeRouter({ version: '7.18', users: [ROUTER_USER] });
	try {
		// Baseline: the same adds, one connection, one after the other (a warm-up, then ROUNDS
		// times, the median: one round is a tenth of a second, and one run of each read ratios of
		// 1.08 to 1.86).
		const rawRuns: number[] = [];
		for (let r = 0; r < ROUNDS + 1; r++) {
			const raw = new RouterOsClient({
				host: router.host,
				port: router.port,
				user: ROUTER_USER.name,
				password: ROUTER_USER.password
			});
			await raw.connect();
			emptySecrets(router);
			const t0 = performance.now();
			for (let i = 0; i < N; i++) {
				await raw.add('/ppp/secret', {
					name: `raw${r}-${i}`,
					password: 'Pppoe-pass-123',
					profile: 'default',
					service: 'pppoe'
				});
			}
			// The first round warms the client and the fake router up (it read 0.18-0.22 s, the
			// next ones down to 0.08): not timed.
			if (r > 0) rawRuns.push((performance.now() - t0) / 1000);
			await raw.close();
		}
		const rawSeconds = median(rawRuns);
		log(`  raw client: ${N} adds in ${rawRuns.map((x) => x.toFixed(2)).join(', ')} s`);

		const { token } = (
			await api(server.url, server.adminToken).post('/api/agents', { name: 'Bench' })
		).body as { token: string };
		const config = parseConfig({
			serverUrl: server.url,
			token,
			routers: [
				{
					name: 'bench',
					host: router.host,
					port: router.port,
					user: ROUTER_USER.name,
					password: ROUTER_USER.password
				}
			]
		});
		const quiet = {
			log: createLogger({ level: 'error', write: () => undefined }),
			maxJobsInHand: 1000
		};
		// The first agent only declares the router (its id is needed to save accounts on it).
		let agent = startAgent(config, quiet);
		await agent.ready;
		const routerId = agent.routers()[0].id;
		await agent.stop();

		// A customer each secret, every round.
		const customers = Array.from({ length: N * ROUNDS }, (_, i) =>
			customerArgs({ name: `Cliente ${i}` })
		);
		for (let i = 0; i < customers.length; i += 200) {
			await push(
				server.url,
				server.adminToken,
				customers.slice(i, i + 200).map((c) => mutation('customer.create', c))
			);
		}
		// Queue the N jobs with no agent connected, then time the agent draining them: this is
		// provisioning (claims, router commands, results), not N HTTP pushes from the app.
		const provisionRuns: number[] = [];
		for (let r = 0; r < ROUNDS; r++) {
			const saves = customers.slice(r * N, (r + 1) * N).map((c, i) =>
				mutation('pppoe.save', {
					id: randomUUID(),
					customerId: c.id,
					routerId,
					username: `prov${r}-${i}`,
					password: 'Pppoe-pass-123'
				})
			);
			for (let i = 0; i < N; i += 200)
				await push(server.url, server.adminToken, saves.slice(i, i + 200));
			log(`provisioning ${N} queued PPPoE secrets through server and agent (round ${r + 1})…`);
			emptySecrets(router);
			const t0 = performance.now();
			agent = startAgent(config, quiet);
			await until(() => secrets(router).length >= N, 300_000, 'provisioning');
			provisionRuns.push((performance.now() - t0) / 1000);
			const names = new Set(secrets(router).map((s) => s.name));
			if (names.size !== N || saves.some((s) => !names.has(String(s.args.username))))
				throw new Error(`round ${r + 1}: the router does not hold exactly the ${N} secrets`);
			// The last round's agent stays for the latency below.
			if (r < ROUNDS - 1) await agent.stop();
		}
		const provisionSeconds = median(provisionRuns);
		log(`  agent: ${N} secrets in ${provisionRuns.map((x) => x.toFixed(2)).join(', ')} s`);

		log(`Guardar Secret latency, ${LATENCY_SAMPLES} samples…`);
		const times: number[] = [];
		for (let i = 0; i < LATENCY_SAMPLES; i++) {
			const name = `lat-${i}`;
			const start = performance.now();
			await push(server.url, server.adminToken, [
				mutation('pppoe.save', {
					id: randomUUID(),
					customerId: customers[i].id,
					routerId,
					username: name,
					password: 'Pppoe-pass-123'
				})
			]);
			await until(() => secrets(router).some((r) => r.name === name), 30_000, name);
			times.push(performance.now() - start);
		}
		await agent.stop();
		return {
			'agent.provision1000.seconds': provisionSeconds,
			'agent.provision1000.rawSeconds': rawSeconds,
			'agent.provision1000.ratioToRaw': provisionSeconds / rawSeconds,
			'agent.saveToRouter.p50Ms': percentile(times, 50),
			'agent.saveToRouter.p95Ms': percentile(times, 95)
		};
	} finally {
		await router.close();
		await server.close();
	}
}
