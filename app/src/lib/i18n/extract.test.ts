import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCatalog } from './catalog';
import { extract, tableStrings } from './extract';

const IMPORT = `import { t } from '$lib/i18n/index.svelte';`;
const svelte = (script: string, markup = '') =>
	extract(`<script lang="ts">\n${IMPORT}\n${script}\n</script>\n${markup}`, 'Sample.svelte');
const texts = (x: ReturnType<typeof extract>) => x.texts.map((f) => f.text);

describe('extract: texts given to t()', () => {
	it('reads single, double and back quotes, escaped quotes and multi-line calls', () => {
		const x = svelte(
			[
				`const a = t('Guardar');`,
				`const b = t("Cancelar");`,
				'const c = t(`Cerrar`);',
				`const d = t('Cliente «{name}» d\\'alta', { name: 'x' });`,
				`const e = t("Dijo \\"hola\\"");`,
				`const f = t(`,
				`\t'Un texto largo',`,
				`\t{ n: 1 }`,
				`);`
			].join('\n')
		);
		expect(texts(x)).toEqual([
			'Guardar',
			'Cancelar',
			'Cerrar',
			"Cliente «{name}» d'alta",
			'Dijo "hola"',
			'Un texto largo'
		]);
		expect(x.texts.at(-1)?.line).toBe(9);
	});

	it('reads calls in markup, attributes and both branches of a choice', () => {
		const x = svelte(
			'let n = 1;',
			`<p title={t('Ayuda')}>{t(n === 1 ? 'inactivo' : 'inactivos')}</p><input placeholder={t('Buscar…') ?? ''} />`
		);
		expect(texts(x)).toEqual(['Ayuda', 'inactivo', 'inactivos', 'Buscar…']);
	});

	it('reports an argument it cannot read, and a template with ${} as such', () => {
		const x = svelte('let label = "x"; const a = t(label); const b = t(`Hola ${label}`);');
		expect(x.dynamic.map((d) => d.expr)).toEqual(['label', '`Hola ${label}`']);
	});

	it('ignores a t() that is not the i18n one', () => {
		const x = extract(`const t = (s: string) => s;\nt('No es nuestro');`, 'local.ts');
		expect(x.texts).toEqual([]);
	});

	it('reads .ts files with their line numbers', () => {
		const x = extract(`${IMPORT}\n\nexport const msg = () => t('Hecho');`, 'x.ts');
		expect(x.texts).toEqual([{ text: 'Hecho', file: 'x.ts', line: 3 }]);
	});

	it('takes the literal props of a component that translates them as sources', () => {
		const x = svelte('', `<JobState label="Comprobación" /><JobState label={'Ping'} />`);
		expect(texts(x)).toEqual(['Comprobación', 'Ping']);
		expect(x.untranslated).toEqual([]);
	});
});

describe('extract: texts that skip t()', () => {
	it('reports prose in markup and in visible attributes, not code or names', () => {
		const x = svelte(
			'',
			[
				'<h1>Clientes</h1>',
				'<p>{t("Hecho")}</p>',
				'<Field label="Nombre" hint={t("Opcional")}><input placeholder="Calle, número" /></Field>',
				'<button aria-label="Cerrar" title="Ctrl+S">✕</button>',
				'<span class="x" data-testid="texto-libre">PPPoE · IP</span>',
				'<code>rate-limit=10M/20M</code><kbd>Alt+N</kbd>',
				'<option>Català</option>'
			].join('\n')
		);
		expect(x.untranslated.map((u) => [u.where, u.text, u.line])).toEqual([
			['markup', 'Clientes', 5],
			['label="…"', 'Nombre', 7],
			['placeholder="…"', 'Calle, número', 7],
			['aria-label="…"', 'Cerrar', 8]
		]);
	});

	it('reports browser dialogs shown without t()', () => {
		const x = svelte(
			[
				`confirm('¿Eliminar esta anotación?');`,
				'alert(`¿Eliminar «${1}»?`);',
				`confirm(t('¿Eliminar la tarifa «{name}»?', { name: 'x' }));`
			].join('\n')
		);
		expect(x.untranslated.map((u) => [u.where, u.text])).toEqual([
			['confirm()', '¿Eliminar esta anotación?'],
			['alert()', '`¿Eliminar «${1}»?`']
		]);
		expect(texts(x)).toEqual(['¿Eliminar la tarifa «{name}»?']);
	});
	it('reports a label table (*_LABELS or *_NAMES) shown without t()', () => {
		const x = svelte(
			'',
			'<span>{ROLE_LABELS[role]}</span><span>{ADDRESS_LABEL_NAMES[a.label]}</span><span>{t(KIND_NAMES[k])}</span>'
		);
		expect(x.untranslated.map((u) => [u.where, u.text])).toEqual([
			['ROLE_LABELS without t()', 'ROLE_LABELS[role]'],
			['ADDRESS_LABEL_NAMES without t()', 'ADDRESS_LABEL_NAMES[a.label]']
		]);
	});
});

