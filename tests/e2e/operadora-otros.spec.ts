import { expect, test, type Page } from '@playwright/test';
import { createCustomer, device, expectSynced, waitForOfflineReady } from './pages/app';

/** Field names are unique per run: the e2e server is shared by every spec. */
const run = Date.now().toString(36);

const fieldIn = (page: Page, form: string, name: string) =>
	page.getByTestId(form).locator('.field', { has: page.locator(`[name="${name}"]`) });

test('Datos operadora: create, a VLAN error on its field, edit, clear, seen by another device', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	const id = await createCustomer(page, { name: 'Fibra Operadora Uno', taxId: '00000008P' });
	await page.goto(`/clientes/${id}/operadora`);
	const form = page.getByTestId('operator-form');
	await expect(page.getByTestId('save-operator')).toBeDisabled();

	await form.locator('input[name=lineId]').fill('FTTH-000123');
	await form.locator('input[name=ontSerial]').fill('HWTC1A2B3C4D');
	await form.locator('input[name=vlan]').fill('5000');
	await page.getByTestId('save-operator').click();
	await expect(fieldIn(page, 'operator-form', 'vlan')).toContainText(
		'La VLAN debe estar entre 1 y 4094'
	);
	await expect(form.locator('.field.invalid')).toHaveCount(1);
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');

	await form.locator('input[name=vlan]').fill('832');
	await form.locator('input[name=ctoPort]').fill('CTO-23 / 5');
	await form.locator('input[name=coverageZone]').fill('Ávila norte');
	await page.getByTestId('save-operator').click();
	await expect(form.getByRole('status')).toHaveText('Cambios guardados');
	await expect(page.getByTestId('save-operator')).toBeDisabled();

	// Edit one field, clear another: a patch of just those two.
	await form.locator('input[name=ontSerial]').fill('ZTEG12345678');
	await form.locator('input[name=lineId]').fill('');
	await page.getByTestId('save-operator').click();
	await expect(page.getByTestId('save-operator')).toBeDisabled();
	await expectSynced(page);

	await page.reload();
	await expect(form.locator('input[name=ontSerial]')).toHaveValue('ZTEG12345678');
	await expect(form.locator('input[name=lineId]')).toHaveValue('');

	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/operadora`);
	const bForm = b.page.getByTestId('operator-form');
	await expect(bForm.locator('input[name=vlan]')).toHaveValue('832');
	await expect(bForm.locator('input[name=ontSerial]')).toHaveValue('ZTEG12345678');
	await expect(bForm.locator('input[name=ctoPort]')).toHaveValue('CTO-23 / 5');
	await expect(bForm.locator('input[name=lineId]')).toHaveValue('');

	// Historial records what changed, field by field.
	await page.goto(`/clientes/${id}/historial`);
	await expect(page.getByTestId('history-list')).toContainText(
		'Datos operadora: Número de serie ONT'
	);
	await b.context.close();
	await context.close();
});

test('Datos operadora offline: saved without signal, synced later, seen by another device', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, { name: 'Fibra Sin Cobertura', taxId: '00000009D' });
	await expectSynced(a.page);
	await waitForOfflineReady(a.page);
	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/operadora`);
	await expect(b.page.getByTestId('operator-form')).toBeVisible();

	await a.context.setOffline(true);
	await a.page.goto(`/clientes/${id}/operadora`);
	await a.page.reload();
	const form = a.page.getByTestId('operator-form');
	await form.locator('input[name=coverageZone]').fill('Sótano sin cobertura');
	await form.locator('input[name=vlan]').fill('S100 / C832');
	await a.page.getByTestId('save-operator').click();
	await expect(a.page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '1');
	await expect(form).toContainText('Cambios sin enviar');

	await a.context.setOffline(false);
	const bForm = b.page.getByTestId('operator-form');
	await expect(bForm.locator('input[name=coverageZone]')).toHaveValue('Sótano sin cobertura', {
		timeout: 10_000
	});
	await expect(bForm.locator('input[name=vlan]')).toHaveValue('S100 / C832');
	await expectSynced(a.page);
	await a.context.close();
	await b.context.close();
});

async function defineField(page: Page, name: string, type: string, options?: string) {
	await page.getByTestId('add-custom-field').click();
	const form = page.getByTestId('custom-field-form');
	await form.locator('input[name=name]').fill(name);
	await form.locator('select[name=type]').selectOption(type);
	if (options) await form.locator('textarea[name=options]').fill(options);
	await page.getByTestId('save-custom-field').click();
	await expect(form).toHaveCount(0);
}

