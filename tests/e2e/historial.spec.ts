import { expect, test, type Page } from '@playwright/test';
import { createCustomer, device, editCustomerField, expectSynced, login } from './pages/app';

/** A second person in the office, made through the admin's session. */
async function officeUser(admin: Page) {
	const stamp = Date.now();
	const who = {
		name: `Marta Oficina ${stamp}`,
		email: `marta-${stamp}@enlace.test`,
		password: 'marta-password-1'
	};
	const r = await admin.request.post('/api/users', { data: { ...who, role: 'office' } });
	expect(r.status()).toBe(201);
	return who;
}

const filters = (page: Page) => page.getByTestId('history').locator('.filters');
const items = (page: Page) => page.getByTestId('history-item');

async function addNote(page: Page, date: string, type: string, comment: string) {
	await page.getByTestId('add-history').click();
	const form = page.getByTestId('history-form');
	await form.locator('[name=date]').fill(date);
	await form.locator('[name=actionTypeId]').selectOption({ label: type });
	await form.locator('[name=comment]').fill(comment);
	await form.getByRole('button', { name: 'Guardar' }).click();
	await expect(form).toHaveCount(0);
}

test('an edit made on another device shows old → new live, and the filters narrow the list', async ({
	browser
}) => {
	const a = await device(browser);
	const marta = await officeUser(a.page);
	const id = await createCustomer(a.page, {
		name: 'Ferretería Las Torres',
		taxId: '00000007F',
		phone: '600 111 222'
	});
	await expectSynced(a.page);
	await a.page.goto(`/clientes/${id}/historial`);
	await expect(items(a.page)).toHaveCount(1);
	await expect(items(a.page)).toContainText('Alta de cliente');

	const bContext = await browser.newContext();
	const b = await bContext.newPage();
	await login(b, marta);
	await editCustomerField(b, id, 'phone', '611 333 444');
	await expectSynced(b);

	// Device A did not reload: the line arrives through sync, with who, the field and both values.
	const phoneLine = items(a.page).filter({ hasText: 'Cliente: Teléfono' });
	await expect(phoneLine).toHaveCount(1, { timeout: 5_000 });
	await expect(phoneLine.locator('.old')).toHaveText('600 111 222');
	await expect(phoneLine.locator('.new')).toHaveText('611 333 444');
	await expect(phoneLine).toContainText(marta.name);

	await addNote(a.page, '2025-01-15', 'Llamada', 'Pide presupuesto de fibra');
	await expect(items(a.page)).toHaveCount(3);

	// Type: only the manual movement.
	const kind = a.page.getByTestId('history-kind');
	await kind.selectOption('manual');
	await expect(items(a.page)).toHaveCount(1);
	await expect(items(a.page)).toContainText('Pide presupuesto de fibra');
	await kind.selectOption('auto');
	await expect(items(a.page)).toHaveCount(2);
	await kind.selectOption('');

	// User: only what Marta did.
	const user = filters(a.page).getByLabel('Usuario');
	await user.selectOption({ label: marta.name });
	await expect(items(a.page)).toHaveCount(1);
	await expect(items(a.page)).toContainText('Cliente: Teléfono');
	await user.selectOption({ label: 'Administrador' });
	await expect(items(a.page)).toHaveCount(2);
	await user.selectOption('');

	// Dates: the note is dated January 2025, the automatic lines today.
	const from = filters(a.page).getByLabel('Desde');
	const to = filters(a.page).getByLabel('Hasta');
	await to.fill('2025-01-31');
	await expect(items(a.page)).toHaveCount(1);
	await expect(items(a.page)).toContainText('Pide presupuesto de fibra');
	await to.fill('');
	await from.fill('2025-02-01');
	await expect(items(a.page)).toHaveCount(2);
	await expect(items(a.page).filter({ hasText: 'Pide presupuesto' })).toHaveCount(0);
	await from.fill('2025-01-15');
	await to.fill('2025-01-15');
	await expect(items(a.page)).toHaveCount(1);
	await from.fill('2099-01-01');
	await to.fill('');
	await expect(a.page.getByTestId('history')).toContainText('Ningún movimiento con estos filtros.');

	await a.context.close();
	await bContext.close();
});

