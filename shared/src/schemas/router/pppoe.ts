import { z } from 'zod';
import { Id, IsoDateTime } from '../common';
import { Ipv4 } from './ip-pool';

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

/** What Historial shows in place of a password, old and new. */
export const MASKED_SECRET = '••••';

export const ROUTER_FIELD_LABELS: Record<string, string> = {
	routerId: 'Router',
	username: 'Usuario PPPoE',
	password: 'Contraseña PPPoE',
	tariffId: 'Tarifa',
	profile: 'Perfil',
	staticIp: 'IP fija',
	offline: 'Servicio suspendido'
};
