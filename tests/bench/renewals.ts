import {
	RENEWAL_PERIODS,
	renewalsDue,
	type RenewalAssignment,
	type RenewalPackage
} from '@enlace/shared';
import type { Figures } from './report';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byCustomer = (x: RenewalAssignment, y: RenewalAssignment) =>
	cmp(x.customerId, y.customerId) || cmp(x.id, y.id);

const ASSIGNMENTS = Number(process.env.BENCH_RENEWALS ?? 100_000);

/** A catalogue of every period and 100,000 assignments renewing over a year, a tenth overdue. */
function seed(n: number): { assignments: RenewalAssignment[]; packages: RenewalPackage[] } {
	const packages: RenewalPackage[] = RENEWAL_PERIODS.map((period, i) => ({
		id: `p${i}`,
		name: `Paquete ${period}`,
		items: ['Dominio .es', 'Hosting 10 GB', 'Correo 5 buzones'],
		priceCents: 1000 + i * 500,
		vatRate: 21,
		period,
		active: true
	}));
	const assignments: RenewalAssignment[] = [];
	for (let i = 0; i < n; i++) {
		const day = i % 7 === 0 ? 31 : 1 + (i % 28);
		const month = 1 + (i % 12);
		const start = `2025-${String(month).padStart(2, '0')}-${String(Math.min(day, 28)).padStart(2, '0')}`;
		assignments.push({
			id: `a${String(i).padStart(7, '0')}`,
			customerId: `c${String((i * 7919) % n).padStart(7, '0')}`,
			packageId: `p${i % packages.length}`,
			startDate: start,
			priceCents: 1500,
			quantity: 1 + (i % 3),
			// A tenth overdue since October; the rest spread over the next twelve months.
			nextRenewal:
				i % 10 === 0
					? '2026-10-15'
					: month === 12
						? `2026-12-${start.slice(8)}`
						: `2027-${String(month).padStart(2, '0')}-${start.slice(8)}`
		});
	}
	return { assignments, packages };
}

/**
 * The renewals due in December 2026 of 100,000 assigned packages (what the monthly billing run
 * asks `renewalsDue` for), against sorting the same assignments by customer and id in the same
 * process (the order the result comes in).
 */
export async function renewalsBench(log: (s: string) => void): Promise<Figures> {
	const { assignments, packages } = seed(ASSIGNMENTS);
	const t0 = performance.now();
	const sorted = [...assignments].sort(byCustomer);
	const sortMs = performance.now() - t0;
	const t1 = performance.now();
	const due = renewalsDue(assignments, packages, '2026-12-01', '2026-12-31');
	const dueMs = performance.now() - t1;
	log(
		`  ${ASSIGNMENTS} assignments: ${due.length} renewals due in ${dueMs.toFixed(0)} ms; sorting them alone ${sortMs.toFixed(0)} ms (${sorted.length})`
	);
	return {
		'renewals.assignments': ASSIGNMENTS,
		'renewals.due': due.length,
		'renewals.dueMs': dueMs,
		'renewals.sortBaselineMs': sortMs,
		'renewals.ratioToSort': dueMs / sortMs
	};
}
