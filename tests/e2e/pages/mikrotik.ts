import { expect, type Page } from '@playwright/test';
import { parseConfig } from '../../../edge-agent/src/config';
import { startAgent, type Agent } from '../../../edge-agent/src/runner';
import { ADMIN, E2E_PORT } from '../../playwright.config';
import { startFakeRouter, type FakeRouter, type FakeRow } from '../../fake-router/fake-router';

export const SERVER = `http://127.0.0.1:${E2E_PORT}`;
const ROUTER_USER = { name: 'admin', password: 'e2e-router-password' };

/** A call to the e2e server as the admin (bearer token), failing loudly on anything but 2xx. */
async function adminCall<T>(method: string, p: string, token: string, body?: unknown): Promise<T> {
	const res = await fetch(SERVER + p, {
		method,
		headers: {
			authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { 'content-type': 'application/json' })
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
	return JSON.parse(text) as T;
}

export type Lab = {
	router: FakeRouter;
	routerName: string;
	agent: Agent;
	stop(): Promise<void>;
};

/**
 * A fake MikroTik router and an edge agent in this process, with a token made through the admin
 * API like an admin would: what the browser's buttons do is checked on the router itself.
 */
export async function startLab(routerName: string): Promise<Lab> {
	const router = await startFakeRouter({ users: [ROUTER_USER], identity: 'E2E' });
	const login = await fetch(`${SERVER}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(ADMIN)
	});
	const { token } = (await login.json()) as { token: string };
	let agentId: string | undefined;
	let agent: Agent | undefined;
	try {
		const made = await adminCall<{ agent: { id: string }; token: string }>(
			'POST',
			'/api/agents',
			token,
			{ name: `e2e-${routerName}` }
		);
		agentId = made.agent.id;
		agent = startAgent(
			parseConfig({
				serverUrl: SERVER,
				token: made.token,
				// The badge must follow the router within 2 s: report every second.
				statusIntervalSeconds: 1,
				logLevel: 'warn',
				routers: [
					{
						name: routerName,
						host: router.host,
						port: router.port,
						tls: false,
						user: ROUTER_USER.name,
						password: ROUTER_USER.password
					}
				]
			}),
			{ pollWaitSeconds: 5, stopGraceMs: 500 }
		);
		await agent.ready;
	} catch (e) {
		await agent?.stop();
		await router.close();
		throw e;
	}
	const running = agent;
	return {
		router,
		routerName,
		agent: running,
		async stop() {
			await running.stop();
			await router.close();
			// The server outlives this file: leave no live agent token behind.
			if (agentId) await adminCall('DELETE', `/api/agents/${agentId}`, token);
		}
	};
}

/** The router's secret by name, polled until `ok` holds (the agent works asynchronously). */
export async function secretOn(
	router: FakeRouter,
	name: string,
	ok: (row: FakeRow | undefined) => boolean = (r) => !!r
): Promise<FakeRow | undefined> {
	let row: FakeRow | undefined;
	await expect
		.poll(() => {
			row = router.state.find('/ppp/secret', { name });
			return ok(row);
		})
		.toBe(true);
	return row;
}

export type NewTariff = { name: string; price: string; down: string; up: string };

export async function createTariff(page: Page, t: NewTariff) {
	await page.goto('/configuracion/tarifas');
	await page.getByTestId('new-tariff').click();
	const form = page.getByTestId('tariff-form');
	await form.locator('input[name=name]').fill(t.name);
	await form.locator('input[name=price]').fill(t.price);
	await form.locator('input[name=downloadMbps]').fill(t.down);
	await form.locator('input[name=uploadMbps]').fill(t.up);
	await expect(form.getByTestId('preview-rate-limit')).toHaveText(`${t.up}M/${t.down}M`);
	await page.getByTestId('save-tariff').click();
	await expect(form).toHaveCount(0);
	await expect(
		page.locator(`[data-testid=tariff-item]:has([data-tariff="${t.name}"])`)
	).toBeVisible();
}

export async function addPool(
	page: Page,
	routerName: string,
	pool: { name: string; ranges: string; offline?: boolean }
) {
	if (!page.url().endsWith('/configuracion/routers')) await page.goto('/configuracion/routers');
	const card = page.locator(`[data-testid=router-card][data-router="${routerName}"]`);
	await card.getByTestId('add-pool').click();
	const form = card.getByTestId('pool-form');
	await form.locator('input[name=name]').fill(pool.name);
	await form.locator('input[name=ranges]').fill(pool.ranges);
	if (pool.offline) await form.locator('input[name=isOffline]').check();
	await form.getByTestId('save-pool').click();
	await expect(form).toHaveCount(0);
	const item = card.locator(`[data-testid=pool-item]:has([data-pool="${pool.name}"])`);
	await expect(item).toBeVisible();
	if (pool.offline) await expect(item.getByTestId('pool-offline-mark')).toBeVisible();
	// The pool reached the router.
	await expect(item.getByTestId('job-state-pool')).toHaveAttribute('data-state', 'done');
}

/** The job state of one kind on the Info Mikrotik PPPoE tab reaches `state`. */
export async function expectJob(page: Page, kind: string, state: string, timeout = 15_000) {
	await expect(page.getByTestId(`job-state-${kind}`)).toHaveAttribute('data-state', state, {
		timeout
	});
}
