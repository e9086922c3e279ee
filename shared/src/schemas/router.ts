import { z } from 'zod';
import { Id, IsoDateTime, text } from './common';

/**
 * Router work (DESIGN.md "Router work"). Routers are declared by edge agents; their admin
 * credentials stay on the agent's box and never appear in any of these rows.
 */
export const Router = z.object({
	id: Id,
	agentId: Id,
	name: z.string().min(1).max(64),
	host: z.string().max(255),
	port: z.number().int().min(1).max(65535),
	tls: z.boolean(),
	/** From the last successful contact (/system/resource, /system/identity). */
	version: text(40),
	identity: text(120),
	state: z.enum(['unknown', 'up', 'down']),
	lastContactAt: IsoDateTime.optional(),
	lastError: text(500),
	sessionsOnline: z.number().int().min(0).optional(),
	/** The PPP profile of a suspended service on this router (its pool is the offline pool). */
	offlineProfile: text(64)
});
export type Router = z.infer<typeof Router>;

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

export const BILLING_PERIODS = [
	'monthly',
	'bimonthly',
	'quarterly',
	'half-yearly',
	'yearly'
] as const;
export const VAT_RATES = [21, 10, 4, 0] as const;

export const Tariff = z.object({
	id: Id,
	name: z.string().trim().min(1, 'Indique el nombre').max(80),
	priceCents: z.number().int('El precio va en céntimos').min(0).max(100_000_000),
	vatRate: z.union([z.literal(21), z.literal(10), z.literal(4), z.literal(0)]),
	billingPeriod: z.enum(BILLING_PERIODS),
	downloadMbps: z.number().int().min(1, 'Mínimo 1 Mb').max(100_000),
	uploadMbps: z.number().int().min(1, 'Mínimo 1 Mb').max(100_000),
	active: z.boolean(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type Tariff = z.infer<typeof Tariff>;

/**
 * The MikroTik profile of a tariff. `rate-limit` is written from the router's side: rx/tx are
 * the customer's upload/download, so 100 Mb down and 20 Mb up is `20M/100M`.
 */
export function mikrotikProfile(t: Pick<Tariff, 'name' | 'downloadMbps' | 'uploadMbps'>) {
	const slug = t.name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 50);
	return { name: `enlace-${slug || 'tarifa'}`, rateLimit: `${t.uploadMbps}M/${t.downloadMbps}M` };
}

export const PPPOE_USERNAME = /^[A-Za-z0-9._@-]{3,64}$/;

/** The customer's PPPoE account: the desired state the router is brought to by jobs. */
export const PppoeAccount = z.object({
	id: Id,
	customerId: Id,
	routerId: Id,
	username: z.string().regex(PPPOE_USERNAME, 'Usuario PPPoE: 3–64 letras, números o . _ @ -'),
	password: z.string().min(6, 'Mínimo 6 caracteres').max(64, 'Máximo 64 caracteres'),
	tariffId: Id.optional(),
	/** Derived from the tariff (or the router's default profile when there is none). */
	profile: z.string().max(64),
	staticIp: Ipv4.optional(),
	/** "Servicio suspendido": the secret uses the router's offline profile and no static address. */
	offline: z.boolean(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type PppoeAccount = z.infer<typeof PppoeAccount>;

export const JOB_KINDS = [
	'secret.ensure',
	'secret.remove',
	'session.kick',
	'ping',
	'profile.ensure',
	'pool.ensure',
	'pool.remove',
	'router.check'
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * A router job. Jobs describe end states ("secret X exists with these values"), so running one
 * twice is harmless: that is what makes at-least-once delivery with leases safe.
 */
export const RouterJob = z.object({
	id: Id,
	routerId: Id,
	customerId: Id.optional(),
	accountId: Id.optional(),
	kind: z.enum(JOB_KINDS),
	payload: z.record(z.string(), z.unknown()),
	state: z.enum(JOB_STATES),
	attempts: z.number().int().min(0),
	createdAt: IsoDateTime,
	updatedAt: IsoDateTime,
	leaseUntil: IsoDateTime.optional(),
	/** What the router said: ping figures, drift report, the trap message on failure. */
	result: z.record(z.string(), z.unknown()).optional(),
	error: text(1000),
	requestedBy: text(64),
	/**
	 * Enqueue order (a server counter): jobs of one mutation share `createdAt`, and each router's
	 * queue runs strictly in this order.
	 */
	n: z.number().int().min(0).optional(),
	/** What the user asked for, as Historial and the job list show it ("Guardar Secret"). */
	action: text(80)
});
export type RouterJob = z.infer<typeof RouterJob>;

/** "CMI activo": one row per PPPoE account seen by a router, online or last seen. */
export const CmiStatus = z.object({
	id: Id,
	routerId: Id,
	username: z.string().max(64),
	customerId: Id.optional(),
	accountId: Id.optional(),
	online: z.boolean(),
	address: text(64),
	uptime: text(40),
	callerId: text(64),
	since: IsoDateTime.optional(),
	lastSeenAt: IsoDateTime.optional()
});
export type CmiStatus = z.infer<typeof CmiStatus>;

export const ROUTER_FIELD_LABELS: Record<string, string> = {
	routerId: 'Router',
	username: 'Usuario PPPoE',
	password: 'Contraseña PPPoE',
	tariffId: 'Tarifa',
	profile: 'Perfil',
	staticIp: 'IP fija',
	offline: 'Servicio suspendido'
};
