/** The ISO day `n` days after `day` (calendar arithmetic in UTC, no time zone drift). */
export function addDays(day: string, n: number): string {
	const d = new Date(`${day}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}
