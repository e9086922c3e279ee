import { expect, test, type Page } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import { createCustomer, device, expectSynced, login, waitForOfflineReady } from './pages/app';
import { adminToken, jpeg, photo, serverBytes, serverFiles, sha256 } from './pages/files';

/**
 * Photos of equipment (docs/equipment.md, docs/files.md): a technician's phone at 360 px, in a
 * basement with no signal, adds a device and takes two photos of it (a camera PNG and a JPEG); a
 * reload keeps them with their thumbnails; when the signal is back both reach the server byte for
 * byte (SHA-256 of what the phone stored); the office at 1280 px sees them under the device and in
 * Repositorio (tag «Equipo»); a photo deleted on the phone is gone.
 */

/** SHA-256 of each file's bytes waiting in this page's IndexedDB (`fileUpload`), by file id. */
const storedHashes = (page: Page) =>
	page.evaluate(
		() =>
			new Promise<Record<string, string>>((resolve, reject) => {
				const open = indexedDB.open('enlace');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const req = open.result.transaction('fileUpload').objectStore('fileUpload').getAll();
					req.onerror = () => reject(req.error);
					req.onsuccess = async () => {
						open.result.close();
						const out: Record<string, string> = {};
						for (const row of req.result as { id: string; blob: Blob }[]) {
							const digest = await crypto.subtle.digest('SHA-256', await row.blob.arrayBuffer());
							out[row.id] = [...new Uint8Array(digest)]
								.map((b) => b.toString(16).padStart(2, '0'))
								.join('');
						}
						resolve(out);
					};
				};
			})
	);