describe('extract: sentences in code that never reach t()', () => {
	it('finds literals and templates that read like Spanish, not keys, paths or errors', () => {
		const x = extract(
			[
				IMPORT,
				`let status = 'Sin red: los cambios se guardan';`,
				'const count = (a: number, b: number) => `${a} de ${b}`;',
				`const ok = t('Guardar cambios');`,
				'const key = `customer\u0000${status}`;',
				`const path = '/clientes/nuevo';`,
				`const table = { 'Razón social': 1 };`,
				`if (status === 'Sin red: otra cosa') status = '';`,
				`const wire = { code: 'internal', message: 'Error del servidor' };`,
				`throw new AppError('bad-request', 'Los contadores solo los asigna el servidor');`
			].join('\n'),
			'x.ts'
		);
		expect(x.prose.map((p) => [p.text, p.line])).toEqual([
			['Sin red: los cambios se guardan', 2],
			['`${a} de ${b}`', 3]
		]);
	});
});

describe('tableStrings', () => {
	it('takes the values of a table, or of one field of its rows, never the keys', () => {
		const x = extract(
			[
				`export const LABELS = { up: 'Responde', down: 'No responde' } as const;`,
				`export const TABS = [{ slug: 'general', label: 'General' }, { slug: 'otros', label: 'Otros' }];`
			].join('\n'),
			'tables.ts'
		);
		expect(tableStrings(x.tables.get('LABELS')!)).toEqual(['Responde', 'No responde']);
		expect(tableStrings(x.tables.get('TABS')!, 'label')).toEqual(['General', 'Otros']);
	});
});

describe('checkCatalog on a small tree', () => {
	it('reports missing English, orphans, placeholders and undeclared arguments', () => {
		const root = mkdtempSync(join(tmpdir(), 'enlace-i18n-'));
		mkdirSync(join(root, 'app/src/lib'), { recursive: true });
		mkdirSync(join(root, 'shared/src'), { recursive: true });
		writeFileSync(
			join(root, 'shared/src/labels.ts'),
			`export const COLOR_LABELS = { red: 'Rojo', blue: 'Azul' };`
		);
		writeFileSync(
			join(root, 'app/src/lib/Sample.svelte'),
			[
				`<script lang="ts">`,
				IMPORT,
				`import { COLOR_LABELS } from '@enlace/shared';`,
				`let { color, label } = $props();`,
				`</script>`,
				`<p>{t('Guardar nuevo')} {t(COLOR_LABELS[color])} {t(label)} {t('Hay {n}', { n: 1 })}</p>`
			].join('\n')
		);
		const report = checkCatalog(root, {
			Guardar: 'Save',
			Rojo: 'Red',
			Azul: 'Blue',
			'Hay {n}': 'There are {count}'
		});
		expect(report.missing.map((m) => m.text)).toEqual(['Guardar nuevo']);
		expect(report.orphans).toEqual(['Guardar']);
		expect(report.placeholderMismatches).toEqual([{ es: 'Hay {n}', en: 'There are {count}' }]);
		// `label` is declared in dynamic.ts (JobState's prop), so only an unknown name is reported.
		expect(report.undeclared).toEqual([]);
		writeFileSync(
			join(root, 'app/src/lib/Other.svelte'),
			`<script lang="ts">\n${IMPORT}\nlet { caption } = $props();\n</script>\n{t(caption)}`
		);
		expect(checkCatalog(root, {}).undeclared.map((d) => d.expr)).toEqual(['caption']);
	});
});
