/**
 * Finds the UI texts of a `.svelte` or `.ts` source, for the catalogue check in `catalog.test.ts`.
 * Test-only: it imports the Svelte compiler, so the app must never import it.
 *
 * It reads the syntax tree that Svelte's own parser gives (TypeScript included), never regular
 * expressions, so multi-line calls, escaped quotes and template literals are read as the build
 * reads them. A `.ts` file is parsed as the script of an empty component.
 */
import { parse } from 'svelte/compiler';

type Node = { type: string; start: number; end: number; [key: string]: unknown };

/** A Spanish source text handed to `t()`, literally or through a label table. */
export type FoundText = { text: string; file: string; line: number };
/** Part of a `t()` argument the extractor cannot read by itself, e.g. `t(label)` with a prop. */
export type DynamicLeaf = { expr: string; file: string; line: number };
/** Text that reaches the screen without `t()`. */
export type Untranslated = { text: string; file: string; line: number; where: string };

export type Extraction = {
	texts: FoundText[];
	dynamic: DynamicLeaf[];
	untranslated: Untranslated[];
	/**
	 * String literals outside `t()` that read like Spanish sentences (`'Sin red: …'`). The catalogue
	 * check reports those that are not source texts reached another way (a table read by `t()`).
	 */
	prose: Untranslated[];
	/** Top-level `const NAME = …` initialisers, to resolve `t(TABLE[key])` and registry entries. */
	tables: Map<string, Node>;
};

/** Attributes that show their value to people. Static values here must go through `t()`. */
const VISIBLE_ATTRIBUTES = new Set([
	'label',
	'placeholder',
	'title',
	'aria-label',
	'alt',
	'hint',
	'message',
	'confirmLabel',
	'cancelLabel'
]);

/** Component props that the component itself passes through `t()`: their static values are sources. */
export const TRANSLATING_PROPS: Record<string, string[]> = { JobState: ['label'] };

/**
 * Elements whose text is code or machine output, shown the same in every language. Not `<kbd>`:
 * key names are translated (Intro / Enter).
 */
const CODE_ELEMENTS = new Set(['code', 'pre', 'samp']);

const isTranslatingProp = (attribute: Node, owner: Node | undefined) =>
	owner?.type === 'Component' &&
	!!TRANSLATING_PROPS[owner.name as string]?.includes(attribute.name as string);

/** Browser dialogs whose first argument is shown as is. */
const DIALOGS = new Set(['alert', 'confirm', 'prompt']);

/**
 * Words that read the same in both languages: product and protocol names, Spanish tax document
 * names, keys, units, language codes and names. A text made only of these, numbers and punctuation
 * is not reported as untranslated. Single letters (`Ctrl+S`) and words with digits (`ES00`) never
 * count as words.
 */
export const SAME_IN_BOTH = new Set(
	(
		'Enlace PPPoE MikroTik RouterOS IP GPS IBAN BIC SEPA CMI ONT VLAN CTO API RTT CIF NIF NIE ' +
		'Ctrl Alt Shift Esc Mb ms ES EN rate-limit default api-ssl ' +
		// Languages are offered by their own names.
		'Castellano Català Euskara Galego English Français Português'
	).split(' ')
);

const words = (s: string) =>
	(s.match(/[\p{L}\d][\p{L}\d-]*/gu) ?? []).filter((w) => w.length > 1 && !/\d/.test(w));
const hasWords = (s: string) => words(s).length > 0;
const sameInBoth = (s: string) => words(s).every((w) => SAME_IN_BOTH.has(w));

/** Split so that this file, read by the check as a script itself, does not close its own script. */
const SCRIPT_END = '<' + '/script>';

function lineAt(source: string, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
	return line;
}

/** The string a literal or a template literal without `${}` stands for, or undefined. */
export function literalString(node: Node | undefined | null): string | undefined {
	if (!node) return undefined;
	if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
	if (node.type === 'TemplateLiteral' && (node.expressions as Node[]).length === 0)
		return ((node.quasis as Node[])[0].value as { cooked: string }).cooked;
	return undefined;
}

