import { expect, test, type Page } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import {
	addAddress,
	createCustomer,
	device,
	editCustomerField,
	expectSynced,
	login
} from './pages/app';
import { addPool, createTariff, expectJob, secretOn, startLab, type Lab } from './pages/mikrotik';

/**
 * The customer at a glance (Resumen) and the customer's life cycle driving the router, end to
 * end: the browser, the real server, an edge agent in this process and a fake RouterOS router.
 * What a state change does is checked on the router's own tables.
 */

let lab: Lab;

test.beforeAll(async () => {
	lab = await startLab('e2e-estados');
});

test.afterAll(async () => {
	await lab?.stop();
});

const PHONE = { width: 360, height: 740 };

/** Pick a state on the Resumen, read the plan, confirm. Returns the plan's text. */
async function changeState(page: Page, state: string, screenshot?: string): Promise<string> {
	await page.getByTestId('state-select').selectOption({ label: state });
	const dialog = page.getByTestId('confirm-state');
	await expect(dialog).toBeVisible();
	if (screenshot) await page.screenshot({ path: screenshot });
	const plan = (await dialog.textContent()) ?? '';
	await dialog.getByTestId('confirm-state-confirm').click();
	await expect(dialog).toBeHidden();
	await expect(page.getByTestId('state-badge')).toHaveText(state);
	return plan;
}

