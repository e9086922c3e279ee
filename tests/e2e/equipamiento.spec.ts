import { chromium, expect, test, type Page } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import config, { E2E_PORT } from '../playwright.config';
import { barcodePng, barcodeVideo } from '../support/barcodes';
import {
	addAddress,
	createCustomer,
	device,
	expectSynced,
	login,
	waitForOfflineReady
} from './pages/app';

/**
 * Equipamiento end to end (docs/equipment.md): the office fills the catalogue, scanning a box's
 * EAN-13 from a photo; a technician's phone at 360 px, offline, adds a device whose serial is read
 * by the camera (Chromium's fake camera plays a Code 128 video made here), takes the GPS point,
 * and nothing is fetched from another site; back online it syncs, the quick search finds the
 * customer by the serial and the MAC, a baja lists the device to recover and "Retirar" records it.
 */

const ORIGIN = `http://127.0.0.1:${E2E_PORT}`;
const SERIAL = '48575443ABCD1234';
const EAN = '4006381333931';
const POINT = { latitude: 40.656721, longitude: -4.700312 };

/** The scanner's camera: a browser of its own, whose fake camera shows `video`. */
async function phoneWithCamera(video: string) {
	const args = config.use?.launchOptions?.args ?? [];
	const browser = await chromium.launch({
		executablePath: config.use?.launchOptions?.executablePath,
		args: [
			...args,
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-video-capture=${video}`
		]
	});
	const context = await browser.newContext({
		baseURL: ORIGIN,
		locale: 'es-ES',
		timezoneId: 'Europe/Madrid',
		serviceWorkers: 'allow',
		viewport: { width: 360, height: 740 },
		geolocation: POINT,
		permissions: ['geolocation', 'camera']
	});
	return { browser, context, page: await context.newPage() };
}

async function quickSearch(page: Page, text: string) {
	await page.getByTestId('quick-search-open').click();
	await page.getByTestId('quick-search-input').fill(text);
	return page.getByTestId('quick-search-results');
}

test('Equipamiento: catalogue, a device added offline by scanning, search by serial and MAC, baja and Retirar', async ({
	browser
}, testInfo) => {
	test.setTimeout(240_000);
	const shot = (name: string) => testInfo.outputPath(name);
	const office = await device(browser);
	const page = office.page;
	await page.setViewportSize({ width: 1280, height: 800 });

	// A custom field for equipment.
	await page.goto('/configuracion/campos');
	await page.getByTestId('add-custom-field').click();
	const def = page.getByTestId('custom-field-form');
	await def.locator('input[name=name]').fill('SSID WiFi');
	await def.locator('select[name=target]').selectOption('equipment');
	await expect(def.locator('input[name=officeOnly]')).toHaveCount(0);
	await page.getByTestId('save-custom-field').click();
	await expect(page.getByTestId('equipment-field')).toHaveCount(1);

	// The catalogue: the barcode is read from a photo of the box (this browser has no camera).
	await page.goto('/configuracion/equipos');
	await page.getByTestId('new-product').click();
	const form = page.getByTestId('product-form');
	await form.locator('input[name=name]').fill('ONT Huawei HG8245');
	await form.locator('input[name=code]').fill('ONT-HG8245');
	await form.locator('input[name=price]').fill('45,00');
	await form.locator('select[name=familyId]').selectOption({ label: 'ONT' });
	await page.getByTestId('scan-barcode').click();
	const scanner = page.getByTestId('scanner').filter({ visible: true });
	await expect(scanner.getByTestId('scanner-error')).toBeVisible();
	await scanner
		.getByTestId('scanner-photo')
		.setInputFiles(await barcodePng(EAN, 'EAN13', testInfo.outputPath('ean.png')));
	await expect(form.locator('input[name=barcode]')).toHaveValue(EAN);
	await page.getByTestId('save-product').click();
	await expect(page.getByTestId('product-item').filter({ hasText: 'ONT-HG8245' })).toContainText(
		EAN
	);
	// A second product with the same barcode is refused on the field, nothing lost.
	await page.getByTestId('new-product').click();
	await form.locator('input[name=name]').fill('Otra ONT');
	await form.locator('input[name=code]').fill('ONT-OTRA');
	await form.locator('input[name=barcode]').fill(EAN);
	await form.locator('input[name=price]').fill('1');
	await page.getByTestId('save-product').click();
	await expect(form.locator('.invalid')).toContainText('Ya lo tiene «ONT Huawei HG8245»');
	await form.getByRole('button', { name: 'Cancelar' }).click();
	await page.screenshot({ path: shot('catalogo-1280.png'), fullPage: true });

	const id = await createCustomer(page, {
		name: 'Rosa Equipos Prueba',
		taxId: makeNif(30_000_000 + Math.floor(Math.random() * 60_000_000))
	});
	await addAddress(page, { label: 'servicio', street: 'C/ Sótano 3', town: 'Ávila' });
	await expectSynced(page);

	// The technician's phone, offline, with a camera that sees the serial's Code 128.
	const video = await barcodeVideo(SERIAL, 'Code128', testInfo.outputPath('serial.y4m'));
	const phone = await phoneWithCamera(video);
	const tech = phone.page;
	const foreign: string[] = [];
	const wasm: string[] = [];
	phone.context.on('request', (r) => {
		const url = r.url();
		if (url.includes('zxing_reader')) wasm.push(url);
		if (!url.startsWith(ORIGIN) && !/^(data|blob|chrome-extension):/.test(url)) foreign.push(url);
	});
	await login(tech);
	await tech.goto(`/clientes/${id}/equipamiento`);
	await expect(tech.getByTestId('equipment-tab')).toBeVisible();
	await waitForOfflineReady(tech);
	await phone.context.setOffline(true);

	await tech.getByTestId('add-equipment').click();
	const eq = tech.getByTestId('equipment-form');
	await eq
		.locator('select[name=productId]')
		.selectOption({ label: 'ONT Huawei HG8245 · ONT-HG8245' });
	await tech.getByTestId('scan-serial').click();
	await expect(tech.getByTestId('scanner-video').filter({ visible: true })).toBeVisible();
	await tech.screenshot({ path: shot('escaner-360.png') });
	await expect(eq.locator('input[name=serial]')).toHaveValue(SERIAL, { timeout: 20_000 });
	await expect(tech.getByTestId('scanner').filter({ visible: true })).toHaveCount(0);
	// A wrong MAC is refused on its field; written with dashes it is stored with colons.
	await eq.locator('input[name=mac]').fill('aa-bb-cc-dd-ee');
	await tech.getByTestId('save-equipment').click();
	await expect(eq.locator('.invalid')).toContainText('MAC no válida');
	await expect(eq.locator('input[name=serial]')).toHaveValue(SERIAL);
	await eq.locator('input[name=mac]').fill('aa-bb-cc-dd-ee-0f');
	await eq.getByLabel('SSID WiFi').fill('WIFI-ROSA');
	await eq.locator('textarea[name=locationNotes]').fill('Sótano, junto al cuadro eléctrico');
	await tech.getByTestId('use-location').click();
	await expect(eq.getByTestId('gps-point')).toHaveText('40.656721, -4.700312');
	await tech.screenshot({ path: shot('equipo-form-360.png'), fullPage: true });
	await tech.getByTestId('save-equipment').click();
	const item = tech.getByTestId('equipment-item');
	await expect(item.getByTestId('equipment-serial')).toHaveText(SERIAL);
	await expect(item.getByTestId('equipment-mac')).toHaveText('AA:BB:CC:DD:EE:0F');
	await expect(item.getByTestId('equipment-gps')).toHaveText('40.656721, -4.700312');
	await expect(item).toContainText('WIFI-ROSA');
	await expect(item.getByTestId('equipment-state')).toHaveText('Instalado');
	// Offline the reader came from our own origin (the service worker's copy), nothing else.
	expect(wasm.length, 'the reader was loaded').toBeGreaterThan(0);
	expect(foreign, 'requests to other sites').toEqual([]);
	await tech.reload();
	await expect(tech.getByTestId('equipment-serial')).toHaveText(SERIAL);
	await tech.screenshot({ path: shot('equipamiento-360.png'), fullPage: true });
	await phone.context.setOffline(false);
	await expectSynced(tech, 20_000);
	await phone.browser.close();

	// The office finds the customer by the serial and by the MAC, on the Equipamiento tab.
	await page.goto('/clientes');
	await expectSynced(page);
	let results = await quickSearch(page, SERIAL.toLowerCase());
	await expect(results).toContainText('Rosa Equipos Prueba');
	await expect(results.getByTestId('quick-search-tab')).toHaveText('Equipamiento');
	await page.keyboard.press('Enter');
	await page.waitForURL(`**/clientes/${id}/equipamiento`);
	results = await quickSearch(page, 'AABBCCDDEE0F');
	await expect(results).toContainText('Rosa Equipos Prueba');
	await page.keyboard.press('Escape');

	// The baja lists the rented ONT to recover; "Retirar" records it.
	await page.goto(`/clientes/${id}/resumen`);
	await page.getByTestId('state-select').selectOption({ label: 'Baja' });
	const confirm = page.getByTestId('confirm-state');
	await expect(confirm.getByTestId('state-plan-equipment')).toContainText(
		`ONT Huawei HG8245 · S/N ${SERIAL}`
	);
	await page.screenshot({ path: shot('baja-1280.png') });
	await confirm.getByTestId('confirm-state-confirm').click();
	await expect(page.getByTestId('state-badge')).toHaveText('Baja');
	await page.goto(`/clientes/${id}/equipamiento`);
	const recover = page.getByTestId('equipment-to-recover');
	await expect(recover).toContainText(SERIAL);
	await page.screenshot({ path: shot('recuperar-1280.png'), fullPage: true });
	await recover.getByTestId('recover-retire').click();
	await page.getByTestId('confirm-retire-confirm').click();
	await expect(page.getByTestId('equipment-state')).toHaveText('Retirado');
	await expect(page.getByTestId('equipment-retired-on')).toBeVisible();
	await expect(recover).toHaveCount(0);
	await expectSynced(page);
	await page.goto(`/clientes/${id}/historial`);
	await expect(page.locator('main')).toContainText('retirado');
	await office.context.close();
});
