import { createHash } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN } from '../playwright.config';
import { PNG } from 'pngjs';
import { pdfPageCount, pdfText } from '../support/pdf';
import { createCustomer, expectSynced, login, waitForOfflineReady } from './pages/app';

const PHONE = { width: 360, height: 740 };
const POINT = { latitude: 40.656685, longitude: -4.681208, accuracy: 10 };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Change = { entity: string; op: string; data?: Record<string, unknown> };

/** Every row the server holds, as the admin pulls them. */
async function serverRows(request: APIRequestContext, token: string): Promise<Change[]> {
	const r = await request.get('/api/sync/pull?since=0&limit=5000', {
		headers: { authorization: `Bearer ${token}` }
	});
	return ((await r.json()) as { changes: Change[] }).changes;
}

/** A photo-like PNG of a page, as a phone camera would hand over. */
function photo(w: number, h: number): Buffer {
	const png = new PNG({ width: w, height: h });
	for (let i = 0; i < w * h; i++) {
		png.data[i * 4] = ((i % w) * 255) / w;
		png.data[i * 4 + 1] = (Math.floor(i / w) * 255) / h;
		png.data[i * 4 + 2] = (i * 7) % 255;
		png.data[i * 4 + 3] = 255;
	}
	return PNG.sync.write(png);
}

/** A signature with the mouse: a few strokes across the canvas. */
async function scribble(page: Page) {
	const canvas = page.getByTestId('signature-canvas');
	await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
	const box = (await canvas.boundingBox())!;
	const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
	for (const stroke of [
		[
			[0.1, 0.7],
			[0.25, 0.2],
			[0.35, 0.8],
			[0.5, 0.3]
		],
		[
			[0.55, 0.6],
			[0.7, 0.4],
			[0.9, 0.65]
		]
	]) {
		await page.mouse.move(...at(stroke[0][0], stroke[0][1]));
		await page.mouse.down();
		for (const [x, y] of stroke.slice(1)) await page.mouse.move(...at(x, y), { steps: 8 });
		await page.mouse.up();
	}
}