test('Resumen at 360 px for a technician; Cortado, Alta and Baja reach the router, offline too', async ({
	browser
}, testInfo) => {
	test.setTimeout(240_000);
	const { router, routerName } = lab;
	const office = await device(browser);
	const page = office.page;
	await page.setViewportSize({ width: 1280, height: 800 });

	// The office sets up a tariff, the router's pools, a customer with phones, an address and
	// a PPPoE account.
	await createTariff(page, { name: 'Fibra 300 Estado', price: '39,90', down: '300', up: '30' });
	await addPool(page, routerName, { name: 'pool-estado', ranges: '100.70.10.2-100.70.10.254' });
	await addPool(page, routerName, {
		name: 'pool-estado-corte',
		ranges: '100.70.250.2-100.70.250.254',
		offline: true
	});
	const id = await createCustomer(page, {
		name: 'Lucía Estado Prueba',
		taxId: makeNif(30_000_000 + Math.floor(Math.random() * 60_000_000)),
		phone: '920 11 22 33'
	});
	await editCustomerField(page, id, 'mobile', '690 12 34 56');
	await addAddress(page, {
		label: 'servicio',
		street: 'C/ Mayor 7',
		postalCode: '05200',
		town: 'Arévalo',
		province: 'Ávila'
	});
	await expect(page.getByTestId('header-code')).toHaveText(/^C\d{5}$/);
	const username = (await page.getByTestId('header-code').textContent())!.trim().toLowerCase();
	await page.goto(`/clientes/${id}/mikrotik`);
	const tab = page.getByTestId('mikrotik-tab');
	await tab.getByTestId('pppoe-router').selectOption({ label: routerName });
	await tab.getByTestId('generate-password').click();
	const tariff = tab.getByTestId('pppoe-tariff');
	const tariffId = (await tariff
		.locator('option', { hasText: 'Fibra 300 Estado' })
		.getAttribute('value'))!;
	await tariff.selectOption(tariffId);
	await tab.getByTestId('pppoe-save').click();
	await expectJob(page, 'secret.ensure', 'done');
	await secretOn(router, username, (r) => r?.profile === 'enlace-fibra-300-estado');

	// At 1280 px every tab is on screen, PPPoE included; opening the customer shows the Resumen.
	await page.goto(`/clientes/${id}`);
	await page.waitForURL(`**/clientes/${id}/resumen`);
	const pppoeTab = await page.locator('#tab-mikrotik').boundingBox();
	const lastTab = await page.locator('nav.tabs a').last().boundingBox();
	expect(pppoeTab!.x + pppoeTab!.width).toBeLessThanOrEqual(1280);
	expect(lastTab!.x + lastTab!.width).toBeLessThanOrEqual(1280);
	await page.screenshot({ path: testInfo.outputPath('resumen-1280.png'), fullPage: true });

	// A technician at the door, on a phone.
	const tech = {
		email: `tecnico-estado-${Date.now()}@enlace.test`,
		name: 'Técnico de Estados',
		role: 'technician',
		password: 'tecnico-estados-1'
	};
	expect((await page.request.post('/api/users', { data: tech })).status()).toBe(201);
	const phoneContext = await browser.newContext({ viewport: PHONE, hasTouch: true });
	const phone = await phoneContext.newPage();
	await login(phone, tech);
	await phone.goto(`/clientes/${id}`);
	await phone.waitForURL(`**/clientes/${id}/resumen`);
	const overview = phone.getByTestId('overview');
	await expect(overview).toBeVisible();

	// State and CMI on the first screen; the CMI follows the router's /ppp/active.
	const badge = overview.getByTestId('cmi-badge');
	await expect(badge).toHaveAttribute('data-online', 'false');
	router.addActiveSession({
		name: username,
		address: '100.70.10.9',
		callerId: 'AA:BB:CC:00:11:22'
	});
	await expect(badge).toHaveAttribute('data-online', 'true', { timeout: 5000 });
	await expect(overview.getByTestId('overview-online-since')).toContainText('Conectado desde');
	for (const el of [overview.getByTestId('state-select'), badge]) {
		const box = (await el.boundingBox())!;
		expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
	}
	// Phones dial on tap, the address opens a map, the tariff and the account are there.
	const phones = overview.getByTestId('overview-phone');
	await expect(phones).toHaveCount(2);
	await expect(phones.first()).toHaveAttribute('href', 'tel:690123456');
	await expect(phones.nth(1)).toHaveAttribute('href', 'tel:920112233');
	expect((await phones.first().boundingBox())!.height).toBeGreaterThanOrEqual(44);
	await expect(overview.getByTestId('overview-address')).toContainText(
		'C/ Mayor 7, 05200 Arévalo, Ávila'
	);
	await expect(overview.getByTestId('overview-map')).toHaveAttribute(
		'href',
		/^https:\/\/www\.openstreetmap\.org\/search\?query=C%2F%20Mayor%207/
	);
	await expect(overview.getByTestId('overview-tariff')).toContainText('Fibra 300 Estado');
	await expect(overview.getByTestId('overview-username')).toHaveText(username);
	await expect(overview.getByTestId('overview-shortcuts')).toContainText('Info Mikrotik PPPoE');
	// Bank data never reaches a technician's phone: no shortcut to a tab that would be empty.
	await expect(overview.getByTestId('overview-shortcuts')).not.toContainText('Datos financieros');
	await expect(overview.getByTestId('overview-history-item').first()).toBeVisible();
	await phone.screenshot({ path: testInfo.outputPath('resumen-360.png'), fullPage: true });

	// Cortado: the confirmation says what will happen, then the secret moves to the suspension
	// profile (its pool is the offline pool) with no static address, and the session is cut.
	const cut = await changeState(phone, 'Cortado', testInfo.outputPath('confirm-360.png'));
	expect(cut).toContain(`Cuenta «${username}»: servicio suspendido`);
	const suspended = await secretOn(router, username, (r) => r?.profile === 'enlace-sin-conexion');
	expect(suspended?.['remote-address']).toBeUndefined();
	expect(
		router.state.find('/ppp/profile', { name: 'enlace-sin-conexion' })?.['remote-address']
	).toBe('pool-estado-corte');
	await expect(overview.getByTestId('overview-suspended')).toBeVisible();
	await expect(overview.getByTestId('overview-history')).toContainText(
		'Cortado: Suspender servicio'
	);
	await expect(overview.getByTestId('overview-no-jobs')).toBeVisible({ timeout: 15_000 });

	// Back to Alta: the tariff's profile again.
	const back = await changeState(phone, 'Alta');
	expect(back).toContain('servicio reactivado');
	await secretOn(router, username, (r) => r?.profile === 'enlace-fibra-300-estado');
	await expect(overview.getByTestId('overview-active')).toBeVisible();

	// Offline, the change is kept on the phone and reaches the router when it syncs.
	await phoneContext.setOffline(true);
	await changeState(phone, 'Cortado');
	await expect(overview.getByTestId('overview-unsent')).toContainText('En cola');
	await expect(overview.getByTestId('overview-suspended')).toBeVisible();
	await phone.waitForTimeout(1500);
	expect(router.state.find('/ppp/secret', { name: username })?.profile).toBe(
		'enlace-fibra-300-estado'
	);
	await phoneContext.setOffline(false);
	await secretOn(router, username, (r) => r?.profile === 'enlace-sin-conexion');
	await expectSynced(phone, 20_000);

	// The customer's contract with the tariff, running since January, and a TV tariff promised
	// from a day ahead (pushed like any device).
	const assignmentId = crypto.randomUUID();
	const tvTariff = {
		id: crypto.randomUUID(),
		name: 'TV Estado',
		priceCents: 990,
		vatRate: 21,
		billingPeriod: 'monthly',
		downloadMbps: 10,
		uploadMbps: 1,
		active: true
	};
	const contract = { id: crypto.randomUUID(), customerId: id, name: 'Hogar', notes: '' };
	const pushed = await page.request.post('/api/sync/push', {
		data: {
			clientId: crypto.randomUUID(),
			mutations: [
				{
					id: crypto.randomUUID(),
					name: 'contract.create',
					args: { ...contract, fromDate: '2026-01-01', billingFrequency: 'monthly' }
				},
				{
					id: crypto.randomUUID(),
					name: 'tariffAssignment.create',
					args: {
						id: assignmentId,
						customerId: id,
						contractId: contract.id,
						tariffId,
						startDate: '2026-01-01',
						quantity: 1,
						notes: ''
					}
				},
				{ id: crypto.randomUUID(), name: 'tariff.create', args: tvTariff },
				{
					id: crypto.randomUUID(),
					name: 'tariffAssignment.create',
					args: {
						id: crypto.randomUUID(),
						customerId: id,
						contractId: contract.id,
						tariffId: tvTariff.id,
						startDate: '2099-01-01',
						quantity: 1,
						notes: ''
					}
				}
			]
		}
	});
	expect(JSON.stringify(await pushed.json())).not.toContain('"error"');

	// Baja (the office, at the desk): the fecha de baja is set, the tariff ends that day and the
	// secret is removed at once.
	await page.goto(`/clientes/${id}/resumen`);
	await expect(page.getByTestId('overview-assignment')).toContainText('Fibra 300 Estado');
	// What the customer was promised shows too, with its first day.
	await expect(page.getByTestId('overview-coming')).toContainText('TV Estado');
	await expect(page.getByTestId('overview-coming')).toContainText('desde el 1/1/99');
	const gone = await changeState(page, 'Baja');
	expect(gone).toContain('Fecha de baja');
	expect(gone).toContain('Tarifa «Fibra 300 Estado»: de baja el');
	expect(gone).toContain('Tarifa «TV Estado»: no llegó a empezar y se elimina.');
	await expect(page.getByTestId('overview-coming')).toHaveCount(0);
	// Today is its last day charged: it still runs, with its end date.
	await expect(page.getByTestId('overview-assignment')).toContainText('hasta');
	await page.goto(`/clientes/${id}/tarifas`);
	await expect(page.getByTestId('assignment-dates')).not.toContainText('sin baja');
	await page.goto(`/clientes/${id}/resumen`);
	expect(gone).toContain(`Cuenta «${username}»: se elimina el secret del router`);
	await secretOn(router, username, (r) => r === undefined);
	await expect(page.getByTestId('overview-baja')).toContainText('Fecha de baja');
	await expect(page.getByTestId('overview-no-account')).toBeVisible();
	// The technician's phone follows.
	await expect(phone.getByTestId('state-badge')).toHaveText('Baja', { timeout: 15_000 });

	await phoneContext.close();
	await office.context.close();
});

