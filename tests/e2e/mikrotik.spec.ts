import { expect, test } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import { createCustomer, device, expectSynced } from './pages/app';
import {
	SERVER,
	addPool,
	createTariff,
	expectJob,
	secretOn,
	startLab,
	type Lab
} from './pages/mikrotik';

/**
 * Info Mikrotik PPPoE end to end: the browser, the real server, an edge agent in this process and
 * a fake RouterOS router. Every button is checked on the router's own tables, not on the screen.
 */

let lab: Lab;

test.beforeAll(async () => {
	lab = await startLab('e2e-nodo');
});

test.afterAll(async () => {
	await lab?.stop();
});

test('Info Mikrotik PPPoE: every button reaches the router, offline work queues', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const { router, routerName } = lab;
	const { page, context } = await device(browser);

	// Settings: a tariff (its MikroTik profile shown live), the pool and the offline pool.
	await createTariff(page, { name: 'Fibra 100 E2E', price: '29,90', down: '100', up: '20' });
	await page.goto('/configuracion/routers');
	await expect(
		page.locator(`[data-testid=router-card][data-router="${routerName}"]`)
	).toBeVisible();
	await addPool(page, routerName, { name: 'pool-clientes', ranges: '100.64.10.2-100.64.10.254' });
	await addPool(page, routerName, {
		name: 'pool-sin-conexion',
		ranges: '100.64.250.2-100.64.250.254',
		offline: true
	});
	expect(router.state.find('/ip/pool', { name: 'pool-sin-conexion' })?.ranges).toBe(
		'100.64.250.2-100.64.250.254'
	);

	// A customer, and its account: the user comes from the server-made customer code.
	const name = 'Ramón Pascual Vidal';
	const id = await createCustomer(page, {
		name,
		taxId: makeNif(30_000_000 + Math.floor(Math.random() * 60_000_000))
	});
	await expect(page.getByTestId('header-code')).toHaveText(/^C\d{5}$/);
	const code = (await page.getByTestId('header-code').textContent())!.trim();
	await page.goto(`/clientes/${id}/mikrotik`);
	const tab = page.getByTestId('mikrotik-tab');
	await expect(tab.getByTestId('pppoe-username')).toHaveValue(code.toLowerCase());
	const username = code.toLowerCase();
	await tab.getByTestId('pppoe-router').selectOption({ label: routerName });
	await tab.getByTestId('generate-password').click();
	const password = await tab.getByTestId('pppoe-password').inputValue();
	expect(password).toMatch(/^[A-Za-z0-9]{12}$/);
	await expect(tab.getByTestId('pppoe-password')).toHaveAttribute('type', 'text');
	await tab.getByTestId('toggle-password').click();
	await expect(tab.getByTestId('pppoe-password')).toHaveAttribute('type', 'password');
	const tariff = tab.getByTestId('pppoe-tariff');
	await tariff.selectOption(
		(await tariff.locator('option', { hasText: 'Fibra 100 E2E' }).getAttribute('value'))!
	);
	await expect(tab.getByTestId('pppoe-profile')).toContainText('enlace-fibra-100-e2e');
	await expect(tab.getByTestId('pppoe-profile')).toContainText('20M/100M');
	await tab.getByTestId('pppoe-static-on').check();
	// A static IP outside the router's pools (the offline one aside) is refused on the field.
	await tab.getByTestId('pppoe-static-ip').fill('100.64.250.9');
	await tab.getByTestId('pppoe-save').click();
	await expect(
		tab.getByText('La IP fija no está en ningún pool de IP de este router (pool-clientes)')
	).toBeVisible();
	expect(router.state.find('/ppp/secret', { name: username })).toBeUndefined();
	await tab.getByTestId('pppoe-static-ip').fill('100.64.10.50');
	await expect(tab.getByTestId('pppoe-offline')).toBeDisabled();

	// Guardar Secret.
	await tab.getByTestId('pppoe-save').click();
	await expectJob(page, 'secret.ensure', 'done');
	const secret = await secretOn(router, username);
	expect(secret).toMatchObject({
		password,
		profile: 'enlace-fibra-100-e2e',
		'remote-address': '100.64.10.50'
	});
	expect(router.state.find('/ppp/profile', { name: 'enlace-fibra-100-e2e' })?.['rate-limit']).toBe(
		'20M/100M'
	);

	// The CMI badge follows the router's /ppp/active.
	const badge = tab.getByTestId('cmi-badge');
	await expect(badge).toHaveAttribute('data-online', 'false');
	router.addActiveSession({
		name: username,
		address: '100.64.10.50',
		callerId: '4C:5E:0C:11:22:33'
	});
	await expect(badge).toHaveAttribute('data-online', 'true', { timeout: 2000 });
	await expect(badge).toContainText('CMI activo');
	await expect(badge.getByTestId('cmi-address')).toHaveText('100.64.10.50');
	await expect(badge.getByTestId('cmi-caller')).toHaveText('4C:5E:0C:11:22:33');
	router.removeActiveSession(username);
	await expect(badge).toHaveAttribute('data-online', 'false', { timeout: 5000 });
	await expect(badge).toContainText('CMI NO activo');
	await expect(badge.getByTestId('cmi-last-seen')).toContainText('Última conexión');

	// Ping: the router's figures on screen.
	router.addActiveSession({
		name: username,
		address: '100.64.10.50',
		callerId: '4C:5E:0C:11:22:33'
	});
	await expect(badge).toHaveAttribute('data-online', 'true', { timeout: 2000 });
	await tab.getByTestId('ping-count').fill('3');
	await tab.getByTestId('pppoe-ping').click();
	await expectJob(page, 'ping', 'done');
	await expect(tab.getByTestId('ping-sent')).toHaveText('3');
	await expect(tab.getByTestId('ping-received')).toHaveText('3');
	await expect(tab.getByTestId('ping-loss')).toHaveText('0 %');
	await expect(tab.getByTestId('ping-rtt')).toContainText('ms');
	expect(router.state.count('/ping') + router.state.count('/tool/ping')).toBeGreaterThan(0);

	// Reiniciar sesión (it cuts the customer off for a moment: asked first).
	await tab.getByTestId('pppoe-kick').click();
	const askKick = page.getByTestId('confirm-kick');
	await expect(askKick).toBeVisible();
	await expect(askKick).toContainText(username);
	await askKick.getByTestId('confirm-kick-confirm').click();
	await expect(askKick).toBeHidden();
	await expectJob(page, 'session.kick', 'done');
	expect(router.state.rows('/ppp/active').some((s) => s.name === username)).toBe(false);
	await expect(badge).toHaveAttribute('data-online', 'false', { timeout: 5000 });

	// Suspender servicio: asked first (Esc leaves it as it was), then the offline profile (its
	// pool is the offline pool) and no static address.
	await tab.getByTestId('pppoe-offline').click();
	const askSuspend = page.getByTestId('confirm-suspend');
	await expect(askSuspend).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(askSuspend).toBeHidden();
	await expect(tab.getByTestId('pppoe-offline')).toHaveAttribute('data-offline', 'false');
	await tab.getByTestId('pppoe-offline').click();
	await askSuspend.getByTestId('confirm-suspend-confirm').click();
	await expect(tab.getByTestId('pppoe-offline')).toHaveText('Reactivar servicio');
	await expect(tab.getByTestId('pppoe-mode-offline')).toBeVisible();
	await expectJob(page, 'secret.ensure', 'done');
	const offline = await secretOn(router, username, (r) => r?.profile !== 'enlace-fibra-100-e2e');
	expect(offline?.['remote-address']).toBeUndefined();
	expect(router.state.find('/ppp/profile', { name: offline!.profile })?.['remote-address']).toBe(
		'pool-sin-conexion'
	);
	// Reactivar servicio gives the service back: no question.
	await tab.getByTestId('pppoe-offline').click();
	await expect(askSuspend).toBeHidden();
	await expect(tab.getByTestId('pppoe-offline')).toHaveText('Suspender servicio');
	await expectJob(page, 'secret.ensure', 'done');
	expect(
		await secretOn(router, username, (r) => r?.profile === 'enlace-fibra-100-e2e')
	).toMatchObject({ 'remote-address': '100.64.10.50', password });

	// Without signal: Guardar Secret queues; the live actions say why they are off.
	await expectSynced(page);
	await context.setOffline(true);
	await tab.getByTestId('pppoe-static-on').uncheck();
	await tab.getByTestId('pppoe-save').click();
	await expect(tab.getByTestId('pppoe-unsent')).toHaveText(
		'En cola — se enviará al recuperar la conexión'
	);
	await expect(page.getByTestId('job-state-secret.ensure')).toHaveAttribute('data-state', 'unsent');
	await expect(tab.getByTestId('pppoe-ping')).toBeDisabled();
	await expect(tab.getByTestId('pppoe-kick')).toBeDisabled();
	await expect(tab.getByTestId('live-reason')).toContainText('Sin red');
	await page.waitForTimeout(1500);
	expect(router.state.find('/ppp/secret', { name: username })?.['remote-address']).toBe(
		'100.64.10.50'
	);
	await context.setOffline(false);
	await expect(tab.getByTestId('pppoe-unsent')).toHaveCount(0, { timeout: 15_000 });
	await expectJob(page, 'secret.ensure', 'done');
	await secretOn(router, username, (r) => !!r && r['remote-address'] === undefined);
	await expect(tab.getByTestId('pppoe-ping')).toBeEnabled();

	// Eliminar secret, after a confirmation: Esc cancels, focus stays on its two 44 px buttons,
	// Enter confirms.
	await expect(tab.getByTestId('ping-result')).toBeVisible();
	await tab.getByTestId('pppoe-delete').click();
	const askDelete = page.getByTestId('confirm-delete');
	await expect(askDelete).toBeVisible();
	await expect(askDelete).toContainText(username);
	for (const button of ['confirm-delete-cancel', 'confirm-delete-confirm']) {
		const b = (await askDelete.getByTestId(button).boundingBox())!;
		expect(Math.min(b.width, b.height)).toBeGreaterThanOrEqual(44);
	}
	await expect(askDelete.getByTestId('confirm-delete-confirm')).toBeFocused();
	for (let i = 0; i < 3; i++) {
		await page.keyboard.press('Tab');
		expect(await askDelete.evaluate((d) => d.contains(document.activeElement))).toBe(true);
	}
	await page.keyboard.press('Escape');
	await expect(askDelete).toBeHidden();
	await expect(tab.getByTestId('pppoe-delete')).toBeEnabled();
	await tab.getByTestId('pppoe-delete').click();
	await expect(askDelete.getByTestId('confirm-delete-confirm')).toBeFocused();
	await page.keyboard.press('Enter');
	await expectJob(page, 'secret.remove', 'done');
	await secretOn(router, username, (r) => r === undefined);
	await expect(tab.getByTestId('pppoe-delete')).toBeDisabled();

	// The card says the secret is gone, not what the old save and ping did.
	await expect(tab.getByTestId('pppoe-removed')).toHaveAttribute('data-removal', 'gone');
	await expect(tab.getByTestId('pppoe-removed')).toContainText('ya no está en el router');
	await expect(tab.getByTestId('pppoe-mode-none')).toBeVisible();
	await expect(tab.getByTestId('job-state-secret.ensure')).toHaveCount(0);
	await expect(tab.getByTestId('ping-result')).toHaveCount(0);
	await expect(tab.getByTestId('job-state-ping')).toHaveAttribute('data-state', 'none');
	await expect(tab.getByTestId('job-state-session.kick')).toHaveAttribute('data-state', 'none');

	// Making it again needs no retyping: router, user, password and tariff are still there.
	await expect(tab.getByTestId('pppoe-username')).toHaveValue(username);
	await expect(tab.getByTestId('pppoe-password')).toHaveValue(password);
	await expect(tab.getByTestId('pppoe-profile')).toContainText('enlace-fibra-100-e2e');
	await tab.getByTestId('pppoe-save').click();
	await expectJob(page, 'secret.ensure', 'done');
	expect(await secretOn(router, username)).toMatchObject({
		password,
		profile: 'enlace-fibra-100-e2e'
	});
	await expect(tab.getByTestId('pppoe-removed')).toHaveCount(0);
	await expect(tab.getByTestId('job-state-secret.remove')).toHaveCount(0);
	await expect(tab.getByTestId('pppoe-delete')).toBeEnabled();

	// Every router action is in Historial, written by the server.
	await page.goto(`/clientes/${id}/historial`);
	const history = page.getByTestId('history-list');
	for (const action of [
		'Guardar Secret',
		'Ping',
		'Reiniciar sesión',
		'Suspender servicio',
		'Reactivar servicio',
		'Eliminar secret'
	])
		await expect(history).toContainText(action);
	await context.close();
});

