/**
 * Reads the whole app and compares its Spanish texts with the English dictionary. Test-only (it
 * reads files and imports the Svelte compiler); `catalog.test.ts` runs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extract, placeholders, tableStrings, type Extraction, type Untranslated } from './extract';
import { DYNAMIC_TEXTS } from './dynamic';

type Place = { file: string; line: number };

export type CatalogReport = {
	/** Spanish texts shown through `t()` that `en.ts` lacks. */
	missing: { text: string; at: Place[] }[];
	/** English entries whose Spanish text no source uses any more (a changed or removed label). */
	orphans: string[];
	/** Texts shown without `t()`. */
	untranslated: Untranslated[];
	/** `t()` arguments the check cannot read and `dynamic.ts` does not declare. */
	undeclared: { expr: string; at: Place[] }[];
	/** Entries of `dynamic.ts` naming a table that does not exist. */
	badDeclarations: string[];
	/** English texts whose `{placeholders}` differ from the Spanish ones. */
	placeholderMismatches: { es: string; en: string }[];
	/** Every Spanish source text, with where it is used. */
	sources: Map<string, Place[]>;
};

function filesUnder(dir: string, root: string): string[] {
	return (readdirSync(dir, { recursive: true }) as string[])
		.filter(
			(f) => /\.(svelte|ts)$/.test(f) && !/\.(test|spec)\.ts$/.test(f) && !f.endsWith('.d.ts')
		)
		.map((f) => relative(root, join(dir, f)).replaceAll('\\', '/'))
		.sort();
}

/**
 * @param root the repository root
 * @param en the English dictionary
 */
export function checkCatalog(root: string, en: Record<string, string>): CatalogReport {
	// The dictionary and this checker are not UI.
	const appFiles = filesUnder(join(root, 'app/src'), root).filter(
		(f) => !f.startsWith('app/src/lib/i18n/')
	);
	const sharedFiles = filesUnder(join(root, 'shared/src'), root);
	const read = (f: string) => extract(readFileSync(join(root, f), 'utf8'), f);
	const app = appFiles.map(read);
	const shared = sharedFiles.map(read);

	// Exported constants anywhere in app/ and shared/, for `t(TABLE[key])` with an imported table.
	const globalTables = new Map<
		string,
		Extraction['tables'] extends Map<string, infer N> ? N[] : never
	>();
	for (const x of [...app, ...shared])
		for (const [name, init] of x.tables)
			globalTables.set(name, [...(globalTables.get(name) ?? []), init]);

	const sources = new Map<string, Place[]>();
	const addSource = (text: string, at: Place) =>
		sources.set(text, [...(sources.get(text) ?? []), at]);

	/** The strings a table reference (`NAME` or `NAME.prop`) stands for, same file first. */
	const resolve = (ref: string, x: Extraction): string[] | undefined => {
		const [name, prop] = ref.split('.');
		const local = x.tables.get(name);
		const inits = local ? [local] : globalTables.get(name);
		return inits?.flatMap((init) => tableStrings(init, prop));
	};

	const undeclared = new Map<string, Place[]>();
	const badDeclarations = new Set<string>();
	for (const x of app) {
		for (const f of x.texts) addSource(f.text, f);
		for (const d of x.dynamic) {
			const declared = DYNAMIC_TEXTS[d.expr];
			// `TABLE[key]` and `TABLE` read a table of this file or an exported one by themselves.
			const root = /^([A-Za-z_$][\w$]*)(\[[^\]]*\])?$/.exec(d.expr)?.[1];
			const refs = declared ?? (root && resolve(root, x) ? [root] : undefined);
			if (!refs) {
				undeclared.set(d.expr, [...(undeclared.get(d.expr) ?? []), d]);
				continue;
			}
			for (const ref of refs) {
				const texts = resolve(ref, x);
				if (!texts) badDeclarations.add(`${d.expr} → ${ref}`);
				for (const text of texts ?? []) addSource(text, d);
			}
		}
	}

	return {
		missing: [...sources].filter(([text]) => !(text in en)).map(([text, at]) => ({ text, at })),
		orphans: Object.keys(en).filter((text) => !sources.has(text)),
		untranslated: app.flatMap((x) => [
			...x.untranslated,
			// Sentences in code that reach t() another way (a table) are sources, not misses.
			...x.prose.filter(
				(p) =>
					!sources.has(p.text) &&
					!x.untranslated.some((u) => u.line === p.line && u.text === p.text)
			)
		]),
		undeclared: [...undeclared].map(([expr, at]) => ({ expr, at })),
		badDeclarations: [...badDeclarations],
		placeholderMismatches: Object.entries(en)
			.filter(([es, text]) => placeholders(es).join() !== placeholders(text).join())
			.map(([es, text]) => ({ es, en: text })),
		sources
	};
}