test('Contratos: a template in Configuración, a contract made from it offline on a 360 px phone, signed on the screen, uploaded when the signal is back with its SHA-256 in Historial', async ({
	browser,
	request
}, testInfo) => {
	test.setTimeout(180_000);

	// The office writes the template on a desk; an unknown placeholder is refused on the body.
	const office = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const desk = await office.newPage();
	await login(desk);
	await desk.goto('/configuracion/contratos');
	await desk.getByTestId('add-contract-template').click();
	const tform = desk.getByTestId('contract-template-form');
	await tform.locator('input[name=name]').fill('Alta de fibra');
	await tform
		.locator('textarea[name=body]')
		.fill('Yo, {{cliente.nombr}}, con NIF {{cliente.nif}}, contrato el servicio el {{fecha}}.');
	await desk.getByTestId('save-contract-template').click();
	await expect(tform).toContainText('Marcador desconocido: {{cliente.nombr}}');
	await tform
		.locator('textarea[name=body]')
		.fill(
			'Yo, {{cliente.nombre}}, con NIF {{cliente.nif}}, contrato con {{empresa}} el servicio de internet.\n\nFirmado el {{fecha}}.'
		);
	await desk.getByTestId('save-contract-template').click();
	await expect(desk.getByTestId('contract-template')).toHaveCount(1);
	await desk.screenshot({
		path: testInfo.outputPath('contratos-plantillas-1280.png'),
		fullPage: true
	});
	await expectSynced(desk);

	// The technician's phone, with GPS.
	const context = await browser.newContext({
		viewport: PHONE,
		geolocation: POINT,
		permissions: ['geolocation']
	});
	const page = await context.newPage();
	await login(page);
	const id = await createCustomer(page, { name: 'Lucía Pérez Ñúñez', taxId: '00000019L' });
	await page.goto(`/clientes/${id}/contratos`);
	await waitForOfflineReady(page);

	await context.setOffline(true);
	await page.getByTestId('add-signed-contract').click();
	const form = page.getByTestId('signed-contract-form');
	await page.getByTestId('save-signed-contract').click();
	await expect(form).toContainText('Indique el nombre del contrato');
	await form.locator('input[name=name]').fill('Contrato de alta');
	await form.locator('select[name=templateId]').selectOption({ label: 'Alta de fibra' });
	await expect(page.getByTestId('save-signed-contract')).toHaveText('Guardar Contrato');
	await page.getByTestId('save-signed-contract').click();
	const row = page.getByTestId('signed-contract');
	await expect(row).toHaveCount(1);
	await expect(row.getByTestId('contract-state')).toHaveText('Pendiente');

	// Sign: nothing drawn is refused; "Borrar" clears; then the real strokes.
	await row.getByTestId('sign-contract').click();
	const panel = page.getByTestId('sign-panel');
	await expect(panel.getByTestId('sign-body')).toContainText(
		'Yo, Lucía Pérez Ñúñez, con NIF 00000019L'
	);
	await expect(panel.locator('input[name=signerName]')).toHaveValue('Lucía Pérez Ñúñez');
	await page.getByTestId('finish-signed').click();
	await expect(panel).toContainText('Falta la firma');
	await scribble(page);
	await page.getByTestId('signature-clear').click();
	await page.getByTestId('finish-signed').click();
	await expect(panel).toContainText('Falta la firma');
	await scribble(page);
	await page.screenshot({ path: testInfo.outputPath('contratos-firma-360.png'), fullPage: true });
	for (const button of await panel.locator('button').all()) {
		expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	}
	await page.getByTestId('finish-signed').click();
	await expect(panel).toHaveCount(0, { timeout: 20_000 });
	await expect(row.getByTestId('contract-state')).toHaveText('Firmado');
	await expect(row.getByTestId('contract-upload')).toContainText('se sube al haber conexión');
	const shown = (await row.getByTestId('contract-sha').textContent())!
		.replace('SHA-256', '')
		.trim();
	expect(shown).toMatch(/^[0-9a-f]{64}$/);
	await page.screenshot({ path: testInfo.outputPath('contratos-360.png'), fullPage: true });

	// A reload with no network loses nothing.
	await page.reload();
	await expect(row.getByTestId('contract-state')).toHaveText('Firmado');

	await context.setOffline(false);
	await expect(row.getByTestId('contract-upload')).toHaveText('PDF en el servidor', {
		timeout: 30_000
	});
	await expectSynced(page);

	// The server: the contract signed, its file stored with the same SHA-256, the hash in Historial,
	// and the PDF says who signed, with the GPS point.
	const res = await request.post('/api/auth/login', { data: ADMIN });
	const { token } = (await res.json()) as { token: string };
	const changes = await serverRows(request, token);
	const contract = changes.find(
		(c) => c.entity === 'signedContract' && c.op === 'put' && c.data?.customerId === id
	)!.data!;
	expect(contract).toMatchObject({ state: 'firmado', signedHow: 'pantalla', sha256: shown });
	expect(contract.lat).toBeCloseTo(POINT.latitude, 5);
	const got = await request.get(`/api/files/${contract.fileId as string}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(got.status()).toBe(200);
	const bytes = Buffer.from(await got.body());
	expect(sha256(bytes)).toBe(contract.sha256);
	const history = changes.filter(
		(c) => c.entity === 'history' && c.op === 'put' && c.data?.customerId === id
	);
	expect(history.some((h) => h.data?.field === 'sha256' && h.data?.newValue === shown)).toBe(true);
	const text = pdfText(new Uint8Array(bytes));
	expect(text).toContain('Firmante: Lucía Pérez Ñúñez');
	expect(text).toContain('NIF: 00000019L');
	expect(text).toContain('Ubicación GPS: 40.656685, -4.681208');

	// The office sees it signed.
	await desk.goto(`/clientes/${id}/contratos`);
	await expect(desk.getByTestId('contract-state')).toHaveText('Firmado');
	await expect(desk.getByTestId('contract-upload')).toHaveText('PDF en el servidor');
	await desk.screenshot({ path: testInfo.outputPath('contratos-1280.png'), fullPage: true });
	await office.close();
	await context.close();
});

test('Contratos: the signed paper photographed page by page becomes one PDF on the phone, or a signed PDF is uploaded as it is', async ({
	browser,
	request
}) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({ viewport: PHONE });
	const page = await context.newPage();
	await login(page);
	const id = await createCustomer(page, { name: 'Bar del Puerto', taxId: '00000019L' });
	await page.goto(`/clientes/${id}/contratos`);
	const form = page.getByTestId('signed-contract-form');
	for (const name of ['Contrato en papel', 'Contrato escaneado']) {
		await page.getByTestId('add-signed-contract').click();
		await form.locator('input[name=name]').fill(name);
		await page.getByTestId('save-signed-contract').click();
		await expect(form).toHaveCount(0);
	}
	const rows = page.getByTestId('signed-contract');
	await expect(rows).toHaveCount(2);
	const paper = rows.filter({ hasText: 'Contrato en papel' });
	const scanned = rows.filter({ hasText: 'Contrato escaneado' });

	// Two photos, one PDF of two pages.
	await paper.getByTestId('photograph-signed').click();
	await page.getByTestId('finish-signed').click();
	await expect(page.getByTestId('sign-panel')).toContainText('Haga o elija las fotos');
	await page.getByTestId('signed-photos-input').setInputFiles([
		{ name: 'pagina-1.png', mimeType: 'image/png', buffer: photo(900, 1200) },
		{ name: 'pagina-2.png', mimeType: 'image/png', buffer: photo(900, 1200) }
	]);
	await expect(page.getByTestId('chosen-files').locator('li')).toHaveCount(2);
	await page.getByTestId('finish-signed').click();
	await expect(paper.getByTestId('contract-state')).toHaveText('Firmado', { timeout: 20_000 });
	await expect(paper).toContainText('Fotos del papel');

	// A file that is not a PDF is refused on the field; a PDF is kept byte for byte.
	await scanned.getByTestId('upload-signed').click();
	await page.getByTestId('signed-pdf-input').setInputFiles({
		name: 'contrato.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('no')
	});
	await page.getByTestId('finish-signed').click();
	await expect(page.getByTestId('sign-panel')).toContainText('El archivo no es un PDF');
	const pdf = Buffer.from(
		'%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
	);
	await page.getByTestId('signed-pdf-input').setInputFiles({
		name: 'escaneado.pdf',
		mimeType: 'application/pdf',
		buffer: pdf
	});
	await page.getByTestId('finish-signed').click();
	await expect(scanned.getByTestId('contract-state')).toHaveText('Firmado', { timeout: 20_000 });
	await expect(page.getByTestId('contract-upload')).toHaveText(
		['PDF en el servidor', 'PDF en el servidor'],
		{ timeout: 30_000 }
	);
	await expectSynced(page);

	const res = await request.post('/api/auth/login', { data: ADMIN });
	const { token } = (await res.json()) as { token: string };
	const contracts = (await serverRows(request, token))
		.filter((c) => c.entity === 'signedContract' && c.op === 'put' && c.data?.customerId === id)
		.map((c) => c.data!);
	expect(contracts).toHaveLength(2);
	for (const c of contracts) {
		const got = await request.get(`/api/files/${c.fileId as string}`, {
			headers: { authorization: `Bearer ${token}` }
		});
		const bytes = Buffer.from(await got.body());
		expect(sha256(bytes)).toBe(c.sha256);
		if (c.signedHow === 'fotos') expect(pdfPageCount(new Uint8Array(bytes))).toBe(2);
		else expect(sha256(bytes)).toBe(sha256(pdf));
	}
	await context.close();
});
