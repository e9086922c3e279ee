import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/** Import boundaries: shared imports nothing internal; the app never imports server or agent. */
const boundaryPatterns = (from, banned) =>
	banned.map((b) => ({
		group: [`**/${b}/**`, `@enlace/${b}`, `@enlace/${b}/*`],
		message: `${from} must not import ${b}`
	}));
const boundary = (from, banned) => ({
	files: [`${from}/**/*.{ts,svelte}`],
	rules: { 'no-restricted-imports': ['error', { patterns: boundaryPatterns(from, banned) }] }
});
/** The app's boundary, kept by the stricter rule of the first screen's files (the last one wins). */
const APP_BANNED = ['sync-server', 'edge-agent'];

export default ts.config(
	{
		ignores: [
			'**/node_modules',
			'app/build',
			'app/.svelte-kit',
			'data',
			'.tools',
			'test-results',
			'playwright-report'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs['flat/recommended'],
	{ languageOptions: { globals: { ...globals.node, ...globals.browser } } },
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } }
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			],
			'@typescript-eslint/consistent-type-imports': 'error',
			'no-empty': ['error', { allowEmptyCatch: false }],
			'svelte/no-navigation-without-resolve': 'off',
			// Flags every Set/Date in .svelte.ts files, including ones that are never reactive state.
			'svelte/prefer-svelte-reactivity': 'off'
		}
	},
	boundary('shared', ['app', 'sync-server', 'edge-agent']),
	boundary('app', APP_BANNED),
	{
		// The first screen (the shell and the customer list) is what a phone parses before it can
		// search: the sync engine, the mutator registry (every schema, and zod) load after it.
		// canRun in the root layout once put 290 KB back into it (docs/decisions.md).
		files: [
			'app/src/routes/+layout.svelte',
			'app/src/routes/clientes/+page.svelte',
			'app/src/lib/app.svelte.ts',
			'app/src/lib/live.svelte.ts',
			'app/src/lib/settings.svelte.ts',
			'app/src/lib/components/{QuickSearch,SyncBadge,UpdatePrompt}.svelte',
			'app/src/lib/features/clientes/**/*.{ts,svelte}'
		],
		ignores: ['**/*.test.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [{ name: 'zod', message: 'zod loads after the first screen' }],
					patterns: [
						...boundaryPatterns('app', APP_BANNED),
						{
							group: ['$lib/router-work/*', '**/sync/engine', '@enlace/shared/mutators*'],
							allowTypeImports: true,
							message: 'the first screen must not load the engine or the mutator registry'
						}
					]
				}
			]
		}
	}
);
