import type { DocumentLine } from '../schemas/billing';
import {
	RENEWAL_PERIOD_LABELS,
	RENEWAL_PERIOD_MONTHS,
	type RenewalAssignment,
	type RenewalPackage,
	type RenewalPeriod
} from '../schemas/renewal';

/**
 * Renovaciones' date arithmetic and lines (docs/renewals.md), pure: the same on a phone offline,
 * on the server when a factura is issued, and in the monthly billing run.
 *
 * A period of n months runs from a renewal date to the day before the date n months later. Month
 * arithmetic clamps to the end of the month (31 January + 1 month = 28 or 29 February), and a
 * date that was clamped returns to the assignment's own day when the month has it (28 February →
 * 31 March for a package started on the 31st), so renewals never drift.
 */

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const daysInMonth = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : DAYS[m - 1]);

const parts = (iso: string): [number, number, number] => [
	Number(iso.slice(0, 4)),
	Number(iso.slice(5, 7)),
	Number(iso.slice(8, 10))
];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** `date` plus `months` months on day `day` (default: the date's own), clamped to the month's end. */
export function addMonthsClamped(date: string, months: number, day?: number): string {
	const [y, m, d] = parts(date);
	const index = y * 12 + (m - 1) + months;
	const ty = Math.floor(index / 12);
	const tm = (index % 12) + 1;
	return iso(ty, tm, Math.min(day ?? d, daysInMonth(ty, tm)));
}

/** The day before an ISO date. */
export function dayBefore(date: string): string {
	const [y, m, d] = parts(date);
	if (d > 1) return iso(y, m, d - 1);
	if (m > 1) return iso(y, m - 1, daysInMonth(y, m - 1));
	return iso(y - 1, 12, 31);
}

/**
 * The day of the month renewals fall on: the date's own, unless it was clamped to the end of a
 * short month and the start date's day is later (started on the 31st: back to the 31st).
 */
export function anchorDay(date: string, startDate?: string): number {
	const [y, m, d] = parts(date);
	const s = startDate ? parts(startDate)[2] : d;
	return s > d && d === daysInMonth(y, m) ? s : d;
}

/** The renewal after `date`: one period later, on the anchor day where the month has it. */
export function nextRenewalAfter(date: string, period: RenewalPeriod, startDate?: string): string {
	return addMonthsClamped(date, RENEWAL_PERIOD_MONTHS[period], anchorDay(date, startDate));
}

const spanish = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** Lines hold at most 500 characters (DocumentLine). */
const MAX_DESCRIPTION = 500;

/** A package's period as a document line: name, the days it covers, then its items. */
export function renewalLine(
	a: Pick<RenewalAssignment, 'id' | 'priceCents' | 'quantity' | 'startDate'>,
	p: Pick<RenewalPackage, 'id' | 'name' | 'items' | 'vatRate' | 'period'>,
	from: string
): DocumentLine {
	const to = dayBefore(nextRenewalAfter(from, p.period, a.startDate));
	const head = `${p.name} · ${RENEWAL_PERIOD_LABELS[p.period].toLowerCase()}, del ${spanish(from)} al ${spanish(to)}`;
	let description = [head, ...p.items.map((i) => `· ${i}`)].join('\n');
	if (description.length > MAX_DESCRIPTION) {
		description = `${description.slice(0, MAX_DESCRIPTION - 1)}…`;
	}
	return {
		packageId: p.id,
		renewal: { assignmentId: a.id, from, to },
		description,
		quantity: a.quantity,
		unitCents: a.priceCents,
		vatRate: p.vatRate
	};
}

/** A renewal due: whose it is, the renewal date, and the line that invoices it. */
export type RenewalDue = {
	customerId: string;
	assignmentId: string;
	packageId: string;
	/** The renewal date (the first day of the period charged). */
	renewal: string;
	/** Due before `periodStart` and never invoiced. */
	overdue: boolean;
	line: DocumentLine;
};

/** More renewals than this of one assignment at once means a wrong date, not a real backlog. */
export const MAX_RENEWALS_AT_ONCE = 120;

/**
 * The renewals to invoice for a billing period (ISO dates, inclusive): for every assignment whose
 * package exists, each renewal from its next renewal up to `periodEnd` — those before
 * `periodStart` too (never invoiced, so still due; marked `overdue`) — as a document line
 * carrying `renewal` (so issuing the factura moves the next renewal on). Ordered by customer,
 * assignment and date, whatever the order of the input.
 */
export function renewalsDue(
	assignments: readonly RenewalAssignment[],
	packages: readonly RenewalPackage[],
	periodStart: string,
	periodEnd: string
): RenewalDue[] {
	const byId = new Map(packages.map((p) => [p.id, p]));
	const out: RenewalDue[] = [];
	// Ids compared as code units: the same order everywhere, and far cheaper than localeCompare.
	const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
	// Only those with a renewal due are sorted: a quarter of them in a month, and the sort was
	// most of the time.
	const sorted = assignments
		.filter((a) => a.nextRenewal <= periodEnd && byId.has(a.packageId))
		.sort((x, y) => cmp(x.customerId, y.customerId) || cmp(x.id, y.id));
	for (const a of sorted) {
		const p = byId.get(a.packageId)!;
		let date = a.nextRenewal;
		for (let n = 0; date <= periodEnd && n < MAX_RENEWALS_AT_ONCE; n++) {
			out.push({
				customerId: a.customerId,
				assignmentId: a.id,
				packageId: p.id,
				renewal: date,
				overdue: date < periodStart,
				line: renewalLine(a, p, date)
			});
			date = nextRenewalAfter(date, p.period, a.startDate);
		}
	}
	return out;
}

/**
 * Where an assignment's next renewal goes when a factura charging the renewals `from` is issued:
 * on from its next renewal while each one is charged (a renewal already invoiced, or one further
 * ahead, moves nothing), or null when nothing moves.
 */
export function advanceRenewal(
	a: Pick<RenewalAssignment, 'nextRenewal' | 'startDate'>,
	period: RenewalPeriod,
	from: ReadonlySet<string>
): { nextRenewal: string; from: string; to: string } | null {
	let next = a.nextRenewal;
	let n = 0;
	while (from.has(next) && n++ < MAX_RENEWALS_AT_ONCE) {
		next = nextRenewalAfter(next, period, a.startDate);
	}
	return n ? { nextRenewal: next, from: a.nextRenewal, to: dayBefore(next) } : null;
}
