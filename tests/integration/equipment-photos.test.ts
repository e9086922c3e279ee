// Photos of equipment (docs/equipment.md): the server's file.create checks the device a photo
// names, and a linked photo uploads and downloads like any file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	customerArgs,
	officeAndTechnician,
	pushOne,
	startTestServer,
	type TestServer
} from '../support/server';
import { bytesOf, fileArgs, sha256, tusUpload } from '../support/files';

describe('photos of equipment on the server', () => {
	let s: TestServer;
	let tech: string;
	beforeAll(async () => {
		s = await startTestServer();
		({ techToken: tech } = await officeAndTechnician(s));
	});
	afterAll(async () => {
		await s?.close();
	});

	async function applied(name: string, args: Record<string, unknown>, token = s.adminToken) {
		const r = await pushOne(s.url, token, name, args);
		expect(r.body.results[0], JSON.stringify(r.body)).toMatchObject({ status: 'applied' });
		return args;
	}

	it("refuses another customer's device or one that does not exist; links, uploads and serves the photo of its own", async () => {
		const a = (await applied('customer.create', customerArgs())).id as string;
		const b = (await applied('customer.create', customerArgs())).id as string;
		const productId = randomUUID();
		await applied('equipmentProduct.create', {
			id: productId,
			code: `ONT-${productId.slice(0, 8)}`,
			name: 'ONT',
			familyId: 'equipmentFamily-ont',
			vatRate: 21,
			priceCents: 4000,
			active: true
		});
		const device = (customerId: string) => ({
			id: randomUUID(),
			customerId,
			productId,
			ownership: 'alquilado',
			state: 'instalado'
		});
		const mine = (await applied('equipment.create', device(a))).id as string;
		const theirs = (await applied('equipment.create', device(b))).id as string;

		const data = bytesOf(5000, 9);
		for (const equipmentId of [theirs, randomUUID()]) {
			const r = await pushOne(s.url, tech, 'file.create', fileArgs(a, data, { equipmentId }));
			expect(r.body.results[0]).toMatchObject({
				status: 'rejected',
				error: { code: 'invalid-field', field: 'equipmentId' }
			});
		}

		const photo = await applied(
			'file.create',
			fileArgs(a, data, { equipmentId: mine, tag: 'Equipo' }),
			tech
		);
		await tusUpload(s.url, tech, photo.id as string, data);
		const row = await s.db.client.execute({
			sql: "SELECT data FROM records WHERE entity = 'file' AND id = ?",
			args: [photo.id as string]
		});
		const stored = JSON.parse(String(row.rows[0].data)) as Record<string, unknown>;
		expect(stored).toMatchObject({ equipmentId: mine, tag: 'Equipo' });
		expect(stored.storedAt).toBeTruthy();
		const res = await fetch(`${s.url}/api/files/${photo.id as string}`, {
			headers: { authorization: `Bearer ${s.adminToken}` }
		});
		expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(data));
	});
});