/** The label table (`*_LABELS`, `*_NAMES`) a `NAME[key]` or `NAME.key` reads, if NAME is one. */
function labelTable(node: Node): string | undefined {
	let n = unwrap(node);
	while (n.type === 'MemberExpression' || n.type === 'ChainExpression')
		n = unwrap((n.type === 'ChainExpression' ? n.expression : n.object) as Node);
	const name = n.type === 'Identifier' ? (n.name as string) : '';
	return /(^|_)(LABELS|NAMES)$/.test(name) && unwrap(node) !== n ? name : undefined;
}

/** Strips what does not change the value: `as const`, `satisfies`, `!`, parentheses. */
function unwrap(node: Node): Node {
	let n = node;
	while (
		[
			'TSAsExpression',
			'TSSatisfiesExpression',
			'TSNonNullExpression',
			'ParenthesizedExpression'
		].includes(n.type)
	)
		n = n.expression as Node;
	return n;
}

/**
 * The alternatives a `t()` argument can take: `a ? 'x' : 'y'` and `a ?? 'x'` split into their
 * branches; everything else is one leaf.
 */
export function leaves(node: Node): Node[] {
	const n = unwrap(node);
	if (n.type === 'ConditionalExpression')
		return [...leaves(n.consequent as Node), ...leaves(n.alternate as Node)];
	if (n.type === 'LogicalExpression' && (n.operator === '??' || n.operator === '||'))
		return [...leaves(n.left as Node), ...leaves(n.right as Node)];
	return [n];
}

/**
 * Every string an initialiser holds as a value (object property values, array items, recursively;
 * never property keys). With `prop`, only the values of properties so named.
 */
export function tableStrings(node: Node, prop?: string): string[] {
	const out: string[] = [];
	const visit = (n: unknown, underProp: boolean) => {
		if (!n || typeof n !== 'object') return;
		if (Array.isArray(n)) return n.forEach((x) => visit(x, underProp));
		const node = n as Node;
		const s = literalString(node);
		if (s !== undefined) {
			if (!prop || underProp) out.push(s);
			return;
		}
		if (node.type === 'Property') {
			const key = node.key as Node;
			const name = key.type === 'Identifier' ? (key.name as string) : literalString(key);
			visit(node.value, prop ? name === prop : true);
			return;
		}
		for (const [k, v] of Object.entries(node)) if (k !== 'metadata') visit(v, underProp);
	};
	visit(node, false);
	return out;
}

/** Depth-first walk over a Svelte/ESTree tree, with the chain of ancestors. */
function walk(root: unknown, visit: (node: Node, ancestors: Node[]) => void) {
	const seen = new Set<unknown>();
	const go = (n: unknown, ancestors: Node[]) => {
		if (!n || typeof n !== 'object' || seen.has(n)) return;
		seen.add(n);
		if (Array.isArray(n)) return n.forEach((x) => go(x, ancestors));
		const node = n as Node;
		const isNode = typeof node.type === 'string';
		if (isNode) visit(node, ancestors);
		const next = isNode ? [...ancestors, node] : ancestors;
		for (const [k, v] of Object.entries(node)) if (k !== 'metadata' && k !== 'parent') go(v, next);
	};
	go(root, []);
}

/**
 * `t('…')` translates now; `msg('…')` marks a Spanish text kept as data (a stored status) and
 * translated where it is shown. Both make their argument a source text.
 */
const TRANSLATORS = new Set(['t', 'msg']);

const isTCall = (n: Node) =>
	n.type === 'CallExpression' &&
	(n.callee as Node).type === 'Identifier' &&
	TRANSLATORS.has((n.callee as Node).name as string);

/** `new AppError(code, 'mensaje')`: error messages are Spanish by design, like those of shared/. */
const isErrorConstruction = (n: Node) =>
	n.type === 'NewExpression' &&
	(n.callee as Node).type === 'Identifier' &&
	/Error$/.test((n.callee as Node).name as string);

/** Spanish words that only appear in sentences: `${n} de ${total}` is prose, a URL is not. */
const SPANISH_GLUE = /(^|\s)(de|del|la|el|los|las|y|con|sin|para|por|que|un|una|se)\s/;

/** The text of a string literal, or the fixed parts of a template joined by `{}`. */
const proseOf = (n: Node): string =>
	n.type === 'Literal'
		? typeof n.value === 'string'
			? n.value
			: ''
		: (n.quasis as Node[]).map((q) => (q.value as { cooked: string }).cooked).join('{}');

