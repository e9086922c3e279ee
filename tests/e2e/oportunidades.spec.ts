import { expect, test, type Locator, type Page } from '@playwright/test';
import { createCustomer, device, expectSynced, waitForOfflineReady } from './pages/app';

const fieldOf = (form: Locator, name: string) =>
	form.locator('.field', { has: form.page().locator(`[name="${name}"]`) });

type NewOpportunity = {
	title: string;
	stage?: string;
	amount?: string;
	probability?: string;
	owner?: string;
	close?: string;
};

async function addOpportunity(page: Page, customerId: string, o: NewOpportunity) {
	if (!page.url().endsWith(`/clientes/${customerId}/oportunidades`))
		await page.goto(`/clientes/${customerId}/oportunidades`);
	await page.getByTestId('add-opportunity').click();
	const form = page.getByTestId('opportunity-form');
	await form.locator('[name=title]').fill(o.title);
	if (o.stage) await form.locator('[name=stageId]').selectOption({ label: o.stage });
	if (o.amount) await form.locator('[name=amount]').fill(o.amount);
	if (o.probability) await form.locator('[name=probability]').fill(o.probability);
	if (o.owner) await form.locator('[name=ownerId]').selectOption({ label: o.owner });
	if (o.close) await form.locator('[name=expectedCloseDate]').fill(o.close);
	await page.getByTestId('save-opportunity').click();
	await expect(form).toHaveCount(0);
}

const item = (page: Page, title: string) =>
	page.getByTestId('opportunity-item').filter({ hasText: title });

/** Unfold an opportunity (a new one is already unfolded; a click would fold it). */
async function expand(opp: Locator) {
	const summary = opp.locator('.summary');
	if ((await summary.getAttribute('aria-expanded')) !== 'true') await summary.click();
	await expect(summary).toHaveAttribute('aria-expanded', 'true');
}

test('an opportunity: refused values on their fields, created, staged to won, with actuaciones, deleted', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	const id = await createCustomer(page, { name: 'Hostal El Pinar', taxId: '00000003A' });
	await page.goto(`/clientes/${id}/oportunidades`);
	await expect(page.getByTestId('opportunities')).toContainText('Sin oportunidades');

	await page.getByTestId('add-opportunity').click();
	const form = page.getByTestId('opportunity-form');
	await form.locator('[name=title]').fill('Fibra 600 Mb + IP fija');
	await form.locator('[name=amount]').fill('mil euros');
	await form.locator('[name=probability]').fill('150');
	await page.getByTestId('save-opportunity').click();
	await expect(fieldOf(form, 'amount')).toContainText('Importe no válido');
	await expect(fieldOf(form, 'probability')).toContainText('La probabilidad va de 0 a 100');
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');
	await form.locator('[name=amount]').fill('1.200,50');
	await form.locator('[name=probability]').fill('40');
	await form.locator('[name=expectedCloseDate]').fill('2026-12-15');
	await page.getByTestId('save-opportunity').click();

	const opp = item(page, 'Fibra 600 Mb + IP fija');
	await expect(opp).toContainText('1.200,50 €');
	await expect(opp).toContainText('40 %');
	await expect(opp.getByTestId('opportunity-stage')).toHaveText('Primer contacto');

	// Won: the probability follows the stage (and the server keeps it so).
	await expand(opp);
	await opp.getByRole('button', { name: 'Editar' }).click();
	await form.locator('[name=stageId]').selectOption({ label: 'Ganada' });
	await expect(form.locator('[name=probability]')).toHaveValue('100');
	await page.getByTestId('save-opportunity').click();
	await expect(opp.getByTestId('opportunity-stage')).toHaveText('Ganada');
	await expect(opp).toContainText('100 %');

	// Historial de actuaciones: add, edit, a refused next step, delete.
	await opp.getByTestId('add-action').click();
	const actionForm = page.getByTestId('action-form');
	await actionForm.locator('[name=date]').fill('2026-11-20');
	await actionForm.locator('[name=actionTypeId]').selectOption({ label: 'Visita' });
	await actionForm.locator('[name=comment]').fill('Medición de cobertura en el tejado');
	await actionForm.locator('[name=nextStepDate]').fill('2026-11-10');
	await page.getByTestId('save-action').click();
	await expect(fieldOf(actionForm, 'nextStepDate')).toContainText(
		'El próximo paso no puede ser anterior a la actuación'
	);
	await actionForm.locator('[name=nextStepDate]').fill('2026-11-27');
	await page.getByTestId('save-action').click();
	const action = opp.getByTestId('action-item');
	await expect(action).toHaveCount(1);
	await expect(action).toContainText('Visita');
	await expect(action).toContainText('Medición de cobertura en el tejado');
	await expect(action).toContainText('Próximo paso: 27/11/26');
	await action.getByRole('button', { name: 'Editar' }).click();
	await actionForm.locator('[name=comment]').fill('Medición hecha: 4 dB de margen');
	await page.getByTestId('save-action').click();
	await expect(action).toContainText('Medición hecha: 4 dB de margen');
	await expect(opp).toContainText('1 actuación');
	await expectSynced(page);

	// The Historial tab tells the story in words (names and euros, not ids and cents).
	await page.goto(`/clientes/${id}/historial`);
	const history = page.getByTestId('history-list');
	await expect(history).toContainText('Oportunidad: Fase');
	await expect(
		page.getByTestId('history-item').filter({ hasText: 'Oportunidad: Fase' })
	).toContainText(/Primer contacto\s*→\s*Ganada/);
	// An actuación has no name: its line says what it is now (type and comment).
	await expect(
		page.getByTestId('history-item').filter({ hasText: 'Alta de actuación' })
	).toContainText('Visita · Medición hecha: 4 dB de margen');
	await expect(
		page.getByTestId('history-item').filter({ hasText: 'Actuación: Comentario' })
	).toContainText(/Medición de cobertura en el tejado\s*→\s*Medición hecha: 4 dB de margen/);

	await page.goto(`/clientes/${id}/oportunidades`);
	await expand(opp);
	await action.getByRole('button', { name: 'Eliminar' }).click();
	await page.getByTestId('confirm-remove-confirm').click();
	await expect(action).toHaveCount(0);
	await opp.getByRole('button', { name: 'Eliminar' }).click();
	await page.getByTestId('confirm-remove-confirm').click();
	await expect(page.getByTestId('opportunity-item')).toHaveCount(0);
	await expectSynced(page);
	await page.reload();
	await expect(page.getByTestId('opportunities')).toContainText('Sin oportunidades');
	await context.close();
});

