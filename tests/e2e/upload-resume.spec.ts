import { expect, test, type Request } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import { E2E_PORT } from '../playwright.config';
import { bytesOf } from '../support/files';
import { linkProxy } from '../support/proxy';
import { createCustomer, expectSynced, login, waitForOfflineReady } from './pages/app';
import { adminToken, serverBytes, serverFiles, sha256 } from './pages/files';

const MB = 1024 * 1024;
const SIZE = 20 * MB;
/** Where the connection goes dead without closing: in the second 5 MB chunk. */
const HOLD_AT = 6 * MB;
/** Where the signal dies: in the third 5 MB chunk, so a restart from 0 would send 34 MB. */
const CUT_AT = 14 * MB;

/**
 * A 20 MB file on a 360 px phone whose link (a proxy on loopback, 4 MB/s up, like a good mobile
 * uplink) first goes dead without closing, then dies outright in the middle of the upload and
 * comes back: each time the upload goes on from the bytes the server already has, so it receives
 * well under twice the file, and it completes byte for byte.
 */
test('a 20 MB upload cut mid-way by the network resumes where the server stopped and completes', async ({
	browser,
	request
}, testInfo) => {
	test.setTimeout(150_000);
	const link = await linkProxy(`http://127.0.0.1:${E2E_PORT}`, { bytesUpPerSecond: 4 * MB });
	const context = await browser.newContext({
		baseURL: link.url,
		viewport: { width: 360, height: 740 }
	});
	// What the phone asked and when, attached when the test fails: a stalled upload says where.
	const t0 = Date.now();
	const netLog: string[] = [];
	let passed = false;
	const note = (line: string) =>
		netLog.push(
			`${String(Date.now() - t0).padStart(6)} ms ${String(link.bytesUp()).padStart(9)} B up  ${line}`
		);
	/** Logs the API's requests (not the app's files) under `mark`. */
	const logApi = (mark: string) => (r: Request) => {
		const path = new URL(r.url()).pathname;
		if (path.startsWith('/api/'))
			note(`${mark} ${r.method()} ${path}${mark === '✗' ? ` ${r.failure()?.errorText}` : ''}`);
	};
	try {
		const page = await context.newPage();
		page.on('request', logApi('→'));
		page.on('requestfinished', logApi('✓'));
		page.on('requestfailed', logApi('✗'));
		page.on('console', (m) => note(`console.${m.type()}: ${m.text()}`));
		await login(page);
		const id = await createCustomer(page, {
			name: 'Nave del Polígono',
			taxId: makeNif(27_000_000 + Math.floor(Math.random() * 1_000_000))
		});
		await page.goto(`/clientes/${id}/repositorio`);
		await waitForOfflineReady(page);

		const data = bytesOf(SIZE, 27);
		await page.getByTestId('add-file').click();
		await page.getByTestId('file-input').setInputFiles({
			name: 'video-instalacion.mp4',
			mimeType: 'video/mp4',
			buffer: data
		});
		const form = page.getByTestId('file-form');
		await expect(form.locator('input[name=name]')).toHaveValue('video-instalacion');
		const before = link.bytesUp();
		note('save');
		await page.getByTestId('save-file').click();
		const item = page.getByTestId('file-item').filter({ hasText: 'video-instalacion' });
		await expect(item.getByTestId('file-state')).toHaveText('Subiendo', { timeout: 30_000 });

		// At 6 MB the connection goes dead and stays open: the app gives it up after STALL_MS
		// (20 s) with no byte moving and resumes on a new one.
		await expect
			.poll(() => link.bytesUp() - before, { timeout: 30_000, intervals: [20] })
			.toBeGreaterThan(HOLD_AT);
		note('hold');
		link.holdAll();
		const heldAt = link.bytesUp();
		await expect
			.poll(() => link.bytesUp(), { timeout: 40_000, intervals: [100] })
			.toBeGreaterThan(heldAt + MB);
		note('moving again');

		// The signal dies with 14 MB sent: the phone goes offline and the open connection drops.
		await expect
			.poll(() => link.bytesUp() - before, { timeout: 30_000, intervals: [20] })
			.toBeGreaterThan(CUT_AT);
		note('cut');
		await context.setOffline(true);
		link.cutAll();
		await expect(item.getByTestId('file-state')).toHaveText('Esperando conexión');
		const bar = item.getByTestId('file-progress');
		const shown = Number(await bar.getAttribute('aria-valuenow'));
		expect(shown).toBeGreaterThan(0);
		expect(shown).toBeLessThan(100);
		await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-phase', 'offline');
		await page.screenshot({ path: testInfo.outputPath('subida-cortada-360.png') });

		// The signal is back: the upload resumes by itself and completes.
		await context.setOffline(false);
		await expect(item.getByTestId('file-state')).toHaveText('Subido', { timeout: 60_000 });
		await expectSynced(page);
		const ratio = (link.bytesUp() - before) / SIZE;
		testInfo.annotations.push({ type: 'bytes sent ÷ file size', description: ratio.toFixed(3) });
		console.log(`20 MB upload cut at 14 MB: bytes sent ÷ file size ${ratio.toFixed(3)}`);
		// From the server's offset: one chunk lost at worst (1.25); from 0 it would be 1.7.
		expect(ratio).toBeGreaterThan(1);
		expect(ratio).toBeLessThan(1.3);

		const token = await adminToken(request);
		const [row] = await serverFiles(request, id, token);
		expect(row.storedAt).toBeTruthy();
		const { status, bytes } = await serverBytes(request, row.id, token);
		expect(status).toBe(200);
		expect(bytes.length).toBe(SIZE);
		expect(sha256(bytes)).toBe(sha256(data));
		passed = true;
	} finally {
		note(`up ${link.bytesUp()} bytes, ${link.cuts()} cuts`);
		if (!passed || process.env.UPLOAD_LOG) {
			await testInfo.attach('network', { body: netLog.join('\n'), contentType: 'text/plain' });
			console.log(netLog.join('\n'));
		}
		await context.close();
		await link.close();
	}
});
