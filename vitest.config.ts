import { defineConfig } from 'vitest/config';

// Unit tests live beside the code; integration tests under tests/integration. Playwright (*.spec.ts) is separate.
export default defineConfig({
	test: {
		include: [
			'shared/src/**/*.test.ts',
			'sync-server/src/**/*.test.ts',
			'edge-agent/src/**/*.test.ts',
			'app/src/**/*.test.ts',
			'tests/integration/**/*.test.ts',
			'tests/conformance/**/*.test.ts'
		],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: 'forks'
	}
});