test('the router overview checks the router and reapplies what drifted', async ({ browser }) => {
	const { router, routerName } = lab;
	const { page, context } = await device(browser);

	// An account whose secret someone changes by hand, and a secret Enlace does not know.
	const id = await createCustomer(page, {
		name: 'Nuria Esteban Gil',
		taxId: makeNif(30_000_000 + Math.floor(Math.random() * 60_000_000))
	});
	await expect(page.getByTestId('header-code')).toHaveText(/^C\d{5}$/);
	const username = (await page.getByTestId('header-code').textContent())!.trim().toLowerCase();
	await page.goto(`/clientes/${id}/mikrotik`);
	const tab = page.getByTestId('mikrotik-tab');
	await tab.getByTestId('pppoe-router').selectOption({ label: routerName });
	await tab.getByTestId('pppoe-password').fill('clave-de-prueba');
	await tab.getByTestId('pppoe-save').click();
	await expectJob(page, 'secret.ensure', 'done');
	await secretOn(router, username);
	router.state.tables['/ppp/secret'].find((s) => s.name === username)!.password = 'winbox';
	router.state.tables['/ppp/secret'].push({
		'.id': '*FF01',
		name: 'hecho-a-mano',
		password: 'x',
		profile: 'default',
		service: 'any',
		disabled: 'false'
	});

	await page.goto('/routers');
	const card = page.locator(`[data-testid=router-overview][data-router="${routerName}"]`);
	await expect(card.getByTestId('router-state')).toHaveAttribute('data-state', 'up');
	await card.getByTestId('router-check').click();
	await expect(card.getByTestId('job-state-router.check')).toHaveAttribute('data-state', 'done', {
		timeout: 15_000
	});
	const drift = card.getByTestId('drift-report');
	await expect(drift.getByTestId('drift-different')).toContainText(username);
	await expect(drift.getByTestId('drift-different')).toContainText('contraseña');
	await expect(drift.getByTestId('drift-unknown')).toContainText('hecho-a-mano');

	// "Reaplicar todo" asks first, in the app's own dialog; cancelling sends nothing.
	await card.getByTestId('reapply-all').click();
	const askReapply = page.getByTestId('confirm-reapply-all');
	await expect(askReapply).toContainText(routerName);
	await askReapply.getByTestId('confirm-reapply-all-cancel').click();
	await expect(askReapply).toBeHidden();
	await expect(card.getByText('Enviando…')).toHaveCount(0);

	await drift.getByTestId('drift-different').getByTestId('reapply-one').click();
	await secretOn(router, username, (r) => r?.password === 'clave-de-prueba');

	await card.getByTestId('router-check').click();
	await expect(card.getByTestId('drift-different')).toHaveCount(0, { timeout: 15_000 });
	await expect(card.getByTestId('drift-unknown')).toContainText('hecho-a-mano');
	await expect(card.getByTestId('router-waiting')).toHaveText('0');

	// The router loses its pools and the suspension profile (a reset): the check lists them and
	// "Reaplicar todo" writes them back, so the next "Suspender servicio" can work.
	router.state.tables['/ip/pool'].length = 0;
	const profiles = router.state.tables['/ppp/profile'];
	profiles.splice(
		profiles.findIndex((p) => p.name === 'enlace-sin-conexion'),
		1
	);
	await card.getByTestId('router-check').click();
	await expect(card.getByTestId('drift-pool')).toHaveCount(2, { timeout: 15_000 });
	await expect(card.getByTestId('drift-profile')).toContainText('enlace-sin-conexion');
	await card.getByTestId('reapply-all').click();
	await page.getByTestId('confirm-reapply-all').getByTestId('confirm-reapply-all-confirm').click();
	await expect
		.poll(() => router.state.find('/ppp/profile', { name: 'enlace-sin-conexion' }), {
			timeout: 15_000
		})
		.toMatchObject({ 'remote-address': 'pool-sin-conexion' });
	expect(router.state.rows('/ip/pool').map((p) => p.name)).toEqual(
		expect.arrayContaining(['pool-clientes', 'pool-sin-conexion'])
	);

	// A router with far more secrets Enlace does not know than a stored report lists: the card
	// shows the first 100 and says how many more there are.
	for (let i = 0; i < 130; i++) {
		router.state.tables['/ppp/secret'].push({
			'.id': `*FE${i.toString(16).padStart(2, '0')}`,
			name: `ajena-${String(i).padStart(3, '0')}`,
			password: 'x',
			profile: 'default',
			service: 'any',
			disabled: 'false'
		});
	}
	await card.getByTestId('router-check').click();
	await expect(card.getByTestId('drift-unknown')).toHaveCount(100, { timeout: 15_000 });
	await expect(card.getByTestId('drift-more')).toHaveText(/^… y \d+ más\.$/);
	await context.close();
});

