import { defineConfig } from '@playwright/test';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 8797);
export const ADMIN = { email: 'admin@enlace.test', password: 'e2e-admin-password' };

/**
 * Real Chromium (Debian's), the real server on a throwaway libSQL file, the built PWA with its
 * service worker. One worker: the machine has two cores.
 */
export default defineConfig({
	testDir: './e2e',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	workers: 1,
	retries: 0,
	reporter: [['list']],
	outputDir: '../test-results',
	use: {
		baseURL: `http://127.0.0.1:${E2E_PORT}`,
		headless: true,
		serviceWorkers: 'allow',
		locale: 'es-ES',
		timezoneId: 'Europe/Madrid',
		trace: 'retain-on-failure',
		// A click or a choice waiting for something that never comes fails here, with its
		// locator, not at the test's own (longer) timeout.
		actionTimeout: 30_000,
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-dev-shm-usage',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: {
		command: `npm run build && DATA_DIR=$(mktemp -d) PORT=${E2E_PORT} HOST=127.0.0.1 ADMIN_EMAIL=${ADMIN.email} ADMIN_PASSWORD=${ADMIN.password} exec node --import tsx sync-server/src/index.ts`,
		cwd: '..',
		url: `http://127.0.0.1:${E2E_PORT}/api/health`,
		reuseExistingServer: false,
		timeout: 180_000,
		stdout: 'pipe'
	}
});
