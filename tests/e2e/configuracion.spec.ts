import { expect, test } from '@playwright/test';
import { device, expectSynced, login } from './pages/app';

test('a customer state added in Parámetros is offered in the customer form', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	await page.goto('/configuracion');
	await page.getByTestId('add-setting-customerState').click();
	await page.getByTestId('setting-name-input').fill('Moroso');
	await page.getByTestId('save-setting').click();
	await expect(page.getByTestId('settings-list-customerState')).toContainText('Moroso');
	await expectSynced(page);

	await page.goto('/clientes/nuevo');
	const states = page.getByTestId('customer-form').locator('select[name=stateId] option');
	await expect(states).toContainText(['Alta', 'Baja', 'Captado', 'Bloqueado', 'Moroso']);
	await context.close();
});

test('an admin creates an office user who can then sign in, and the language switches to English', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	await page.goto('/configuracion/usuarios');
	await expect(page.getByTestId('users-table')).toContainText('admin@enlace.test');
	await page.getByTestId('new-user').click();
	const form = page.getByTestId('new-user-form');
	await form.locator('input[name=name]').fill('Olga Oficina');
	await form.locator('input[name=email]').fill('olga@enlace.test');
	await form.locator('select[name=role]').selectOption('office');
	await form.locator('input[name=password]').fill('corta');
	await page.getByTestId('save-user').click();
	await expect(form).toContainText('al menos 10 caracteres');
	await form.locator('input[name=password]').fill('olga-password-123');
	await page.getByTestId('save-user').click();
	await expect(page.locator('[data-testid=user-row][data-email="olga@enlace.test"]')).toContainText(
		'Oficina'
	);

	const other = await browser.newContext();
	const olga = await other.newPage();
	await login(olga, { email: 'olga@enlace.test', password: 'olga-password-123' });
	await olga.getByRole('button', { name: 'Menú de usuario' }).click();
	await olga.getByRole('button', { name: 'EN', exact: true }).click();
	await expect(olga.getByRole('link', { name: 'Customers' })).toBeVisible();
	await expect(olga.getByRole('link', { name: 'New customer' })).toBeVisible();
	// The header translates its own labels and the role, not only the links.
	await expect(olga.getByRole('button', { name: 'User menu' })).toBeVisible();
	await expect(olga.getByText('olga@enlace.test · Office')).toBeVisible();
	// An office user may change tariffs (the mutator's rule), but not the admin-only pages, whose
	// notice says who may.
	await olga.goto('/configuracion/tarifas');
	// A start in English (its catalogue is loaded only for English) draws English from the start.
	await expect(olga.getByRole('link', { name: 'Customers' })).toBeVisible();
	await expect(olga.getByRole('link', { name: 'Clientes' })).toHaveCount(0);
	await expect(olga.getByTestId('new-tariff')).toBeVisible();
	await expect(olga.getByTestId('tariffs-readonly')).toHaveCount(0);
	await olga.goto('/configuracion/routers');
	await expect(olga.getByTestId('routers-readonly')).toContainText('administrator');
	// An office user has no users screen.
	await olga.goto('/configuracion/usuarios');
	await expect(olga.getByTestId('users-admin-only')).toBeVisible();
	await other.close();
	await context.close();
});
