import {
	MONTHS_PER_PERIOD,
	type BillingFrequency,
	type Contract,
	type TariffAssignment
} from '../schemas/contract';
import type { Tariff } from '../schemas/router';

/**
 * "Calcular próximo previo": the pre-invoice of each contract's next billing period, computed from
 * the customer's contracts, tariff assignments and the tariff catalogue. Pure — the same answer on
 * a phone offline and on the server.
 *
 * The rules:
 *
 * 1. **Periods.** A contract is billed every 1, 2, 3, 6 or 12 months (its billing frequency). A
 *    period starts on the contract's period start day (1–28, default 1) of a month whose number
 *    counted from January of year 0 is a multiple of the period's length: monthly periods start
 *    every month, bimonthly in January, March, May…, quarterly in January, April, July, October,
 *    half-yearly in January and July, yearly in January. A period ends the day before the next
 *    one starts. With start day 15, the monthly period of 2026-03-20 is 2026-03-15 – 2026-04-14.
 * 2. **Which period is next.** Billing in advance (the default) invoices a period before it runs:
 *    the next period is the first one that starts after today. Billing in arrears invoices a
 *    period once it has run: the next period is the one today is in.
 * 3. **Which assignments count.** Every assignment of the contract that is charged on at least one
 *    day of that period: from its start date to its end date (baja; none: open), and within the
 *    contract's own from/to dates. Each gives one line.
 * 4. **Amount of a line.** The monthly price (the assignment's price override, else the tariff's
 *    price) × the months in the period × quantity × days used ÷ days in the period ×
 *    (1 − discount % ÷ 100). Days used and days in the period are counted inclusively, so a whole
 *    period is exactly the monthly price × months, whatever the month's length, and a tariff that
 *    starts on the 16th of a 31-day month pays 16/31 of it.
 * 5. **Rounding.** Each line is rounded to the cent, half away from zero, computed exactly (integer
 *    arithmetic, no floating-point noise). The bases of the lines are summed per VAT rate, and the
 *    VAT of each rate is that sum × rate ÷ 100, rounded to the cent the same way. The total is the
 *    bases plus the VAT.
 *
 * What follows: the previo is never negative (no input can be); the order the rows come in never
 * changes it (lines are sorted, sums are of integers); a 100 % discount gives 0; and splitting an
 * assignment at any day into two that cover the same days gives two lines whose sum is within one
 * cent per line of the whole (each line is off the exact amount by at most half a cent).
 */

/** A day as YYYY-MM-DD. */
type Day = string;

/**
 * Days since 1970-01-01 of a YYYY-MM-DD, and back, with integer arithmetic only (H. Hinnant's
 * civil-calendar algorithms): the previo of 50,000 customers parses many dates, and Date.parse
 * and toISOString cost several times more.
 */
