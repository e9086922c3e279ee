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
/** pending.ts excuses texts of app/src/lib/features/ only, while that folder is reorganised. */
const FEATURES = 'app/src/lib/features/';
const pending = new Set(PENDING_TEXTS);
const excused = (text: string, at: { file: string }[]) =>
	pending.has(text) && at.every((p) => p.file.startsWith(FEATURES));
const where = (at: { file: string; line: number }[]) =>
	at.map((p) => `${p.file}:${p.line}`).join(', ');

describe('English dictionary (en.ts)', () => {
	it('has an English text for every Spanish text the app translates', () => {
		const missing = report.missing
			.filter((m) => !excused(m.text, m.at))
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
			.filter((u) => !excused(u.text, [u]))
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
			...report.missing.filter((m) => excused(m.text, m.at)).map((m) => m.text),
			...report.untranslated.filter((u) => excused(u.text, [u])).map((u) => u.text)
		]);
		expect(PENDING_TEXTS.filter((text) => !stillPending.has(text))).toEqual([]);
	});
});