test('Configuración: what each customer state does to the service', async ({
	browser
}, testInfo) => {
	const { page, context } = await device(browser);
	await page.goto('/configuracion');
	const list = page.getByTestId('settings-list-customerState');
	await expect(list.getByTestId('setting-customerState-cortado')).toContainText(
		'Suspende el servicio'
	);
	await expect(list.getByTestId('setting-customerState-baja')).toContainText(
		'Baja: elimina el secret en el acto'
	);
	// A baja that keeps the secret 15 days; a bad number is refused on its field.
	await list.getByTestId('setting-customerState-baja').getByTestId('edit-setting').click();
	const form = list.getByTestId('setting-form');
	await expect(form.getByTestId('setting-service')).toHaveValue('baja');
	await form.getByTestId('setting-remove-days').fill('mil');
	await form.getByTestId('save-setting').click();
	await expect(form).toContainText('Escriba un número de días entre 0 y 365');
	await form.screenshot({ path: testInfo.outputPath('state-setting-1280.png') });
	await page.setViewportSize(PHONE);
	await form.screenshot({ path: testInfo.outputPath('state-setting-360.png') });
	await form.getByTestId('setting-remove-days').fill('15');
	await form.getByTestId('save-setting').click();
	await expect(form).toHaveCount(0);
	await expect(list.getByTestId('setting-customerState-baja')).toContainText(
		'Baja: elimina el secret a los 15 días'
	);
	// Put back for the other tests of this run.
	await list.getByTestId('setting-customerState-baja').getByTestId('edit-setting').click();
	await form.getByTestId('setting-remove-days').fill('0');
	await form.getByTestId('save-setting').click();
	await expect(form).toHaveCount(0);
	await expectSynced(page);
	await context.close();
});
