import { expect, test } from '@playwright/test';
import {
	addAddress,
	addContact,
	backOnline,
	createCustomer,
	device,
	editCustomerField,
	expectSynced,
	waitForOfflineReady
} from './pages/app';

test('a customer with two addresses and two contacts, created and found again', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	const id = await createCustomer(page, {
		name: 'Lucía Fernández Soto',
		taxId: '00000000T',
		phone: '600 123 456',
		email: 'lucia@example.es'
	});
	// A provisional code first, then the server's code once the push lands.
	await expect(page.getByTestId('header-code')).toHaveText(/^C\d{5}$/);
	await addAddress(page, {
		label: 'fiscal',
		street: 'Calle Mayor 1',
		postalCode: '05001',
		town: 'Ávila',
		province: 'Ávila'
	});
	await addAddress(page, {
		label: 'servicio',
		street: 'Camino del Molino 7',
		postalCode: '05200',
		town: 'Arévalo'
	});
	await expect(page.getByTestId('address-item')).toHaveCount(2);

	await page.goto(`/clientes/${id}/contactos`);
	await addContact(page, { name: 'Pedro Fernández', phone: '611222333' });
	await addContact(page, {
		name: 'Marta Soto',
		email: 'marta@example.es',
		comment: 'Llamar por la tarde'
	});
	await expect(page.getByTestId('contact-item')).toHaveCount(2);
	await expectSynced(page);

	// Instant search by town (accent-insensitive), phone digits and tax id.
	await page.goto('/clientes');
	for (const q of ['arevalo', '600123456', '00000000T', 'lucia fernandez']) {
		await page.getByTestId('customer-search').fill(q);
		await expect(page.getByTestId('customer-results')).toContainText('Lucía Fernández Soto');
	}
	await page.keyboard.press('Enter');
	await page.waitForURL(`**/clientes/${id}/resumen`);

	// Historial holds the automatic audit of what was done.
	await page.goto(`/clientes/${id}/historial`);
	await expect(page.getByTestId('history-list')).toContainText('Alta de persona de contacto');
	await context.close();
});

test('invalid input is refused on the field with a Spanish message, and nothing is queued', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	await page.goto('/clientes/nuevo');
	const form = page.getByTestId('customer-form');
	await form.locator('input[name=name]').fill('Cliente Con Errores');
	await form.locator('input[name=taxId]').fill('12345678A');
	await form.locator('input[name=email]').fill('no-es-un-correo');
	await page.getByTestId('save-customer').click();
	// Every wrong field says what is wrong, at once, in Spanish.
	const fieldOf = (name: string) => form.locator('.field', { has: page.locator(`[name=${name}]`) });
	await expect(fieldOf('taxId')).toContainText('la letra de control debería ser Z');
	await expect(fieldOf('email')).toContainText('El correo electrónico no es válido');
	await expect(form.locator('.field.invalid')).toHaveCount(2);
	await form.locator('input[name=taxId]').fill('12345678Z');
	await page.getByTestId('save-customer').click();
	await expect(form.locator('.field.invalid')).toHaveCount(1);
	await expect(fieldOf('email')).toHaveClass(/invalid/);
	await expect(page).toHaveURL(/\/clientes\/nuevo$/);
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');
	// What was typed is still there.
	await expect(form.locator('input[name=name]')).toHaveValue('Cliente Con Errores');
	// Leaving asks first, in the app's own dialog: "Cancelar" stays with what was typed…
	const leave = page.getByTestId('confirm-leave');
	await page.locator('header a.brand').click();
	await expect(leave).toContainText('¿Salir sin guardar?');
	await page.getByTestId('confirm-leave-cancel').click();
	await expect(leave).toBeHidden();
	await expect(page).toHaveURL(/\/clientes\/nuevo$/);
	await expect(form.locator('input[name=name]')).toHaveValue('Cliente Con Errores');
	// …"Salir" leaves, and the form comes back with the draft the device kept.
	await page.locator('header a.brand').click();
	await page.getByTestId('confirm-leave-confirm').click();
	await expect(page).toHaveURL(/\/clientes$/);
	await page.goto('/clientes/nuevo');
	await expect(form.locator('input[name=name]')).toHaveValue('Cliente Con Errores');
	await context.close();
});

