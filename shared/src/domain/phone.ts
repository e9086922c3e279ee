/**
 * Telephone numbers as stored and as searched. A number is kept as the user wrote it (spaces and
 * all: "600 11 22 33" reads better than "600112233"), with two things made uniform: no spaces at
 * either end or doubled inside, and the international prefix written "+" rather than "00"
 * ("0034 690…" → "+34 690…"). Applying it twice changes nothing, which row-shape changes rely on.
 */
export function normalizePhone(phone: string): string {
	return phone
		.trim()
		.replace(/\s+/g, ' ')
		.replace(/^00 ?(?=[1-9])/, '+');
}

/** Spain's country code: a national number is nine digits, the first 6, 7, 8 or 9. */
const SPAIN = '34';
const SPANISH_NATIONAL = /^[6-9]\d{8}$/;

/**
 * The digits that identify a number, whatever the user wrote around them: international "00"
 * becomes nothing ("0034 690 12 34 56" and "+34 690123456" are both "34690123456").
 */
export function phoneDigits(phone: string): string {
	const d = phone.replace(/\D/g, '');
	return phone.trim().startsWith('+') ? d : d.replace(/^00/, '');
}

/**
 * Every digit string a search should find this number by: the digits as written, and for a
 * Spanish number both with and without the 34 prefix, so "+34 690…" finds "690…" and back.
 */
export function phoneSearchKeys(phone: string | undefined): string[] {
	if (!phone) return [];
	const d = phoneDigits(phone);
	if (!d) return [];
	const national = d.startsWith(SPAIN) && SPANISH_NATIONAL.test(d.slice(2)) ? d.slice(2) : d;
	if (!SPANISH_NATIONAL.test(national)) return [d];
	return [national, SPAIN + national];
}

/**
 * A search query that is a telephone number ("+34 690 12", "0034690…", "690-12-34"): its digits
 * as `phoneDigits` gives them; undefined for anything else (words, or fewer than three digits).
 */
export function phoneQuery(query: string): string | undefined {
	const q = query.trim();
	if (!/^\+?[\d\s().-]+$/.test(q)) return undefined;
	const d = phoneDigits(q);
	return d.length >= 3 ? d : undefined;
}