test('manual movements are created, edited and deleted; automatic ones cannot be; a state change keeps its reason', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	const id = await createCustomer(page, { name: 'Peluquería Rizos', taxId: '00000008P' });

	// A state change with a reason.
	await page.goto(`/clientes/${id}/general`);
	const form = page.getByTestId('customer-form');
	await form.locator('select[name=stateId]').selectOption({ label: 'Baja' });
	await form.locator('input[name=reason]').fill('Se muda a Teruel');
	await page.getByTestId('save-customer').click();
	// A baja sets the fecha de baja: the form says so and asks first.
	const ask = page.getByTestId('confirm-state');
	await expect(ask).toContainText('Fecha de baja');
	await ask.getByTestId('confirm-state-confirm').click();
	await expect(page.getByTestId('save-customer')).toBeDisabled();
	await expectSynced(page);

	await page.goto(`/clientes/${id}/historial`);
	const state = items(page).filter({ hasText: 'Cliente: Estado' });
	await expect(state).toHaveCount(1);
	await expect(state.locator('.old')).toHaveText('Alta');
	await expect(state.locator('.new')).toHaveText('Baja');
	await expect(state).toContainText('Motivo: Se muda a Teruel');

	// Manual: create, edit, delete.
	await addNote(page, '2026-11-02', 'Visita', 'Retirada la antena del tejado');
	const note = page.locator('[data-testid=history-item].manual');
	await expect(note).toHaveCount(1);
	await expect(note).toContainText('Visita');
	await expect(note).toContainText('2/11/26');
	await expect(note).toContainText('Administrador');
	await note.getByRole('button', { name: 'Editar' }).click();
	const noteForm = page.getByTestId('history-form');
	await noteForm.locator('[name=comment]').fill('Retirada la antena y el router');
	await noteForm.locator('[name=actionTypeId]').selectOption({ label: 'Incidencia' });
	await noteForm.getByRole('button', { name: 'Guardar' }).click();
	await expect(note).toContainText('Retirada la antena y el router');
	await expect(note).toContainText('Incidencia');
	await expectSynced(page);
	// What the server holds survives a reload.
	await page.reload();
	await expect(note).toContainText('Retirada la antena y el router');

	// Automatic lines have no buttons at all; manual ones have both.
	const auto = page.locator('[data-testid=history-item]:not(.manual)');
	expect(await auto.count()).toBeGreaterThanOrEqual(2);
	await expect(auto.locator('button')).toHaveCount(0);
	await expect(note.getByRole('button')).toHaveText(['Editar', 'Eliminar']);

	// The app's own dialog asks first; "Cancelar" keeps the note.
	await note.getByRole('button', { name: 'Eliminar' }).click();
	await expect(page.getByTestId('confirm-remove')).toContainText('¿Eliminar esta anotación?');
	await page.getByTestId('confirm-remove-cancel').click();
	await expect(page.getByTestId('confirm-remove')).toBeHidden();
	await expect(note).toHaveCount(1);
	await note.getByRole('button', { name: 'Eliminar' }).click();
	await page.getByTestId('confirm-remove-confirm').click();
	await expect(note).toHaveCount(0);
	await expectSynced(page);
	await page.reload();
	await expect(note).toHaveCount(0);
	// The note's edits and its deletion stay on record, as automatic lines.
	const aboutNote = auto.filter({ hasText: 'Anotación' });
	await expect(aboutNote.filter({ hasText: 'Anotación: Comentario' })).toContainText(
		'Retirada la antena del tejado'
	);
	await expect(aboutNote.filter({ hasText: 'Anotación: Tipo de actuación' })).toContainText(
		'Incidencia'
	);
	await expect(aboutNote.filter({ hasText: 'Baja de anotación' })).toContainText(
		'Retirada la antena y el router'
	);
	await expect(state).toContainText('Motivo: Se muda a Teruel');
	await context.close();
});
