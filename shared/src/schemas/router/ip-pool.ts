import { z } from 'zod';
import { Id, IsoDateTime } from '../common';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
export const isIpv4 = (s: string) => IPV4.test(s);
export const Ipv4 = z.string().refine(isIpv4, 'Dirección IPv4 no válida (p. ej. 10.0.0.5)');

/** RouterOS pool ranges: "10.0.0.2-10.0.0.254" or "10.1.0.0/24", several separated by commas. */
export const PoolRanges = z
	.string()
	.min(1, 'Indique los rangos')
	.max(500)
	.refine(
		(s) =>
			s.split(',').every((part) => {
				const p = part.trim();
				const [a, b] = p.split('-');
				if (b !== undefined) return isIpv4(a) && isIpv4(b);
				const [ip, bits] = p.split('/');
				return isIpv4(ip) && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 32));
			}),
		'Rangos no válidos: use 10.0.0.2-10.0.0.254 o 10.0.0.0/24, separados por comas'
	);

export const IpPool = z.object({
	id: Id,
	routerId: Id,
	name: z
		.string()
		.min(1, 'Indique el nombre')
		.max(64)
		.regex(/^[A-Za-z0-9._-]+$/, 'Solo letras, números, punto, guion y guion bajo'),
	ranges: PoolRanges,
	/** The pool of this router's offline profile ("Suspender servicio"). One per router. */
	isOffline: z.boolean(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type IpPool = z.infer<typeof IpPool>;

const ipv4Number = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

/** The first and last address of one range of a pool ("a-b", "a.b.c.d/n" or one address). */
function rangeBounds(part: string): [number, number] | undefined {
	const p = part.trim();
	const [from, to] = p.split('-');
	if (to !== undefined) {
		return isIpv4(from) && isIpv4(to) ? [ipv4Number(from), ipv4Number(to)] : undefined;
	}
	const [ip, bits] = p.split('/');
	if (!isIpv4(ip)) return undefined;
	const size = 2 ** (32 - (bits === undefined ? 32 : Number(bits)));
	const first = Math.floor(ipv4Number(ip) / size) * size;
	return [first, first + size - 1];
}

/** Whether `ip` lies in one of the comma-separated ranges of a pool (see PoolRanges). */
export function ipInRanges(ip: string, ranges: string): boolean {
	if (!isIpv4(ip)) return false;
	const n = ipv4Number(ip);
	return ranges.split(',').some((part) => {
		const bounds = rangeBounds(part);
		return !!bounds && n >= Math.min(...bounds) && n <= Math.max(...bounds);
	});
}