/**
 * A capitalised Spanish word followed by more words (`'Sin red: …'`, not `'pppoe.account'`), or
 * words joined by Spanish glue (`` `${n} de ${total}` ``).
 */
const looksLikeProse = (s: string) =>
	SPANISH_GLUE.test(s) ||
	(/^[¿¡]?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]*[ ,:]\s*\S[^]*\p{Ll}/u.test(s) && !sameInBoth(s));

const DIALOG_CALL = (n: Node) =>
	n.type === 'CallExpression' &&
	(n.callee as Node).type === 'Identifier' &&
	DIALOGS.has((n.callee as Node).name as string);

const isConsole = (n: Node) =>
	n.type === 'CallExpression' &&
	(n.callee as Node).type === 'MemberExpression' &&
	((n.callee as Node).object as Node).type === 'Identifier' &&
	((n.callee as Node).object as Node).name === 'console';

/** A property key, an import/export path or an operand of a comparison is not shown. */
const isKeyOrModule = (n: Node, parent: Node | undefined) =>
	(parent?.type === 'Property' && parent.key === n) ||
	/^(Import|Export)/.test(parent?.type ?? '') ||
	(parent?.type === 'BinaryExpression' && /^[!=]==?$/.test(parent.operator as string));

/** `{ code, message: '…' }`: an error as the server sends it, Spanish by design. */
const isWireErrorMessage = (parent: Node | undefined, object: Node | undefined) =>
	parent?.type === 'Property' &&
	(parent.key as Node).name === 'message' &&
	object?.type === 'ObjectExpression' &&
	(object.properties as Node[]).some(
		(p) => p.type === 'Property' && (p.key as Node).name === 'code'
	);

/** Does this file import `t` or `msg` from the i18n module (so a call is ours, not a local)? */
function importsT(root: unknown): boolean {
	let found = false;
	walk(root, (n) => {
		if (
			n.type === 'ImportDeclaration' &&
			/i18n(\/index\.svelte)?(\.ts|\.js)?$|^\.\/index\.svelte$/.test(
				String((n.source as Node).value)
			)
		)
			for (const s of n.specifiers as Node[])
				if (s.type === 'ImportSpecifier' && TRANSLATORS.has((s.local as Node).name as string))
					found = true;
	});
	return found;
}