test('offline: reload, edit and add a contact; back online another device sees it within 2 s', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, {
		name: 'Talleres Offline SL',
		taxIdType: 'cif',
		taxId: 'B12345674'
	});
	await expectSynced(a.page);
	await waitForOfflineReady(a.page);

	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/contactos`);
	await expect(b.page.getByTestId('customer-name')).toHaveText('Talleres Offline SL');

	await a.context.setOffline(true);
	await a.page.goto(`/clientes/${id}/general`);
	await a.page.reload();
	await expect(a.page.getByTestId('customer-name')).toHaveText('Talleres Offline SL');
	await editCustomerField(a.page, id, 'phone', '922 000 111');
	await a.page.goto(`/clientes/${id}/contactos`);
	await addContact(a.page, { name: 'Contacto Sin Cobertura', phone: '699000111' });
	await expect(a.page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '2');
	await expect(a.page.getByTestId('unsent-badge')).toBeVisible();

	await backOnline(a.context, a.page);
	const t0 = Date.now();
	await expect(b.page.getByTestId('contact-item')).toContainText('Contacto Sin Cobertura', {
		timeout: 2_000
	});
	await b.page.goto(`/clientes/${id}/general`);
	await expect(b.page.getByTestId('customer-form').locator('input[name=phone]')).toHaveValue(
		'922 000 111'
	);
	expect(Date.now() - t0).toBeLessThan(5_000);
	await expectSynced(a.page);
	await a.context.close();
	await b.context.close();
});

test('two devices edit different fields of one customer offline: both edits survive', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, { name: 'Panadería Dos Manos', taxId: '00000001R' });
	await expectSynced(a.page);
	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/general`);
	await expect(b.page.getByTestId('customer-name')).toHaveText('Panadería Dos Manos');

	await a.context.setOffline(true);
	await b.context.setOffline(true);
	await editCustomerField(a.page, id, 'phone', '911 111 111');
	await editCustomerField(b.page, id, 'email', 'pan@example.es');
	await a.context.setOffline(false);
	await expectSynced(a.page);
	await b.context.setOffline(false);
	await expectSynced(b.page);

	for (const p of [a.page, b.page]) {
		const form = p.getByTestId('customer-form');
		await expect(form.locator('input[name=phone]')).toHaveValue('911 111 111');
		await expect(form.locator('input[name=email]')).toHaveValue('pan@example.es');
	}
	await a.context.close();
	await b.context.close();
});

test('a change the server rejects is shown with its reason and its data is kept', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, { name: 'Bodegas Rechazo', taxId: '00000002W' });
	await a.page.goto(`/clientes/${id}/contactos`);
	await addContact(a.page, { name: 'Contacto Que Desaparece' });
	await expectSynced(a.page);

	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/contactos`);
	await expect(b.page.getByTestId('contact-item')).toHaveCount(1);

	// A edits the contact offline while B deletes it.
	await a.context.setOffline(true);
	await a.page.getByTestId('contact-item').getByRole('button', { name: 'Editar' }).click();
	await a.page.getByTestId('contact-form').locator('input[name=phone]').fill('600999888');
	await a.page.getByTestId('save-contact').click();
	await b.page.getByTestId('contact-item').getByRole('button', { name: 'Eliminar' }).click();
	await b.page.getByTestId('confirm-remove-confirm').click();
	await expectSynced(b.page);

	await a.context.setOffline(false);
	await expect(a.page.getByTestId('rejected-count')).toBeVisible({ timeout: 20_000 });
	await a.page.getByTestId('sync-badge').click();
	const rejected = a.page.getByTestId('rejected-list');
	await expect(rejected).toContainText('no existe');
	await rejected.getByRole('button', { name: 'Ver datos' }).click();
	await expect(rejected).toContainText('600999888');
	await expect(a.page.getByTestId('contact-item')).toHaveCount(0);

	// Discarding the rejected change asks first.
	await rejected.getByRole('button', { name: 'Descartar' }).click();
	const ask = a.page.getByTestId('confirm-discard');
	await expect(ask).toBeVisible();
	await ask.getByTestId('confirm-discard-confirm').click();
	await expect(a.page.getByTestId('rejected-count')).toHaveCount(0);
	await expect(rejected).toHaveCount(0);
	await a.context.close();
	await b.context.close();
});
