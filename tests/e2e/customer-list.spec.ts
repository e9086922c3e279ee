import { readFile } from 'node:fs/promises';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import { device, expectSynced, login } from './pages/app';
import { startLab, type Lab } from './pages/mikrotik';

/**
 * The customer list of an office with thousands of customers: 2,000 seeded through the API
 * across states, types, towns, tariffs (assignments and PPPoE accounts) and two routers; each
 * filter, the sort, a row 2,000 rows down, the CSV export as office, and a technician on a
 * 360 px phone who gets no export.
 */

const N = 2000;
const run = Date.now().toString(36);
const name = (i: number) => `Lista ${run} ${String(i).padStart(4, '0')}`;
const STATES = ['customerState-alta', 'customerState-captado', 'customerState-cortado'];
const TOWNS = [`Ávila ${run}`, `Segovia ${run}`, `Soria ${run}`, `Ólvega ${run}`];
/** Customer i's facts, so the test knows what each filter must find. */
const stateOf = (i: number) => (i % 25 === 0 ? STATES[2] : i % 5 === 0 ? STATES[1] : STATES[0]);
const typeOf = (i: number) => (i % 10 === 3 ? 'customerType-empresa' : 'customerType-particular');
const townOf = (i: number) => (i % 100 === 7 ? TOWNS[3] : TOWNS[i % 3]);
const altaOf = (i: number) => `20${String(10 + (i % 15)).padStart(2, '0')}-0${1 + (i % 9)}-15`;
const count = (f: (i: number) => boolean) =>
	Array.from({ length: N }, (_, i) => i).filter(f).length;
/** Assignments of tariff A for every 50th customer; PPPoE accounts on both routers. */
const withAssignment = (i: number) => i % 50 === 1;
const NORTE = [11, 12, 13];
const SUR = [21, 22];
const ONLINE = 12;

let norte: Lab;
let sur: Lab;
const ids: string[] = [];

async function push(request: APIRequestContext, mutations: { name: string; args: unknown }[]) {
	for (let i = 0; i < mutations.length; i += 200) {
		const res = await request.post('/api/sync/push', {
			data: {
				clientId: `seed-${run}`,
				mutations: mutations
					.slice(i, i + 200)
					.map((m) => ({ id: crypto.randomUUID(), name: m.name, args: m.args }))
			}
		});
		const body = (await res.json()) as { results: { status: string; error?: unknown }[] };
		const bad = body.results.find((r) => r.status !== 'applied');
		expect(bad, JSON.stringify(bad)).toBeUndefined();
	}
}

async function routerIds(request: APIRequestContext): Promise<Map<string, string>> {
	const res = await request.get('/api/sync/pull?since=0&limit=10000');
	const body = (await res.json()) as {
		changes: { entity: string; id: string; data?: { name?: string } }[];
	};
	return new Map(
		body.changes.filter((c) => c.entity === 'router').map((c) => [c.data!.name!, c.id])
	);
}

test.beforeAll(async ({ browser }) => {
	test.setTimeout(300_000);
	norte = await startLab(`lista-norte-${run}`);
	sur = await startLab(`lista-sur-${run}`);
	const admin = await device(browser);
	const request = admin.page.request;
	const routers = await routerIds(request);
	const tariffA = crypto.randomUUID();
	const tariffB = crypto.randomUUID();
	const tariff = (id: string, name: string) => ({
		name: 'tariff.create',
		args: {
			id,
			name,
			priceCents: 3000,
			vatRate: 21,
			billingPeriod: 'monthly',
			downloadMbps: 300,
			uploadMbps: 30,
			active: true
		}
	});
	const m: { name: string; args: unknown }[] = [
		tariff(tariffA, `Fibra A ${run}`),
		tariff(tariffB, `Fibra B ${run}`)
	];
	for (let i = 0; i < N; i++) {
		const id = crypto.randomUUID();
		ids.push(id);
		m.push({
			name: 'customer.create',
			args: {
				id,
				isCompany: false,
				name: name(i),
				taxIdType: 'nif',
				taxId: makeNif(10_000_000 + i),
				stateId: stateOf(i),
				typeId: typeOf(i),
				altaDate: altaOf(i)
			}
		});
		m.push({
			name: 'address.create',
			args: {
				id: crypto.randomUUID(),
				customerId: id,
				label: 'fiscal',
				street: `Calle ${i}`,
				town: townOf(i),
				country: 'ES'
			}
		});
		if (withAssignment(i)) {
			const contractId = crypto.randomUUID();
			m.push({
				name: 'contract.create',
				args: {
					id: contractId,
					customerId: id,
					name: 'Casa',
					fromDate: '2026-01-01',
					billingFrequency: 'monthly'
				}
			});
			m.push({
				name: 'tariffAssignment.create',
				args: {
					id: crypto.randomUUID(),
					customerId: id,
					contractId,
					tariffId: tariffA,
					startDate: '2026-01-01',
					quantity: 1
				}
			});
		}
	}
	for (const [list, router] of [
		[NORTE, routers.get(norte.routerName)!],
		[SUR, routers.get(sur.routerName)!]
	] as const)
		for (const i of list)
			m.push({
				name: 'pppoe.save',
				args: {
					id: crypto.randomUUID(),
					customerId: ids[i],
					routerId: router,
					username: `lista-${run}-${i}`,
					password: 'secreto-lista-1',
					tariffId: tariffB
				}
			});
	await push(request, m);
	// Customer 12 is online on the northern router (its agent reports /ppp/active every second).
	norte.router.addActiveSession({
		name: `lista-${run}-${ONLINE}`,
		address: '100.64.30.12',
		callerId: '4C:5E:0C:00:00:12'
	});
	const tech = {
		email: `tecnico-lista-${run}@enlace.test`,
		name: 'Teresa Técnica',
		role: 'technician',
		password: 'technician-password-1'
	};
	const office = { ...tech, email: `oficina-lista-${run}@enlace.test`, name: 'Olga Oficina' };
	for (const u of [tech, { ...office, role: 'office' }])
		expect((await request.post('/api/users', { data: u })).status()).toBe(201);
	await admin.context.close();
});

