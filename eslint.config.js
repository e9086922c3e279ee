import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/** Import boundaries: shared imports nothing internal; the app never imports server or agent. */
const boundary = (from, banned) => ({
	files: [`${from}/**/*.{ts,svelte}`],
	rules: {
		'no-restricted-imports': [
			'error',
			{
				patterns: banned.map((b) => ({
					group: [`**/${b}/**`, `@enlace/${b}`, `@enlace/${b}/*`],
					message: `${from} must not import ${b}`
				}))
			}
		]
	}
});

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
	boundary('app', ['sync-server', 'edge-agent'])
);