function dayNumber(d: Day): number {
	let y = +d.slice(0, 4);
	const m = +d.slice(5, 7);
	const day = +d.slice(8, 10);
	if (m <= 2) y -= 1;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146_097 + doe - 719_468;
}
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
function dayOf(n: number): Day {
	const z = n + 719_468;
	const era = Math.floor(z / 146_097);
	const doe = z - era * 146_097;
	const yoe = Math.floor(
		(doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365
	);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const m = mp < 10 ? mp + 3 : mp - 9;
	const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
	return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(day)}`;
}
/** `day` plus `n` days (n may be negative). */
export const plusDays = (day: Day, n: number): Day => dayOf(dayNumber(day) + n);

/** Day `day` of month `m` counted from January of year 0 (0-based). */
const monthDay = (m: number, day: number): Day => {
	const y = Math.floor(m / 12);
	return `${String(y).padStart(4, '0')}-${pad2(m - y * 12 + 1)}-${pad2(day)}`;
};

export type BillingPeriod = { start: Day; end: Day; months: number };

/** The billing period (rule 1) that contains `day`. */
export function periodContaining(
	day: Day,
	frequency: BillingFrequency,
	startDay = 1
): BillingPeriod {
	const months = MONTHS_PER_PERIOD[frequency];
	const [y, m, d] = day.split('-').map(Number);
	let month = y * 12 + (m - 1);
	if (d < startDay) month -= 1;
	month -= ((month % months) + months) % months;
	const start = monthDay(month, startDay);
	const end = dayOf(dayNumber(monthDay(month + months, startDay)) - 1);
	return { start, end, months };
}

type ContractTerms = Pick<Contract, 'billingFrequency' | 'billingMode' | 'periodStartDay'>;

/** The contract's next period to invoice from `today` on (rule 2). */
export function nextBillingPeriod(contract: ContractTerms, today: Day): BillingPeriod {
	const current = periodContaining(today, contract.billingFrequency, contract.periodStartDay ?? 1);
	if ((contract.billingMode ?? 'advance') === 'arrears') return current;
	return periodContaining(
		dayOf(dayNumber(current.end) + 1),
		contract.billingFrequency,
		contract.periodStartDay ?? 1
	);
}

export type PrevioLine = {
	contractId: string;
	assignmentId: string;
	tariffId: string;
	/** The tariff's name. */
	description: string;
	periodStart: Day;
	periodEnd: Day;
	/** The first and last day charged within the period. */
	from: Day;
	to: Day;
	daysUsed: number;
	daysInPeriod: number;
	months: number;
	/** Monthly price in cents (override or tariff). */
	unitCents: number;
	quantity: number;
	discountPercent: number;
	vatRate: number;
	baseCents: number;
};

export type PrevioVat = { vatRate: number; baseCents: number; vatCents: number };

export type Previo = {
	lines: PrevioLine[];
	/** One entry per VAT rate present, highest rate first. */
	vat: PrevioVat[];
	baseCents: number;
	vatCents: number;
	totalCents: number;
};

/**
 * `a × b × … ÷ den`, rounded half away from zero, exactly (every factor a whole number ≥ 0,
 * den > 0): in plain numbers while the product stays below 2^53, in BigInt beyond.
 */
export function mulDivRound(factors: readonly number[], den: number): number {
	let num = 1;
	for (const f of factors) num *= f;
	if (Number.isSafeInteger(num)) {
		const q = Math.floor(num / den);
		return (num - q * den) * 2 >= den ? q + 1 : q;
	}
	let big = 1n;
	for (const f of factors) big *= BigInt(f);
	const d = BigInt(den);
	const q = big / d;
	return Number((big % d) * 2n >= d ? q + 1n : q);
}

/** Line amount (rule 4 and 5): exact integer arithmetic, one rounding. */
export function lineBaseCents(l: {
	unitCents: number;
	months: number;
	quantity: number;
	daysUsed: number;
	daysInPeriod: number;
	discountPercent: number;
}): number {
	// A discount has at most two decimals: in hundredths of a percent it is a whole number.
	const keep = Math.max(0, 10_000 - Math.round(l.discountPercent * 100));
	return mulDivRound(
		[l.unitCents, l.months, l.quantity, l.daysUsed, keep],
		l.daysInPeriod * 10_000
	);
}

/** VAT of a base at a whole-number rate, rounded to the cent (rule 5). */
export const vatCents = (baseCents: number, vatRate: number): number =>
	mulDivRound([baseCents, vatRate], 100);

export type PrevioInput = {
	today: Day;
	contracts: readonly Contract[];
	assignments: readonly TariffAssignment[];
	tariffs: readonly Tariff[];
};

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The previo of one customer (or of any set of contracts): rules above. */
export function computePrevio({ today, contracts, assignments, tariffs }: PrevioInput): Previo {
	const tariffById = new Map(tariffs.map((t) => [t.id, t]));
	const byContract = new Map<string, TariffAssignment[]>();
	for (const a of assignments) {
		const list = byContract.get(a.contractId);
		if (list) list.push(a);
		else byContract.set(a.contractId, [a]);
	}
	const lines: PrevioLine[] = [];
	for (const c of contracts) {
		const own = byContract.get(c.id);
		if (!own) continue;
		const period = nextBillingPeriod(c, today);
		const pStart = dayNumber(period.start);
		const pEnd = dayNumber(period.end);
		for (const a of own) {
			const tariff = tariffById.get(a.tariffId);
			if (!tariff) continue;
			const first = Math.max(pStart, dayNumber(a.startDate), dayNumber(c.fromDate));
			const last = Math.min(
				pEnd,
				a.endDate ? dayNumber(a.endDate) : pEnd,
				c.toDate ? dayNumber(c.toDate) : pEnd
			);
			if (last < first) continue;
			const line = {
				unitCents: a.priceOverrideCents ?? tariff.priceCents,
				months: period.months,
				quantity: a.quantity,
				daysUsed: last - first + 1,
				daysInPeriod: pEnd - pStart + 1,
				discountPercent: a.discountPercent ?? 0
			};
			lines.push({
				contractId: c.id,
				assignmentId: a.id,
				tariffId: tariff.id,
				description: tariff.name,
				periodStart: period.start,
				periodEnd: period.end,
				from: dayOf(first),
				to: dayOf(last),
				...line,
				vatRate: tariff.vatRate,
				baseCents: lineBaseCents(line)
			});
		}
	}
	lines.sort(
		(x, y) =>
			compare(x.periodStart, y.periodStart) ||
			compare(x.contractId, y.contractId) ||
			compare(x.from, y.from) ||
			compare(x.assignmentId, y.assignmentId)
	);
	const bases = new Map<number, number>();
	for (const l of lines) bases.set(l.vatRate, (bases.get(l.vatRate) ?? 0) + l.baseCents);
	const vat = [...bases.entries()]
		.sort(([a], [b]) => b - a)
		.map(([vatRate, baseCents]) => ({
			vatRate,
			baseCents,
			vatCents: vatCents(baseCents, vatRate)
		}));
	const baseCents = vat.reduce((s, v) => s + v.baseCents, 0);
	const vatTotal = vat.reduce((s, v) => s + v.vatCents, 0);
	return { lines, vat, baseCents, vatCents: vatTotal, totalCents: baseCents + vatTotal };
}

/**
 * The billing run of a month (`YYYY-MM`, docs/billing-run.md): the period a contract is invoiced
 * for in that run, or undefined when none is due. The month's boundary is its day `periodStartDay`:
 * billing in advance invoices the period that starts on it, in arrears the one that ends the day
 * before it (the April run invoices March). Both are what the previo computes on the day before
 * the boundary, so `today` is returned for `computePrevio`.
 */
export function runPeriod(
	contract: ContractTerms,
	month: string
): { today: Day; period: BillingPeriod } | undefined {
	const boundary = `${month}-${pad2(contract.periodStartDay ?? 1)}`;
	const today = dayOf(dayNumber(boundary) - 1);
	const period = nextBillingPeriod(contract, today);
	const due =
		(contract.billingMode ?? 'advance') === 'arrears'
			? period.end === today
			: period.start === boundary;
	return due ? { today, period } : undefined;
}