test.afterAll(async () => {
	await norte?.stop();
	await sur?.stop();
});

const OFFICE = { email: `oficina-lista-${run}@enlace.test`, password: 'technician-password-1' };
const TECH = { email: `tecnico-lista-${run}@enlace.test`, password: 'technician-password-1' };

const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
/** The count line, for the rows found with the run's text in the search box. */
const found = (page: Page, n: number) =>
	expect(page.getByTestId('customer-count')).toHaveText(
		new RegExp(`^${grouped(n)} de [\\d.]+ clientes$`)
	);
const rowName = (page: Page, index: number) =>
	page.locator(`[data-testid=customer-results] li[data-index="${index}"] .name`);

test('office at 1280 px: every filter, sort, 2,000 rows, CSV, kept over a reload', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		acceptDownloads: true
	});
	const page = await context.newPage();
	await page.clock.setFixedTime(new Date('2026-03-10T10:00:00+01:00'));
	await login(page, OFFICE);
	const search = page.getByTestId('customer-search');
	await search.fill(run);
	await found(page, N);

	// Only the rows on screen are in the page.
	const inDom = await page.locator('[data-testid=customer-results] li').count();
	expect(inDom).toBeLessThan(80);

	// Each kind of filter, then back to none.
	const select = (id: string, label: string) =>
		page.getByTestId(`filter-${id}`).selectOption({ label });
	await select('state', 'Cortado');
	await found(
		page,
		count((i) => stateOf(i) === STATES[2])
	);
	await select('state', 'Todos los estados');
	await select('type', 'Empresa');
	await found(
		page,
		count((i) => typeOf(i) === 'customerType-empresa')
	);
	await select('type', 'Todos los tipos');
	await select('tariff', `Fibra A ${run}`);
	await found(page, count(withAssignment));
	await select('tariff', `Fibra B ${run}`);
	await found(page, NORTE.length + SUR.length);
	await select('tariff', 'Todas las tarifas');
	await select('router', sur.routerName);
	await found(page, SUR.length);
	await expect(rowName(page, 0)).toHaveText(name(SUR[0]));
	await select('router', 'Todos los routers');
	await select('online', 'Conectados ahora');
	await expect(page.getByTestId('customer-count')).toHaveText(/^1 de/, { timeout: 20_000 });
	await expect(rowName(page, 0)).toContainText(name(ONLINE));
	await select('online', 'Conectados o no');
	await select('town', TOWNS[3]);
	await found(
		page,
		count((i) => townOf(i) === TOWNS[3])
	);
	// Combined with a state: nothing, the empty state, "Quitar filtros".
	await select('state', 'Captado');
	await found(
		page,
		count((i) => townOf(i) === TOWNS[3] && stateOf(i) === STATES[1])
	);
	await select('state', 'Cortado');
	await select('router', sur.routerName);
	await found(page, 0);
	await expect(page.getByTestId('customer-empty')).toContainText(
		'Ningún cliente cumple estos filtros.'
	);
	await page.getByTestId('customer-empty').getByRole('button', { name: 'Quitar filtros' }).click();
	await expect(page.getByTestId('filter-town')).toHaveValue('');
	await expect(search).toHaveValue('');
	await search.fill(run);
	await found(page, N);

	// Sort by code, then descending: the last created customer first.
	await page.getByTestId('sort-code').click();
	await expect(rowName(page, 0)).toHaveText(name(0));
	await page.getByTestId('sort-code').click();
	await expect(page.getByTestId('sort-code')).toHaveAttribute('data-sort', 'descending');
	await expect(rowName(page, 0)).toHaveText(name(N - 1));
	// By alta date: the oldest (2010-01-15, customers 0, 45, 90…) first, ties by name.
	await page.getByTestId('sort-altaDate').click();
	await expect(rowName(page, 0)).toHaveText(name(0));
	await expect(rowName(page, 1)).toHaveText(name(45));
	await page.getByTestId('sort-code').click();
	await page.getByTestId('sort-code').click();
	await expect(rowName(page, 0)).toHaveText(name(N - 1));

	// A row 2,000 rows down is reachable by scrolling; the DOM stays small.
	await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
	const bottom = rowName(page, N - 1);
	await expect(bottom).toBeInViewport();
	await expect(bottom).toHaveText(name(0));
	expect(await page.locator('[data-testid=customer-results] li').count()).toBeLessThan(80);

	// Filters and sort survive a reload.
	await select('state', 'Captado');
	await page.reload();
	await expect(page.getByTestId('filter-state')).toHaveValue('customerState-captado');
	await expect(search).toHaveValue(run);
	await expect(page.getByTestId('sort-code')).toHaveAttribute('data-sort', 'descending');
	const captados = count((i) => stateOf(i) === STATES[1]);
	await found(page, captados);
	expect(page.url()).toContain('estado=customerState-captado');
	await page.screenshot({ path: test.info().outputPath('customer-list-1280.png') });

	// CSV of what is on screen: filtered, sorted, for Spanish Excel.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('export-csv').click()
	]);
	expect(download.suggestedFilename()).toBe('clientes-2026-03-10.csv');
	const bytes = await readFile((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
	expect(lines[0]).toBe(
		'Código;Nombre;NIF;Teléfono;Correo;Población;Estado;Tipo;Fecha de alta;Tarifas;Router;Conectado'
	);
	expect(lines).toHaveLength(captados + 1);
	const last = [...Array(N).keys()].filter((i) => stateOf(i) === STATES[1]).at(-1)!;
	const cells = lines[1].split(';');
	expect(cells[1]).toBe(name(last));
	expect(cells.slice(5, 9)).toEqual([
		townOf(last),
		'Captado',
		'Particular',
		altaOf(last).split('-').reverse().join('/')
	]);
	// Customer 1 is "alta": not in a list of captados.
	expect(lines.find((l) => l.includes(name(1)))).toBeUndefined();

	// Keyboard: ↓ ↓ Enter opens the third row.
	await search.focus();
	const third = (await page
		.locator('[data-testid=customer-results] li[data-index="2"]')
		.getAttribute('id'))!.slice(2);
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowDown');
	await expect(page.locator(`#c-${third}`)).toHaveClass(/selected/);
	await page.keyboard.press('Enter');
	await page.waitForURL(`**/clientes/${third}/resumen`);
	await context.close();
});

