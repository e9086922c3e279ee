import {
	Document,
	DocumentLine,
	EXEMPT_REASONS,
	documentTotals,
	formatCentsInput,
	formatDecimalInput,
	type DocumentKind,
	type DocumentTotals,
	type ExemptReason,
	type RenewalPackage,
	type Tariff
} from '@enlace/shared';
import type { FormErrors } from '$lib/forms';
import { formValue, parseDecimal, parseEuros, parsePercent } from '@enlace/shared';

const centsValue = (text: string) => formValue(parseEuros(text));
const percentValue = (text: string) => formValue(parsePercent(text));

/**
 * The document editor's draft: every number as typed text, the VAT as one choice (a rate, or an
 * exemption cause, which means 0 %). Pure, so the live totals and the checks are unit-tested.
 */
export type LineDraft = {
	tariffId: string;
	/** A renewable package of the catalogue (Renovaciones). */
	packageId: string;
	/** The customer's renewal this line charges (kept as it came: issuing moves it on). */
	renewal?: DocumentLine['renewal'];
	description: string;
	quantity: string;
	price: string;
	discount: string;
	/** '21' | '10' | '4' | '0' | 'E1'…'E6' */
	vat: string;
};
export type DocumentDraft = { kind: DocumentKind; date: string; notes: string; lines: LineDraft[] };

export const emptyLine = (): LineDraft => ({
	tariffId: '',
	packageId: '',
	description: '',
	quantity: '1',
	price: '',
	discount: '',
	vat: '21'
});

/** A tariff of the catalogue as a line: its name, monthly price and VAT. */
export const lineFromTariff = (t: Tariff, { renewal: _r, ...line }: LineDraft): LineDraft => ({
	...line,
	tariffId: t.id,
	packageId: '',
	description: t.name,
	price: formatCentsInput(t.priceCents),
	vat: String(t.vatRate)
});

/** A renewable package of the catalogue as a line: its name and items, price per period and VAT. */
export const lineFromPackage = (
	p: RenewalPackage,
	{ renewal: _r, ...line }: LineDraft
): LineDraft => ({
	...line,
	tariffId: '',
	packageId: p.id,
	description: [p.name, ...p.items.map((i) => `· ${i}`)].join('\n').slice(0, 500),
	price: formatCentsInput(p.priceCents),
	vat: String(p.vatRate)
});

/** The catalogue choice of a line's select: a tariff's id, `pkg:<id>` for a package, '' for free text. */
export const lineSource = (l: LineDraft) => l.tariffId || (l.packageId ? `pkg:${l.packageId}` : '');

export function draftOf(
	doc: Document | undefined,
	kind: DocumentKind,
	today: string
): DocumentDraft {
	return {
		kind: doc?.kind ?? kind,
		date: doc?.date ?? today,
		notes: doc?.notes ?? '',
		lines: doc?.lines.map((l) => ({
			tariffId: l.tariffId ?? '',
			packageId: l.packageId ?? '',
			...(l.renewal ? { renewal: l.renewal } : {}),
			description: l.description,
			quantity: formatDecimalInput(l.quantity, 2),
			price: formatCentsInput(l.unitCents),
			discount: formatDecimalInput(l.discountPercent, 2),
			vat: l.exemptReason ?? String(l.vatRate)
		})) ?? [emptyLine()]
	};
}

const isExempt = (v: string): v is ExemptReason =>
	(EXEMPT_REASONS as readonly string[]).includes(v);

/** A line draft as the row's line (numbers parsed; NaN where unreadable, so zod names it). */
function lineValue(l: LineDraft): Record<string, unknown> {
	const exempt = isExempt(l.vat);
	const discount = l.discount.trim() ? percentValue(l.discount) : undefined;
	return {
		...(l.tariffId ? { tariffId: l.tariffId } : {}),
		...(l.packageId ? { packageId: l.packageId } : {}),
		...(l.renewal ? { renewal: l.renewal } : {}),
		description: l.description.trim(),
		quantity: l.quantity.trim()
			? formValue(parseDecimal(l.quantity, { maxDecimals: 2 }))
			: Number.NaN,
		unitCents: l.price.trim() ? centsValue(l.price) : Number.NaN,
		...(discount !== undefined ? { discountPercent: discount } : {}),
		vatRate: exempt ? 0 : Number(l.vat),
		...(exempt ? { exemptReason: l.vat } : {})
	};
}

/** Each line checked on its own: the valid ones, and every error keyed `lines.<i>.<field>`. */
export function checkLines(lines: readonly LineDraft[]): {
	lines: DocumentLine[];
	errors: FormErrors;
} {
	const valid: DocumentLine[] = [];
	const errors: FormErrors = {};
	lines.forEach((l, i) => {
		const r = DocumentLine.safeParse(lineValue(l));
		if (r.success) valid.push(r.data);
		else
			for (const issue of r.error.issues) {
				errors[`lines.${i}.${issue.path.map(String).join('.') || 'description'}`] ??= issue.message;
			}
	});
	return { lines: valid, errors };
}

/** The totals of the lines typed so far that are readable (what the screen shows live). */
export const liveTotals = (lines: readonly LineDraft[]): DocumentTotals =>
	documentTotals(checkLines(lines).lines);

/** The draft as the document row to write, or every error at once. */
export function rowOf(
	d: DocumentDraft,
	base: Pick<Document, 'id' | 'customerId'> & Partial<Document>
): { row: Document } | { errors: FormErrors } {
	const { lines, errors } = checkLines(d.lines);
	const notes = d.notes.trim();
	const { notes: _old, ...rest } = base;
	const row = {
		...rest,
		kind: d.kind,
		state: 'borrador',
		date: d.date,
		lines,
		...(notes ? { notes } : {})
	};
	// The row's own rules (a date, at least one line), then each line's.
	const whole = Document.safeParse(row);
	if (!whole.success) {
		for (const issue of whole.error.issues) {
			const key = issue.path.map(String).join('.') || '_';
			if (key.startsWith('lines.') || (key === 'lines' && d.lines.length)) continue;
			errors[key] ??= issue.message;
		}
	}
	if (Object.keys(errors).length) return { errors };
	return { row: row as Document };
}
