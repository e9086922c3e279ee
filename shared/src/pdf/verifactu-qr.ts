/**
 * The URL in an invoice's QR code (Orden HAC/1177/2024): the AEAT's check page with exactly four
 * parameters — the issuer's NIF, the full number, the issue date `dd-mm-yyyy` and the total with a
 * decimal point — each value URL-encoded (UTF-8; an `&` in the number becomes `%26`).
 */

export const VERIFACTU_QR_BASE = {
	production: 'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR',
	test: 'https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR'
} as const;

export type VerifactuQrFields = {
	/** The issuer's NIF (IDEmisorFactura). */
	nif: string;
	/** NumSerieFactura: the full number as printed. */
	number: string;
	/** FechaExpedicionFactura as ISO `YYYY-MM-DD`. */
	issueDate: string;
	/** ImporteTotal in cents (negative on a rectifying invoice that lowers the total). */
	totalCents: number;
};

/** `2026-03-05` → `05-03-2026`. */
export function verifactuDate(iso: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
	if (!m) throw new Error(`Fecha no válida para el QR: ${iso}`);
	return `${m[3]}-${m[2]}-${m[1]}`;
}

/** Cents as the AEAT writes amounts: `12345` → `123.45`, `-5` → `-0.05`. */
export function verifactuAmount(cents: number): string {
	if (!Number.isSafeInteger(cents)) throw new Error(`Importe no válido para el QR: ${cents}`);
	const abs = Math.abs(cents);
	const text = `${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
	return cents < 0 ? `-${text}` : text;
}

export function verifactuQrUrl(
	fields: VerifactuQrFields,
	environment: keyof typeof VERIFACTU_QR_BASE = 'production'
): string {
	const params: [string, string][] = [
		['nif', fields.nif.trim()],
		['numserie', fields.number.trim()],
		['fecha', verifactuDate(fields.issueDate)],
		['importe', verifactuAmount(fields.totalCents)]
	];
	const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
	return `${VERIFACTU_QR_BASE[environment]}?${query}`;
}