test('Configuración › Agentes rotates a token: the new one shown once, the old one refused', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	page.on('dialog', (d) => void d.accept());
	const hello = (token: string) =>
		fetch(`${SERVER}/api/agent/hello`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify({ agentVersion: 'e2e', protocol: 1, routers: [] })
		});
	const name = `e2e-rotar-${Date.now().toString(36)}`;

	await page.goto('/configuracion/agentes');
	await page.getByTestId('new-agent').click();
	await page.getByTestId('agent-name').fill(name);
	await page.getByTestId('create-agent').click();
	const first = (await page.getByTestId('agent-token').textContent())!.trim();
	await page.getByTestId('agent-token-done').click();
	expect((await hello(first)).status).toBe(200);

	const item = page.locator(`[data-testid=agent-item][data-agent="${name}"]`);
	await item.getByTestId('rotate-agent').click();
	await page.getByTestId('confirm-rotate-agent-confirm').click();
	const reveal = page.getByTestId('agent-token-reveal');
	await expect(reveal).toContainText('el anterior ya no vale');
	const second = (await page.getByTestId('agent-token').textContent())!.trim();
	expect(second).not.toBe(first);
	expect((await hello(first)).status).toBe(401);
	expect((await hello(second)).status).toBe(200);
	await page.getByTestId('agent-token-done').click();
	await expect(page.getByTestId('agent-token')).toHaveCount(0);
	await context.close();
});
