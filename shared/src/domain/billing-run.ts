import type { DocumentLine, DocumentTotals } from '../schemas/billing';
import type { Contract, TariffAssignment } from '../schemas/contract';
import type { Customer } from '../schemas/customer';
import { BANK_REQUIRED_KEYS, type PaymentMethod } from '../schemas/finance';
import type { Tariff } from '../schemas/router';
import type { RenewalAssignment, RenewalPackage } from '../schemas/renewal';
import { daysInMonth, renewalsDue } from './renewals';
import { documentTotals } from './document-totals';
import { computePrevio, plusDays, runPeriod, type PrevioLine } from './previo';

/**
 * The billing run (Facturación, docs/billing-run.md): what each contract is invoiced for in a
 * month's run and why some cannot be. Pure — the server's preview and its run call it with the
 * office's rows; a test calls it with plain objects.
 */

/** Why a contract's invoice is held back from the run (listed in the preview, never issued). */
export const RUN_EXCEPTIONS = [
	'no-payment-method',
	'no-mandate',
	'zero-amount',
	'no-tax-id'
] as const;
export type RunExceptionCode = (typeof RUN_EXCEPTIONS)[number];
export type RunException = { code: RunExceptionCode; message: string };

export const RUN_EXCEPTION_MESSAGES: Record<RunExceptionCode, string> = {
	'no-payment-method': 'Sin forma de pago',
	'no-mandate': 'Recibo domiciliado sin mandato válido',
	'zero-amount': 'Importe cero',
	'no-tax-id': 'Cliente sin NIF'
};

export type RunCustomer = Pick<Customer, 'id' | 'name' | 'code' | 'taxId'>;

export type RunInput = {
	/** The run's month, YYYY-MM. */
	month: string;
	/** The day the invoices are issued (a mandate signed later is not valid yet). */
	issueDay: string;
	customers: readonly RunCustomer[];
	contracts: readonly Contract[];
	assignments: readonly TariffAssignment[];
	tariffs: readonly Tariff[];
	paymentMethods: readonly PaymentMethod[];
	/** The payment-method types that debit a bank account (`usesBank`: recibo SEPA). */
	bankTypeIds: ReadonlySet<string>;
	/** Renovaciones: the customers' packages and the catalogue (absent: no renewals). */
	renewalAssignments?: readonly RenewalAssignment[];
	renewalPackages?: readonly RenewalPackage[];
};

/** One contract's invoice in the run. */
export type RunItem = {
	contractId: string;
	contractName: string;
	customerId: string;
	customerName: string;
	customerCode: string;
	/** The contract's period invoiced (the previo's). */
	periodStart: string;
	periodEnd: string;
	lines: DocumentLine[];
	totals: DocumentTotals;
	exceptions: RunException[];
};

/** What a contract is invoiced for in the run, from one source of lines. */
export type DueLines = { periodStart: string; periodEnd: string; lines: DocumentLine[] };

const esDay = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/**
 * A previo line as an invoice line: its amount is the previo's (days used, months, quantity and
 * discount already in it), so the invoice's totals are exactly the previo's; the description says
 * which days and how many.
 */
export function previoInvoiceLine(l: PrevioLine): DocumentLine {
	const extra = [
		l.quantity !== 1 ? `× ${l.quantity}` : '',
		l.discountPercent ? `dto. ${String(l.discountPercent).replace('.', ',')} %` : ''
	].filter(Boolean);
	return {
		tariffId: l.tariffId,
		description: `${l.description} (${esDay(l.from)}–${esDay(l.to)})${extra.length ? ` ${extra.join(', ')}` : ''}`,
		quantity: 1,
		unitCents: l.baseCents,
		vatRate: l.vatRate as DocumentLine['vatRate']
	};
}

/** `rows` by `key`, each list in the rows' order. */
export function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
	const m = new Map<string, T[]>();
	for (const r of rows) {
		const k = key(r);
		const list = m.get(k);
		if (list) list.push(r);
		else m.set(k, [r]);
	}
	return m;
}

/** Source 1: the services previo — every tariff assignment charged in the contract's due period. */
export function previoDue(input: RunInput): Map<string, DueLines> {
	const byContract = groupBy(input.assignments, (a) => a.contractId);
	const due = new Map<string, DueLines>();
	for (const c of input.contracts) {
		const own = byContract.get(c.id);
		if (!own) continue;
		const run = runPeriod(c, input.month);
		if (!run) continue;
		const previo = computePrevio({
			today: run.today,
			contracts: [c],
			assignments: own,
			tariffs: input.tariffs
		});
		if (!previo.lines.length) continue;
		due.set(c.id, {
			periodStart: run.period.start,
			periodEnd: run.period.end,
			lines: previo.lines.map(previoInvoiceLine)
		});
	}
	return due;
}

/** The first and last day of a run's month. */
export function monthBounds(month: string): { start: string; end: string } {
	const days = daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
	return { start: `${month}-01`, end: `${month}-${String(days).padStart(2, '0')}` };
}

/**
 * The contract a customer's renewals ride on in a run: the earliest-starting of its contracts
 * open at some point of the month (ties by id, so every server picks the same one). A customer
 * without one has its renewals invoiced by hand (Renovaciones › Generar documento).
 */
function renewalContracts(input: RunInput, month: { start: string; end: string }) {
	const host = new Map<string, Contract>();
	for (const c of input.contracts) {
		if (c.fromDate > month.end || (c.toDate && c.toDate < month.start)) continue;
		const best = host.get(c.customerId);
		if (!best || c.fromDate < best.fromDate || (c.fromDate === best.fromDate && c.id < best.id)) {
			host.set(c.customerId, c);
		}
	}
	return host;
}