test('Otros: fields defined in Configuración, typed values with errors on the field, searchable, offline', async ({
	browser
}) => {
	const a = await device(browser);
	const height = `Altura antena ${run}`;
	const mount = `Soporte ${run}`;
	const ups = `Tiene SAI ${run}`;
	const notes = `Observaciones ${run}`;
	const checked = `Revisión ${run}`;

	await a.page.goto('/configuracion/campos');
	// A list without options is refused on its field before anything is queued.
	await a.page.getByTestId('add-custom-field').click();
	const defForm = a.page.getByTestId('custom-field-form');
	await defForm.locator('input[name=name]').fill(mount);
	await defForm.locator('select[name=type]').selectOption('list');
	await a.page.getByTestId('save-custom-field').click();
	await expect(fieldIn(a.page, 'custom-field-form', 'options')).toContainText(
		'Una lista necesita al menos una opción'
	);
	await defForm.getByRole('button', { name: 'Cancelar' }).click();

	await defineField(a.page, height, 'number');
	await defineField(a.page, mount, 'list', 'Tejado\nFachada\nMástil');
	await defineField(a.page, ups, 'boolean');
	await defineField(a.page, notes, 'text');
	await defineField(a.page, checked, 'date');
	await expect(a.page.getByTestId('custom-field-item').filter({ hasText: run })).toHaveCount(5);

	const id = await createCustomer(a.page, { name: 'Cliente Campos Otros', taxId: '00000010X' });
	await a.page.goto(`/clientes/${id}/otros`);
	const form = a.page.getByTestId('custom-values-form');
	await form.getByLabel(height).fill('siete');
	await form.getByLabel(checked).fill('2026-03-01');
	await a.page.getByTestId('save-custom-values').click();
	await expect(form.locator('.field', { has: a.page.getByLabel(height) })).toContainText(
		'Escriba un número'
	);
	await expect(a.page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');

	await form.getByLabel(height).fill('7,5');
	await form.getByLabel(mount).selectOption('Mástil');
	await form.getByLabel(ups).selectOption('si');
	await form.getByLabel(notes).fill(`Mástil en la azotea ${run}`);
	await a.page.getByTestId('save-custom-values').click();
	await expect(form.getByRole('status')).toHaveText('Cambios guardados');
	await expectSynced(a.page);

	// Edit one, clear another.
	await form.getByLabel(height).fill('9');
	await form.getByLabel(checked).fill('');
	await a.page.getByTestId('save-custom-values').click();
	await expect(a.page.getByTestId('save-custom-values')).toBeDisabled();
	await expectSynced(a.page);
	await a.page.reload();
	await expect(form.getByLabel(height)).toHaveValue('9');
	await expect(form.getByLabel(mount)).toHaveValue('Mástil');
	await expect(form.getByLabel(ups)).toHaveValue('si');
	await expect(form.getByLabel(checked)).toHaveValue('');

	// Found from the customer list by a custom value.
	await a.page.goto('/clientes');
	await a.page.getByTestId('customer-search').fill(`azotea ${run}`);
	await expect(a.page.getByTestId('customer-results')).toContainText('Cliente Campos Otros');

	// Offline edit on one device, seen on another once back online.
	await waitForOfflineReady(a.page);
	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/otros`);
	await expect(b.page.getByTestId('custom-values-form').getByLabel(height)).toHaveValue('9');
	await a.context.setOffline(true);
	await a.page.goto(`/clientes/${id}/otros`);
	await a.page.reload();
	await form.getByLabel(mount).selectOption('Fachada');
	await a.page.getByTestId('save-custom-values').click();
	await expect(a.page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '1');
	await a.context.setOffline(false);
	await expect(b.page.getByTestId('custom-values-form').getByLabel(mount)).toHaveValue('Fachada', {
		timeout: 10_000
	});
	await expectSynced(a.page);

	// Deleting a definition removes it, and its values, from every customer.
	await a.page.goto('/configuracion/campos');
	await a.page
		.getByTestId('custom-field-item')
		.filter({ hasText: notes })
		.getByRole('button', { name: 'Eliminar' })
		.click();
	const ask = a.page.getByTestId('confirm-delete-field');
	await expect(ask).toContainText('Se borrará su valor en 1 cliente');
	await ask.getByTestId('confirm-delete-field-confirm').click();
	await expect(a.page.getByTestId('custom-field-item').filter({ hasText: run })).toHaveCount(4);
	await b.page.goto(`/clientes/${id}/otros`);
	await expect(b.page.getByTestId('custom-values-form').getByLabel(height)).toHaveValue('9');
	await expect(b.page.getByTestId('custom-values-form').getByLabel(notes)).toHaveCount(0, {
		timeout: 10_000
	});
	await a.context.close();
	await b.context.close();
});
