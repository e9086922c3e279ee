import { expect, test } from '@playwright/test';
import { createCustomer, expectSynced, login, waitForOfflineReady } from './pages/app';
import { adminToken, photo, serverBytes, serverFiles, sha256 } from './pages/files';

const PHONE = { width: 360, height: 740 };

test('Repositorio on a 360 px phone: a photo and a signed contract taken offline survive a reload, upload when the signal is back, and the office sees and downloads them', async ({
	browser,
	request
}) => {
	const context = await browser.newContext({ viewport: PHONE });
	const page = await context.newPage();
	await login(page);
	const id = await createCustomer(page, { name: 'Bar del Sótano', taxId: '00000019L' });
	await page.goto(`/clientes/${id}/repositorio`);
	await waitForOfflineReady(page);

	await context.setOffline(true);
	// Bad input first: said on the fields, nothing kept.
	await page.getByTestId('add-file').click();
	await page.getByTestId('save-file').click();
	const form = page.getByTestId('file-form');
	await expect(form).toContainText('Indique el nombre del recurso');
	await expect(form).toContainText('Elija un archivo o haga una foto');

	// The camera's photo (shrunk on the device), then the contract as a PDF.
	const picture = photo(1200, 900);
	await page.getByTestId('camera-input').setInputFiles({
		name: 'IMG_0001.png',
		mimeType: 'image/png',
		buffer: picture
	});
	await form.locator('input[name=name]').fill('Router instalado');
	await form.locator('input[name=tag]').fill('instalación');
	await page.getByTestId('save-file').click();
	await expect(page.getByTestId('file-item')).toHaveCount(1);
	// The photo's thumbnail, from the bytes on the phone (no network).
	await expect(page.getByTestId('file-thumb')).toHaveCount(1);
	await expect
		.poll(() =>
			page.getByTestId('file-thumb').evaluate((img: HTMLImageElement) => img.naturalWidth)
		)
		.toBeGreaterThan(0);

	const contract = Buffer.from(
		'%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n' + 'x'.repeat(50_000)
	);
	await page.getByTestId('add-file').click();
	await page.getByTestId('file-input').setInputFiles({
		name: 'contrato-firmado.pdf',
		mimeType: 'application/pdf',
		buffer: contract
	});
	await expect(form.locator('input[name=name]')).toHaveValue('contrato-firmado');
	await form.locator('input[name=tag]').fill('contrato');
	await page.getByTestId('save-file').click();
	await expect(page.getByTestId('file-item')).toHaveCount(2);
	await expect(page.getByTestId('file-state').first()).toHaveText('Esperando conexión');
	await expect(page.getByTestId('upload-count')).toContainText('↑2');
	await page.screenshot({
		path: test.info().outputPath('repositorio-360-offline.png'),
		fullPage: true
	});

	// A reload with no network loses nothing: the bytes are in IndexedDB.
	await page.reload();
	await expect(page.getByTestId('file-item')).toHaveCount(2);
	await expect(page.getByTestId('upload-count')).toContainText('↑2');

	await context.setOffline(false);
	await expect(page.getByTestId('file-state')).toHaveText(['Subido', 'Subido'], {
		timeout: 30_000
	});
	await expect(page.getByTestId('upload-count')).toHaveCount(0);
	await expectSynced(page);

	// The server has both, byte for byte: the contract as taken, the photo as shrunk and hashed.
	const token = await adminToken(request);
	const rows = await serverFiles(request, id, token);
	expect(rows).toHaveLength(2);
	for (const row of rows) {
		expect(row.storedAt).toBeTruthy();
		const { status, bytes } = await serverBytes(request, row.id, token);
		expect(status).toBe(200);
		expect(sha256(bytes)).toBe(row.sha256);
		if (row.name === 'contrato-firmado') expect(sha256(bytes)).toBe(sha256(contract));
		// Shrunk on the device: a JPEG no wider than 2048 px, smaller than what the camera gave.
		if (row.name === 'Router instalado') {
			expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
			expect(bytes.length).toBeLessThan(picture.length);
		}
	}

	// The office, on a desk screen, sees them, filters by tag and downloads the contract.
	const office = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const desk = await office.newPage();
	await login(desk);
	await desk.goto(`/clientes/${id}/repositorio`);
	await expect(desk.getByTestId('file-item')).toHaveCount(2);
	await expect(desk.getByTestId('file-state')).toHaveText(['Subido', 'Subido']);
	await desk.getByTestId('tag-filter').selectOption('contrato');
	await expect(desk.getByTestId('file-item')).toHaveCount(1);
	await desk.screenshot({ path: test.info().outputPath('repositorio-1280.png'), fullPage: true });
	const [download] = await Promise.all([
		desk.waitForEvent('download'),
		desk.getByTestId('download-file').click()
	]);
	expect(download.suggestedFilename()).toBe('contrato-firmado.pdf');
	const path = await download.path();
	const fs = await import('node:fs');
	expect(sha256(fs.readFileSync(path))).toBe(sha256(contract));

	// Deleted on the phone: gone from the office's list too.
	await page.getByTestId('delete-file').last().click();
	await page.getByTestId('confirm-delete-file').getByRole('button', { name: 'Eliminar' }).click();
	await expect(page.getByTestId('file-item')).toHaveCount(1);
	await desk.getByTestId('tag-filter').selectOption('');
	await expect(desk.getByTestId('file-item')).toHaveCount(1, { timeout: 15_000 });
	await office.close();
	await context.close();
});