test('a technician on a 360 px phone: the list scrolls to the end, no export', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	await login(page, TECH);
	await expectSynced(page);
	await page.getByTestId('customer-search').fill(run);
	await found(page, N);
	await expect(page.getByTestId('export-csv')).toHaveCount(0);
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(360);
	// Filters fold behind one button on a phone.
	await expect(page.getByTestId('filter-town')).toBeHidden();
	await page.getByTestId('filters-toggle').click();
	await page.getByTestId('filter-town').selectOption({ label: TOWNS[1] });
	await found(
		page,
		count((i) => townOf(i) === TOWNS[1])
	);
	await expect(page.getByTestId('filters-toggle')).toHaveText('Filtros (1)');
	await page.screenshot({ path: test.info().outputPath('customer-list-360-filters.png') });
	await page.getByTestId('filter-town').selectOption({ label: 'Todas las poblaciones' });
	await page.getByTestId('filters-toggle').click();
	await page.getByTestId('sort-by').selectOption('name');
	await found(page, N);
	const box = (await page.locator('[data-testid=customer-results] li').first().boundingBox())!;
	expect(box.height).toBeGreaterThanOrEqual(44);
	await page.screenshot({ path: test.info().outputPath('customer-list-360.png') });
	await page.mouse.wheel(0, 60_000);
	await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
	await expect(rowName(page, N - 1)).toBeInViewport();
	await expect(rowName(page, N - 1)).toHaveText(name(N - 1));
	await page.screenshot({ path: test.info().outputPath('customer-list-360-end.png') });
	await context.close();
});
