/**
 * Spain's mainland clock. "Today" for the customer file (a fecha de alta, the day a tariff
 * starts counting) and for invoices (their issue date, VeriFactu's timestamp) is Madrid's day,
 * not UTC's: they differ for an hour or two after midnight.
 */
let madridClock: Intl.DateTimeFormat | undefined;
/** The last answer, by its input: a billing run asks for the same instant thousands of times. */
let lastMadrid: { iso: string; value: { day: string; stamp: string } } | undefined;

/**
 * An instant as Spain's mainland clock reads it: the day and the time with its offset
 * (`2026-12-03T05:41:30+01:00`, VeriFactu's FechaHoraHusoGenRegistro).
 */
export function madridTime(iso: string): { day: string; stamp: string } {
	if (lastMadrid?.iso === iso) return { ...lastMadrid.value };
	const when = new Date(iso);
	// Building the formatter costs far more than using it.
	madridClock ??= new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Europe/Madrid',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23'
	});
	const parts = Object.fromEntries(madridClock.formatToParts(when).map((p) => [p.type, p.value]));
	const day = `${parts.year}-${parts.month}-${parts.day}`;
	const local = Date.UTC(
		+parts.year,
		+parts.month - 1,
		+parts.day,
		+parts.hour,
		+parts.minute,
		+parts.second
	);
	const offsetMin = Math.round((local - Math.floor(when.getTime() / 1000) * 1000) / 60_000);
	const sign = offsetMin < 0 ? '-' : '+';
	const off = Math.abs(offsetMin);
	const hhmm = `${String(Math.trunc(off / 60)).padStart(2, '0')}:${String(off % 60).padStart(2, '0')}`;
	const value = {
		day,
		stamp: `${day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${hhmm}`
	};
	lastMadrid = { iso, value };
	return { ...value };
}
