import {
	ENTITIES,
	SCOPES_BY_ROLE,
	type Address,
	type Customer,
	type Role,
	type RouterJob
} from '@enlace/shared';

/**
 * Pure helpers of the customer's Resumen (the first thing a technician at the door and an office
 * worker on the phone see), kept free of runes and Dexie so they can be unit-tested.
 */

/** The address the service is at: the one labelled "servicio", else the fiscal one, else any. */
export function serviceAddress(addresses: readonly Address[]): Address | undefined {
	const byAge = [...addresses].sort((a, b) =>
		(a.createdAt ?? '') < (b.createdAt ?? '')
			? -1
			: (a.createdAt ?? '') > (b.createdAt ?? '')
				? 1
				: 0
	);
	return (
		byAge.find((a) => a.label === 'servicio') ?? byAge.find((a) => a.label === 'fiscal') ?? byAge[0]
	);
}

/** An address on one line: street, postal code and town, province. */
export function addressLine(
	a: Pick<Address, 'street' | 'postalCode' | 'town' | 'province'>
): string {
	const place = [a.postalCode, a.town].filter(Boolean).join(' ');
	return [a.street, place, a.province !== a.town ? a.province : undefined]
		.filter(Boolean)
		.join(', ');
}

/**
 * The address on OpenStreetMap: its GPS point when it has one (a technician took it on site), else
 * a search for the address as written. A plain link: no map is embedded, nothing is loaded from a
 * third party until the user asks for it.
 */
export function mapUrl(
	a: Pick<Address, 'street' | 'postalCode' | 'town' | 'province' | 'country' | 'lat' | 'lng'>
): string {
	if (a.lat !== undefined && a.lng !== undefined) {
		const [lat, lng] = [a.lat.toFixed(6), a.lng.toFixed(6)];
		return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=18/${lat}/${lng}`;
	}
	const query = [
		a.street,
		a.postalCode,
		a.town,
		a.province,
		a.country === 'ES' ? 'España' : a.country
	]
		.filter(Boolean)
		.join(', ');
	return `https://www.openstreetmap.org/search?query=${encodeURIComponent(query)}`;
}

/** A `tel:` link for a phone as typed: digits and a leading +, nothing else (RFC 3966). */
export function telHref(phone: string): string {
	const trimmed = phone.trim();
	return `tel:${trimmed.startsWith('+') ? '+' : ''}${trimmed.replace(/\D/g, '')}`;
}

export type PhoneKind = 'phone' | 'mobile' | 'phone2';

/** The customer's phones to dial, mobile first (it is the one that answers at the door). */
export function phonesOf(
	c: Pick<Customer, 'phone' | 'phone2' | 'mobile'>
): { kind: PhoneKind; number: string }[] {
	const out: { kind: PhoneKind; number: string }[] = [];
	for (const kind of ['mobile', 'phone', 'phone2'] as const) {
		const number = c[kind]?.trim();
		if (number && !out.some((p) => p.number === number)) out.push({ kind, number });
	}
	return out;
}

/** Jobs still to run on a router (queued or running), oldest first: the order the router takes them. */
export function openJobs(jobs: readonly RouterJob[]): RouterJob[] {
	return jobs
		.filter((j) => j.state === 'queued' || j.state === 'running')
		.sort((a, b) =>
			a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : (a.n ?? 0) - (b.n ?? 0)
		);
}

/**
 * Whether a tab of the file shows anything to this role: not when every kind of row it holds is
 * of a scope the role's devices never receive (Datos financieros, Sociedades for a technician).
 */
export function tabHoldsRowsFor(slug: string, role: Role | undefined): boolean {
	const kinds = Object.values(ENTITIES).filter((e) => 'tab' in e && e.tab === slug);
	if (!role || !kinds.length) return true;
	return kinds.some((e) => SCOPES_BY_ROLE[role].includes(e.scope));
}
