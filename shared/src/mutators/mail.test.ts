import { describe, expect, it } from 'vitest';
import { failure, memoryTx } from './memory-tx';

const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
const D1 = 'dddddddd-dddd-4ddd-8ddd-000000000001';
const M1 = 'eeeeeeee-eeee-4eee-8eee-000000000001';

function setup(role: 'office' | 'technician' = 'office') {
	const m = memoryTx(role);
	m.table('customer').set(C1, { id: C1, code: 'C00001', name: 'Lucía', email: 'lucia@x.es' });
	m.table('customer').set(C2, { id: C2, code: 'C00002', name: 'Pablo' });
	m.table('document').set(D1, { id: D1, customerId: C1, number: 'F2026-000001', kind: 'factura' });
	return m;
}

const send = (o: Record<string, unknown> = {}) => ({
	id: M1,
	customerId: C1,
	to: ['lucia@x.es'],
	subject: 'Factura',
	body: 'Adjunta.',
	documentIds: [D1],
	...o
});

describe('mail.send', () => {
	it('queues the message with its document attachment and who wrote it', async () => {
		const m = setup();
		await m.run('mail.send', send());
		expect(m.table('mailMessage').get(M1)).toMatchObject({
			customerId: C1,
			direction: 'out',
			status: 'queued',
			attempts: 0,
			attachments: [{ kind: 'document', documentId: D1, name: 'F2026-000001.pdf' }]
		});
		// A replayed push leaves the row as it is (it may be sent already).
		m.table('mailMessage').set(M1, { ...m.table('mailMessage').get(M1)!, status: 'sent' });
		await m.run('mail.send', send({ subject: 'otro' }));
		expect(m.table('mailMessage').get(M1)).toMatchObject({ status: 'sent', subject: 'Factura' });
	});

	it('refuses bad addresses, no subject, a document of another customer, and technicians', async () => {
		const m = setup();
		expect(await failure(m.run('mail.send', send({ to: ['x@'] })))).toMatchObject({
			code: 'invalid-email'
		});
		expect(await failure(m.run('mail.send', send({ to: [] })))).toMatchObject({ field: 'to' });
		expect(await failure(m.run('mail.send', send({ subject: ' ' })))).toMatchObject({
			field: 'subject'
		});
		expect(await failure(m.run('mail.send', send({ customerId: C2 })))).toMatchObject({
			code: 'not-found',
			field: 'attachments'
		});
		expect(await failure(setup('technician').run('mail.send', send()))).toMatchObject({
			code: 'forbidden'
		});
	});
});

describe('mail.assign', () => {
	const inbox = (from: string) => ({
		id: 'u1',
		direction: 'in',
		status: 'received',
		from,
		to: ['facturacion@isp.es'],
		cc: [],
		subject: 'Hola',
		body: 'x',
		attachments: [],
		at: '2026-11-27T09:00:00.000Z',
		read: false
	});

	it('files the message and keeps the address: as the email when the customer has none', async () => {
		const m = setup();
		m.table('mailUnassigned').set('u1', inbox('Pablo <Pablo@Y.es>'));
		await m.run('mail.assign', { id: 'u1', customerId: C2, messageRowId: 'r1', addAddress: true });
		expect(m.table('mailMessage').get('r1')).toMatchObject({ customerId: C2, subject: 'Hola' });
		expect(m.table('mailUnassigned').get('u1')).toBeUndefined();
		expect(m.table('customer').get(C2)).toMatchObject({ email: 'pablo@y.es' });
	});

	it('as a new contact person when the customer has an email already', async () => {
		const m = setup();
		m.table('mailUnassigned').set('u1', inbox('"Ana Gestora" <ana@gestoria.es>'));
		await m.run('mail.assign', {
			id: 'u1',
			customerId: C1,
			messageRowId: 'r1',
			addAddress: true,
			contactId: 'k1'
		});
		expect(m.table('customer').get(C1)).toMatchObject({ email: 'lucia@x.es' });
		expect(m.table('contactPerson').get('k1')).toMatchObject({
			customerId: C1,
			name: 'Ana Gestora',
			email: 'ana@gestoria.es'
		});
	});
});

describe('mail.markRead and mail.retry', () => {
	it('marks received mail read; sends a failed message again from zero', async () => {
		const m = setup();
		m.table('mailMessage').set('in1', {
			id: 'in1',
			customerId: C1,
			direction: 'in',
			status: 'received',
			read: false
		});
		await m.run('mail.markRead', { id: 'in1', read: true });
		expect(m.table('mailMessage').get('in1')).toMatchObject({ read: true });
		await m.run('mail.send', send({ documentIds: [] }));
		expect(await failure(m.run('mail.retry', { id: M1 }))).toMatchObject({ code: 'conflict' });
		m.table('mailMessage').set(M1, {
			...m.table('mailMessage').get(M1)!,
			status: 'failed',
			error: 'no',
			attempts: 3
		});
		await m.run('mail.retry', { id: M1 });
		const row = m.table('mailMessage').get(M1)!;
		expect(row).toMatchObject({ status: 'queued', attempts: 0 });
		expect(row.error).toBeUndefined();
	});
});
