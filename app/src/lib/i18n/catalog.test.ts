import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkCatalog } from './catalog';
import { en } from './en';
import { PENDING_TEXTS } from './pending';

/**
 * Spanish is the source text and the key of `en.ts`. This check keeps the two in step: a Spanish
 * text without English, an English entry left behind by a changed Spanish text, or a text shown
 * without `t()` fails here with its file and line.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const report = checkCatalog(root, en);
const pending = new Set(PENDING_TEXTS);
const where = (at: { file: string; line: number }[]) =>
	at.map((p) => `${p.file}:${p.line}`).join(', ');

describe('English dictionary (en.ts)', () => {
	it('has an English text for every Spanish text the app translates', () => {
		const missing = report.missing
			.filter((m) => !pending.has(m.text))
			.map((m) => `${JSON.stringify(m.text)}  (${where(m.at)})`);
		expect(missing, 'add these to en.ts').toEqual([]);
	});

	it('has no entry that no source uses any more', () => {
		expect(
			report.orphans,
			'a Spanish text changed or went away: update or remove these in en.ts'
		).toEqual([]);
	});

	it('keeps the {placeholders} of each Spanish text', () => {
		expect(report.placeholderMismatches).toEqual([]);
	});
});

describe('texts on screen', () => {
	it('go through t(), in markup, visible attributes and browser dialogs', () => {
		const untranslated = report.untranslated
			.filter((u) => !pending.has(u.text))
			.map((u) => `${u.file}:${u.line} ${u.where} ${JSON.stringify(u.text)}`);
		expect(untranslated, 'wrap these in t() and add their English').toEqual([]);
	});

	it('reach t() only through arguments the check can read or that dynamic.ts declares', () => {
		const undeclared = report.undeclared.map((d) => `t(${d.expr})  (${where(d.at)})`);
		expect(undeclared, 'declare where these texts come from in dynamic.ts').toEqual([]);
		expect(report.badDeclarations, 'dynamic.ts names tables that do not exist').toEqual([]);
	});

	it('leave nothing in pending.ts that is already done', () => {
		const stillPending = new Set([
			...report.missing.map((m) => m.text),
			...report.untranslated.map((u) => u.text)
		]);
		expect(PENDING_TEXTS.filter((text) => !stillPending.has(text))).toEqual([]);
	});
});