test('the office pipeline: columns by stage with count and amount, open total, owner filter, links', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	const seller = { name: `Comercial ${Date.now()}`, email: `comercial-${Date.now()}@enlace.test` };
	const created = await page.request.post('/api/users', {
		data: { ...seller, role: 'office', password: 'comercial-password-1' }
	});
	expect(created.status()).toBe(201);
	await expectSynced(page);

	// Amounts on this board are far above anything the other tests create, so totals are exact.
	const a = await createCustomer(page, { name: 'Cooperativa San Isidro', taxId: '00000004G' });
	await addOpportunity(page, a, {
		title: 'Enlace radio para la almazara',
		stage: 'Negociación',
		amount: '40.000',
		probability: '70',
		owner: seller.name
	});
	await addOpportunity(page, a, {
		title: 'Centralita virtual',
		stage: 'Perdida',
		amount: '20.000'
	});
	const b = await createCustomer(page, { name: 'Hotel Moncayo', taxId: '00000005M' });
	await addOpportunity(page, b, {
		title: 'Wifi para 60 habitaciones',
		stage: 'Negociación',
		amount: '35.000,50',
		probability: '50'
	});
	await expectSynced(page);

	await page.getByTestId('nav-oportunidades').click();
	await page.waitForURL('**/oportunidades');
	const column = (stage: string) =>
		page.getByTestId('pipeline-column').filter({ has: page.locator('.badge', { hasText: stage }) });
	const negotiation = column('Negociación');
	await expect(negotiation.getByTestId('pipeline-card')).toHaveCount(2);
	await expect(negotiation.getByTestId('column-count')).toHaveText('2');
	await expect(negotiation.getByTestId('column-total')).toHaveText('75.000,50 €');
	await expect(column('Perdida').getByTestId('column-total')).toHaveText('20.000,00 €');
	await expect(negotiation).toContainText('Cooperativa San Isidro');
	// The lost one is closed: outside the open total.
	const openTotal = page.getByTestId('open-total');
	await expect(openTotal).toHaveText(/^[\d.]+,\d\d\s€$/);
	expect(await euros(openTotal)).toBeGreaterThanOrEqual(75_000.5);
	expect(await euros(openTotal)).toBeLessThan(75_000.5 + 20_000);

	// Filter by owner: only the seller's one.
	await page.getByTestId('pipeline-owner').selectOption({ label: seller.name });
	await expect(page.getByTestId('pipeline-card')).toHaveCount(1);
	await expect(negotiation.getByTestId('column-total')).toHaveText('40.000,00 €');
	await expect(openTotal).toHaveText('40.000,00 €');
	await expect(page.getByTestId('open-count')).toHaveText('1');

	// A card opens the customer's tab with that opportunity unfolded.
	await page.getByTestId('pipeline-card').click();
	await page.waitForURL(`**/clientes/${a}/oportunidades?op=*`);
	await expect(
		item(page, 'Enlace radio para la almazara').getByTestId('opportunity-actions')
	).toBeVisible();
	await context.close();
});

async function euros(l: Locator): Promise<number> {
	const text = (await l.textContent()) ?? '';
	return Number(text.replace(/[^\d,]/g, '').replace(',', '.'));
}

test('offline: an actuación logged with no signal reaches the office once back online', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, { name: 'Granja Los Olivos', taxId: '00000006Y' });
	await addOpportunity(a.page, id, { title: 'Radioenlace a la nave', amount: '900' });
	await expectSynced(a.page);
	await waitForOfflineReady(a.page);

	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/oportunidades`);
	const onB = item(b.page, 'Radioenlace a la nave');
	await expand(onB);
	await expect(onB).toContainText('Sin actuaciones todavía.');

	await a.context.setOffline(true);
	await a.page.reload();
	const onA = item(a.page, 'Radioenlace a la nave');
	await expand(onA);
	await onA.getByTestId('add-action').click();
	const form = a.page.getByTestId('action-form');
	await form.locator('[name=actionTypeId]').selectOption({ label: 'Visita' });
	await form.locator('[name=comment]').fill('Sin cobertura en la nave: vuelvo con la escalera');
	await a.page.getByTestId('save-action').click();
	await expect(onA.getByTestId('action-item')).toHaveCount(1);
	await expect(a.page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '1');

	await a.context.setOffline(false);
	await expect(onB.getByTestId('action-item')).toContainText(
		'Sin cobertura en la nave: vuelvo con la escalera',
		{ timeout: 5_000 }
	);
	await expectSynced(a.page);
	await a.context.close();
	await b.context.close();
});