/**
 * Source 2: renewals due up to the month's last day (docs/renewals.md),
 * those never invoiced from earlier months included. Their lines carry `renewal`, so issuing the
 * factura moves each package's next renewal on; a second run finds nothing due.
 */
export function renewalDue(input: RunInput): Map<string, DueLines> {
	const due = new Map<string, DueLines>();
	if (!input.renewalAssignments?.length) return due;
	const month = monthBounds(input.month);
	const host = renewalContracts(input, month);
	const renewals = renewalsDue(
		input.renewalAssignments,
		input.renewalPackages ?? [],
		month.start,
		month.end
	);
	for (const r of renewals) {
		const c = host.get(r.customerId);
		if (!c) continue;
		const entry = due.get(c.id);
		if (entry) entry.lines.push(r.line);
		else due.set(c.id, { periodStart: month.start, periodEnd: month.end, lines: [r.line] });
	}
	return due;
}

/**
 * Every source of a run's lines, combined per contract: the services previo, then the renewals
 * due in the month (appended to the contract's lines, or its entry when the previo has none);
 * the rest of the run (exceptions, totals, issuing) reads only this.
 */
export function runLines(input: RunInput): Map<string, DueLines> {
	const due = previoDue(input);
	for (const [contractId, r] of renewalDue(input)) {
		const entry = due.get(contractId);
		if (entry) entry.lines.push(...r.lines);
		else due.set(contractId, r);
	}
	return due;
}

/** The payment method a contract is paid with: its own, else the customer's default one. */
function methodOf(
	c: Contract,
	methods: ReadonlyMap<string, PaymentMethod>,
	byCustomer: ReadonlyMap<string, PaymentMethod[]>
): PaymentMethod | undefined {
	const own = c.paymentMethodId ? methods.get(c.paymentMethodId) : undefined;
	if (own && own.customerId === c.customerId) return own;
	return byCustomer.get(c.customerId)?.find((m) => m.isDefault);
}

/**
 * A bank debit can be collected: account and mandate complete, the mandate signed by the issue
 * day (a day of slack, like the form). The rest of the method was checked when it was saved
 * (paymentMethodIssues); running that again for 50,000 methods cost a second.
 */
function hasValidMandate(m: PaymentMethod, issueDay: string): boolean {
	for (const k of BANK_REQUIRED_KEYS) if (!m[k]) return false;
	return m.mandateSignedAt! <= plusDays(issueDay, 1);
}

function exceptionsOf(
	input: RunInput,
	customer: RunCustomer | undefined,
	method: PaymentMethod | undefined,
	totals: DocumentTotals
): RunException[] {
	const out: RunExceptionCode[] = [];
	if (!method) out.push('no-payment-method');
	else if (input.bankTypeIds.has(method.typeId) && !hasValidMandate(method, input.issueDay)) {
		out.push('no-mandate');
	}
	if (totals.totalCents <= 0) out.push('zero-amount');
	if (!customer?.taxId?.trim()) out.push('no-tax-id');
	return out.map((code) => ({ code, message: RUN_EXCEPTION_MESSAGES[code] }));
}

/**
 * The run's invoices, one per contract with something due in the month, each with its lines,
 * totals and exceptions; ordered by customer code, then contract.
 */
export function billingRunItems(input: RunInput): RunItem[] {
	const customers = new Map(input.customers.map((c) => [c.id, c]));
	const methods = new Map(input.paymentMethods.map((m) => [m.id, m]));
	const methodsByCustomer = groupBy(input.paymentMethods, (m) => m.customerId);
	const due = runLines(input);
	const items: RunItem[] = [];
	for (const c of input.contracts) {
		const d = due.get(c.id);
		if (!d) continue;
		const customer = customers.get(c.customerId);
		const totals = documentTotals(d.lines);
		items.push({
			contractId: c.id,
			contractName: c.name,
			customerId: c.customerId,
			customerName: customer?.name ?? '',
			customerCode: customer?.code ?? '',
			periodStart: d.periodStart,
			periodEnd: d.periodEnd,
			lines: d.lines,
			totals,
			exceptions: exceptionsOf(input, customer, methodOf(c, methods, methodsByCustomer), totals)
		});
	}
	const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
	return items.sort(
		(a, b) => cmp(a.customerCode, b.customerCode) || cmp(a.contractId, b.contractId)
	);
}

/** The preview's summary: how many invoices, how many held back, and the total to issue. */
export function runSummary(items: readonly RunItem[]) {
	let ready = 0;
	let readyCents = 0;
	let exceptions = 0;
	const byException = Object.fromEntries(RUN_EXCEPTIONS.map((c) => [c, 0])) as Record<
		RunExceptionCode,
		number
	>;
	for (const it of items) {
		if (it.exceptions.length) {
			exceptions++;
			for (const e of it.exceptions) byException[e.code]++;
		} else {
			ready++;
			readyCents += it.totals.totalCents;
		}
	}
	return { invoices: items.length, ready, readyCents, exceptions, byException };
}
export type RunSummary = ReturnType<typeof runSummary>;

/** A month's run as the server records it (`GET /api/billing/runs/:period`). */
export type RunStatus = {
	period: string;
	state: 'running' | 'done' | 'failed';
	/** Invoices without exceptions (issued or to issue), those issued so far, those held back. */
	total: number;
	issued: number;
	held: number;
	totalCents: number;
	startedAt: string;
	startedBy: string | null;
	updatedAt: string;
	finishedAt: string | null;
	error: string | null;
};