test('Equipment photos on a 360 px phone: taken offline, kept over a reload with thumbnails, uploaded when the signal is back, seen by the office', async ({
	browser,
	request
}, testInfo) => {
	test.setTimeout(180_000);
	const shot = (name: string) => testInfo.outputPath(name);

	// The office: a product in the catalogue and the customer.
	const office = await device(browser);
	const desk = office.page;
	await desk.setViewportSize({ width: 1280, height: 800 });
	await desk.goto('/configuracion/equipos');
	await desk.getByTestId('new-product').click();
	const product = desk.getByTestId('product-form');
	await product.locator('input[name=name]').fill('ONT Fotos');
	const code = `ONT-F-${Date.now().toString(36).toUpperCase()}`;
	await product.locator('input[name=code]').fill(code);
	await product.locator('input[name=price]').fill('40');
	await product.locator('select[name=familyId]').selectOption({ label: 'ONT' });
	await desk.getByTestId('save-product').click();
	// The suite shares one server: the catalogue may hold other specs' products.
	await expect(desk.getByTestId('product-item').filter({ hasText: code })).toContainText(
		'ONT Fotos'
	);
	const id = await createCustomer(desk, {
		name: 'Taller del Sótano',
		taxId: makeNif(30_000_000 + Math.floor(Math.random() * 60_000_000))
	});
	await expectSynced(desk);
	const camera = photo(1200, 900);
	const picture = await jpeg(desk, 1600, 1200);

	// The phone goes down to the basement: no signal.
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const phone = await context.newPage();
	await login(phone);
	await phone.goto(`/clientes/${id}/equipamiento`);
	await expect(phone.getByTestId('equipment-tab')).toBeVisible();
	await waitForOfflineReady(phone);
	await context.setOffline(true);

	await phone.getByTestId('add-equipment').click();
	const form = phone.getByTestId('equipment-form');
	await form.locator('select[name=productId]').selectOption({ label: `ONT Fotos · ${code}` });
	await form.locator('input[name=serial]').fill('SN-FOTO-0001');
	await phone.getByTestId('save-equipment').click();
	const item = phone.getByTestId('equipment-item');
	await expect(item.getByTestId('equipment-serial')).toHaveText('SN-FOTO-0001');

	// Something that is not a photo is refused, said under the button, nothing added.
	await item.getByTestId('equipment-photo-input').setInputFiles({
		name: 'notas.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('no soy una foto')
	});
	await expect(item.getByTestId('equipment-photos')).toContainText('«notas.txt» no es una foto');
	await expect(item.getByTestId('equipment-photo')).toHaveCount(0);

	// Two photos at once, as the camera input hands them over.
	await expect(item.getByTestId('add-equipment-photo')).toBeVisible();
	await item.getByTestId('equipment-photo-input').setInputFiles([
		{ name: 'IMG_0001.png', mimeType: 'image/png', buffer: camera },
		{ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: picture }
	]);
	const photos = item.getByTestId('equipment-photo');
	await expect(photos).toHaveCount(2);
	await expect(item.getByTestId('equipment-photo-state')).toHaveText([
		'Esperando conexión',
		'Esperando conexión'
	]);
	await expect(phone.getByTestId('upload-count')).toContainText('↑2');
	const thumbsLoaded = () =>
		item
			.getByTestId('file-thumb')
			.evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length);
	await expect.poll(thumbsLoaded).toBe(2);
	const stored = await storedHashes(phone);
	expect(Object.keys(stored)).toHaveLength(2);
	await phone.screenshot({ path: shot('equipo-fotos-360-offline.png'), fullPage: true });

	// A reload with no network: both still there, thumbnails from the bytes on the phone.
	await phone.reload();
	await expect(phone.getByTestId('equipment-photo')).toHaveCount(2);
	await expect.poll(thumbsLoaded).toBe(2);
	// Opened at full size, offline.
	await phone.getByTestId('open-equipment-photo').first().click();
	const viewer = phone.getByTestId('equipment-photo-viewer');
	await expect(viewer.getByTestId('equipment-photo-full')).toBeVisible();
	await phone.screenshot({ path: shot('equipo-foto-abierta-360.png') });
	await viewer.getByRole('button', { name: 'Cerrar' }).click();
	await expect(viewer).toBeHidden();

	// The signal is back: both upload by themselves.
	await context.setOffline(false);
	await expect(phone.getByTestId('equipment-photo-state')).toHaveText(['Subido', 'Subido'], {
		timeout: 30_000
	});
	await expectSynced(phone);

	// The server has both, byte for byte what the phone stored, linked to the device.
	const token = await adminToken(request);
	const rows = await serverFiles(request, id, token);
	expect(rows).toHaveLength(2);
	expect(new Set(rows.map((r) => r.equipmentId)).size).toBe(1);
	expect(rows[0].equipmentId).toBeTruthy();
	for (const row of rows) {
		expect(row.tag).toBe('Equipo');
		expect(row.storedAt).toBeTruthy();
		const { status, bytes } = await serverBytes(request, row.id, token);
		expect(status).toBe(200);
		expect(sha256(bytes)).toBe(stored[row.id]);
		expect(sha256(bytes)).toBe(row.sha256);
	}

	// The office sees them under the device (opening one fetches it, then it has a thumbnail)…
	await desk.goto(`/clientes/${id}/equipamiento`);
	const deskItem = desk.getByTestId('equipment-item');
	await expect(deskItem.getByTestId('equipment-photo-state')).toHaveText(['Subido', 'Subido']);
	await deskItem.getByTestId('open-equipment-photo').first().click();
	await expect(desk.getByTestId('equipment-photo-full').filter({ visible: true })).toBeVisible();
	await desk
		.getByTestId('equipment-photo-viewer')
		.filter({ visible: true })
		.getByRole('button', { name: 'Cerrar' })
		.click();
	await expect(deskItem.getByTestId('file-thumb')).toHaveCount(1);
	await desk.screenshot({ path: shot('equipo-fotos-1280.png'), fullPage: true });
	// …and in Repositorio, tagged «Equipo».
	await desk.goto(`/clientes/${id}/repositorio`);
	await expect(desk.getByTestId('file-item')).toHaveCount(2);
	await expect(desk.getByTestId('file-tag')).toHaveText(['Equipo', 'Equipo']);

	// The author deletes one on the phone: gone there and from the office's list.
	await phone.getByTestId('open-equipment-photo').last().click();
	await phone.getByTestId('delete-equipment-photo').filter({ visible: true }).click();
	await phone
		.getByTestId('confirm-delete-equipment-photo')
		.filter({ visible: true })
		.getByRole('button', { name: 'Eliminar' })
		.click();
	await expect(phone.getByTestId('equipment-photo')).toHaveCount(1);
	await expect(desk.getByTestId('file-item')).toHaveCount(1, { timeout: 15_000 });

	await office.context.close();
	await context.close();
});