export function extract(source: string, file: string): Extraction {
	const isSvelte = file.endsWith('.svelte');
	// Wrapping a .ts file as a component script keeps its offsets: the tag precedes line 1's text.
	const prefix = isSvelte ? '' : '<script lang="ts">';
	const code = prefix + source + (isSvelte ? '' : `\n${SCRIPT_END}`);
	const ast = parse(code, { modern: true }) as unknown as {
		instance?: { content: Node };
		module?: { content: Node };
		fragment: Node;
	};
	const at = (n: Node) => lineAt(code, n.start);
	const src = (n: Node) => code.slice(n.start, n.end);

	const result: Extraction = {
		texts: [],
		dynamic: [],
		untranslated: [],
		prose: [],
		tables: new Map()
	};

	for (const script of [ast.module?.content, ast.instance?.content]) {
		for (const stmt of (script?.body as Node[] | undefined) ?? []) {
			const decl =
				stmt.type === 'ExportNamedDeclaration' ? (stmt.declaration as Node | null) : stmt;
			if (decl?.type !== 'VariableDeclaration') continue;
			for (const d of decl.declarations as Node[])
				if ((d.id as Node).type === 'Identifier' && d.init)
					result.tables.set((d.id as Node).name as string, d.init as Node);
		}
	}

	/** A Spanish text that will go through `t()`: its literals are sources, the rest dynamic. */
	const readSource = (expression: Node) => {
		for (const leaf of leaves(expression)) {
			const text = literalString(leaf);
			if (text?.trim() === '') continue;
			if (text !== undefined) result.texts.push({ text, file, line: at(leaf) });
			else result.dynamic.push({ expr: src(leaf).replace(/\s+/g, ' '), file, line: at(leaf) });
		}
	};

	const usesT = importsT(ast);
	walk(ast, (n, ancestors) => {
		if (usesT && isTCall(n)) {
			const arg = (n.arguments as Node[])[0];
			if (arg) readSource(arg);
			return;
		}
		if (
			n.type === 'CallExpression' &&
			(n.callee as Node).type === 'Identifier' &&
			DIALOGS.has((n.callee as Node).name as string)
		) {
			const arg = (n.arguments as Node[])[0];
			if (!arg) return;
			for (const leaf of leaves(arg)) {
				if (isTCall(leaf)) continue;
				const s = literalString(leaf) ?? (leaf.type === 'TemplateLiteral' ? src(leaf) : undefined);
				if (s !== undefined && hasWords(s))
					result.untranslated.push({
						text: s,
						file,
						line: at(leaf),
						where: `${(n.callee as Node).name}()`
					});
			}
			return;
		}
		if (
			(n.type === 'Literal' || n.type === 'TemplateLiteral') &&
			looksLikeProse(proseOf(n)) &&
			!ancestors.some(
				(a) =>
					isTCall(a) ||
					DIALOG_CALL(a) ||
					isErrorConstruction(a) ||
					a.type.startsWith('TS') ||
					isConsole(a)
			) &&
			!isKeyOrModule(n, ancestors.at(-1)) &&
			!isWireErrorMessage(ancestors.at(-1), ancestors.at(-2))
		) {
			result.prose.push({
				text: n.type === 'Literal' ? proseOf(n) : src(n),
				file,
				line: at(n),
				where: 'script'
			});
		}
		if (!isSvelte) return;
		if (n.type === 'ExpressionTag') {
			// `{'Cliente'}` or `{ROLE_LABELS[role]}` shown as text or in a visible attribute, without t().
			const parent = ancestors.at(-1);
			const shown =
				parent?.type === 'Fragment' ||
				(parent?.type === 'Attribute' &&
					VISIBLE_ATTRIBUTES.has(parent.name as string) &&
					!isTranslatingProp(parent, ancestors.at(-2)));
			if (!shown) return;
			for (const leaf of leaves(n.expression as Node)) {
				const text = literalString(leaf);
				if (text !== undefined && hasWords(text) && !sameInBoth(text))
					result.untranslated.push({ text, file, line: at(leaf), where: 'markup {…}' });
				const table = labelTable(leaf);
				if (table)
					result.untranslated.push({
						text: src(leaf),
						file,
						line: at(leaf),
						where: `${table} without t()`
					});
			}
			return;
		}
		if (n.type === 'Text' && ancestors.some((a) => a.type === 'Fragment')) {
			const parent = ancestors.at(-1);
			// Text inside an attribute value is handled with the attribute below; code is not prose.
			if (parent?.type === 'Attribute') return;
			if (ancestors.some((a) => a.type === 'RegularElement' && CODE_ELEMENTS.has(a.name as string)))
				return;
			const text = (n.data as string).replace(/\s+/g, ' ').trim();
			if (hasWords(text) && !sameInBoth(text))
				result.untranslated.push({ text, file, line: at(n), where: 'markup' });
			return;
		}
		if (
			n.type === 'Attribute' &&
			isTranslatingProp(n, ancestors.at(-1)) &&
			!Array.isArray(n.value)
		) {
			// `label={expr}` on a component that translates it: read like the argument of `t()`.
			const value = n.value as Node | true;
			if (value !== true && value.type === 'ExpressionTag') readSource(value.expression as Node);
			return;
		}
		if (n.type === 'Attribute' && Array.isArray(n.value)) {
			const owner = ancestors.at(-1);
			const parts = n.value as Node[];
			if (parts.some((p) => p.type !== 'Text')) return;
			const text = parts.map((p) => p.data as string).join('');
			const name = n.name as string;
			if (isTranslatingProp(n, owner)) {
				result.texts.push({ text, file, line: at(n) });
				return;
			}
			if (VISIBLE_ATTRIBUTES.has(name) && hasWords(text) && !sameInBoth(text))
				result.untranslated.push({ text, file, line: at(n), where: `${name}="…"` });
		}
	});
	return result;
}

/** `{name}` placeholders of a text, sorted, to compare a Spanish text with its English. */
export const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
