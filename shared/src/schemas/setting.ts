import { z } from 'zod';
import { Id, text } from './common';

/**
 * Configuración › Parámetros: every editable list is one `setting` row with a `list` kind, so
 * one screen, one mutator and one table serve them all.
 */
export const SETTING_LISTS = [
	'customerState',
	'customerType',
	'sector',
	'origin',
	'contactRole',
	'historyAction',
	'paymentMethodType',
	'opportunityType',
	'opportunityStage',
	'equipmentFamily'
] as const;
export const SettingList = z.enum(SETTING_LISTS);
export type SettingList = z.infer<typeof SettingList>;

export const SETTING_LIST_LABELS: Record<SettingList, string> = {
	customerState: 'Estados de cliente',
	customerType: 'Tipos de cliente',
	sector: 'Sectores',
	origin: 'Orígenes de captación',
	contactRole: 'Cargos de contacto',
	historyAction: 'Tipos de actuación (historial)',
	paymentMethodType: 'Formas de pago',
	opportunityType: 'Tipos de oportunidad',
	opportunityStage: 'Fases de oportunidad',
	equipmentFamily: 'Familias de equipos'
};

export const SETTING_COLORS = ['green', 'red', 'orange', 'blue', 'grey'] as const;

/**
 * What a customer state does to the service (Configuración › Parámetros › Estados de cliente):
 * `activo` normal service (a suspended account is reactivated), `cortado` the PPPoE accounts go to
 * offline mode (suspension pool and profile), `baja` the fecha de baja is set, the tariff
 * assignments end that day and the secrets are removed (at once or after `removeSecretAfterDays`).
 */
export const STATE_SERVICES = ['activo', 'cortado', 'baja'] as const;
export type StateService = (typeof STATE_SERVICES)[number];
export const STATE_SERVICE_LABELS: Record<StateService, string> = {
	activo: 'Servicio normal',
	cortado: 'Suspender el servicio',
	baja: 'Dar de baja el servicio'
};

export const Setting = z.object({
	id: Id,
	list: SettingList,
	name: z.string().trim().min(1, 'Indique el nombre').max(80, 'Máximo 80 caracteres'),
	color: z.enum(SETTING_COLORS).optional(),
	order: z.number().int().min(0).max(100000),
	active: z.boolean(),
	description: text(300),
	/** Payment-method types: whether the method needs a bank account (IBAN, SEPA mandate). */
	usesBank: z.boolean().optional(),
	/** Payment-method types: paying with the customer's wallet (Monedero). */
	isWallet: z.boolean().optional(),
	/** Opportunity stages: a closed stage (won or lost) leaves the pipeline's open total. */
	closed: z.enum(['won', 'lost']).optional(),
	/** Customer states: what the state does to the service (absent: stateServiceOf's default). */
	service: z.enum(STATE_SERVICES).optional(),
	/** Customer states with service `baja`: days until the secret is removed (0: at once). */
	removeSecretAfterDays: z
		.number()
		.int('Un número entero de días')
		.min(0, 'Mínimo 0 días')
		.max(365, 'Máximo 365 días')
		.optional()
});
export type Setting = z.infer<typeof Setting>;

/**
 * Defaults of Configuración › Parámetros (states Alta/Baja/Captado/Bloqueado with colours…),
 * seeded at every start: a default whose id was never stored is added, unless its list already
 * has a live row of that name (see missingDefaultSettings).
 */
export const DEFAULT_SETTINGS: Setting[] = [
	['customerState', 'alta', 'Alta', 'green', { service: 'activo' }],
	['customerState', 'baja', 'Baja', 'red', { service: 'baja', removeSecretAfterDays: 0 }],
	['customerState', 'captado', 'Captado', 'orange'],
	['customerState', 'bloqueado', 'Bloqueado', 'red', { service: 'cortado' }],
	['customerState', 'cortado', 'Cortado', 'orange', { service: 'cortado' }],
	['customerType', 'particular', 'Particular'],
	['customerType', 'empresa', 'Empresa'],
	['customerType', 'autonomo', 'Autónomo'],
	['customerType', 'administracion', 'Administración pública'],
	['sector', 'residencial', 'Residencial'],
	['sector', 'comercio', 'Comercio'],
	['sector', 'hosteleria', 'Hostelería'],
	['sector', 'agricultura', 'Agricultura'],
	['sector', 'industria', 'Industria'],
	['origin', 'web', 'Web'],
	['origin', 'recomendacion', 'Recomendación'],
	['origin', 'puerta', 'Puerta a puerta'],
	['origin', 'telefono', 'Teléfono'],
	['origin', 'tienda', 'Tienda'],
	['contactRole', 'gerente', 'Gerente'],
	['contactRole', 'administracion', 'Administración'],
	['contactRole', 'tecnico', 'Responsable técnico'],
	['contactRole', 'familiar', 'Familiar'],
	['contactRole', 'comercial', 'Comercial'],
	['contactRole', 'propietario', 'Propietario'],
	['historyAction', 'llamada', 'Llamada'],
	['historyAction', 'visita', 'Visita'],
	['historyAction', 'demostracion', 'Demostración'],
	['historyAction', 'incidencia', 'Incidencia'],
	['historyAction', 'email', 'Correo'],
	['paymentMethodType', 'sepa', 'Recibo domiciliado SEPA', undefined, { usesBank: true }],
	['paymentMethodType', 'transferencia', 'Transferencia', undefined, { usesBank: false }],
	['paymentMethodType', 'efectivo', 'Efectivo', undefined, { usesBank: false }],
	['paymentMethodType', 'tarjeta', 'Tarjeta', undefined, { usesBank: false }],
	['paymentMethodType', 'monedero', 'Monedero', undefined, { usesBank: false, isWallet: true }],
	['opportunityType', 'alta', 'Alta nueva'],
	['opportunityType', 'mejora', 'Mejora de tarifa'],
	['opportunityType', 'empresa', 'Proyecto de empresa'],
	['opportunityStage', 'contacto', 'Primer contacto', 'blue'],
	['opportunityStage', 'oferta', 'Oferta enviada', 'orange'],
	['opportunityStage', 'negociacion', 'Negociación', 'orange'],
	['opportunityStage', 'ganada', 'Ganada', 'green', { closed: 'won' }],
	['opportunityStage', 'perdida', 'Perdida', 'red', { closed: 'lost' }],
	['equipmentFamily', 'router', 'Router'],
	['equipmentFamily', 'ont', 'ONT'],
	['equipmentFamily', 'antena', 'Antena / CPE'],
	['equipmentFamily', 'switch', 'Switch'],
	['equipmentFamily', 'otros', 'Otros']
].map(([list, key, name, color, extra], i) => ({
	id: `${list}-${key}`,
	list: list as SettingList,
	name: name as string,
	...(color ? { color: color as (typeof SETTING_COLORS)[number] } : {}),
	...((extra as Partial<Setting> | undefined) ?? {}),
	order: i,
	active: true
}));

/** Names compared the way a user reads them: "Comercial", "comercial " and "COMERCIAL" are one. */
const sameName = (a: string, b: string) =>
	a.trim().localeCompare(b.trim(), 'es', { sensitivity: 'base' }) === 0;

/**
 * The defaults a database lacks, given every setting row it has ever stored (`deleted`: removed
 * by a user). A default is missing when its id was never stored — one the user deleted stays
 * deleted — and its list has no live row of the same name, so a role someone already added by
 * hand is not doubled. A list that already has rows gets the new defaults after its last one.
 */
export function missingDefaultSettings(
	stored: readonly {
		id: string;
		deleted: boolean;
		row?: Pick<Setting, 'list' | 'name' | 'order'>;
	}[]
): Setting[] {
	const ids = new Set(stored.map((s) => s.id));
	const live = stored.flatMap((s) => (!s.deleted && s.row ? [s.row] : []));
	const nextOrder = new Map<string, number>();
	for (const r of live) nextOrder.set(r.list, Math.max(nextOrder.get(r.list) ?? 0, r.order + 1));
	const missing: Setting[] = [];
	for (const d of DEFAULT_SETTINGS) {
		if (ids.has(d.id)) continue;
		if (live.some((r) => r.list === d.list && sameName(r.name, d.name))) continue;
		const order = nextOrder.get(d.list);
		if (order === undefined) {
			missing.push(d);
		} else {
			missing.push({ ...d, order });
			nextOrder.set(d.list, order + 1);
		}
	}
	return missing;
}

/**
 * What a customer state does to the service. Rows stored before states had a service (the
 * defaults seeded by earlier versions) keep the meaning of their default: Baja is a baja,
 * Bloqueado and Cortado cut the service; any other state is normal service.
 */
export function stateServiceOf(state: Pick<Setting, 'id' | 'service'> | undefined): StateService {
	if (state?.service) return state.service;
	const byDefault = DEFAULT_SETTINGS.find((d) => d.id === state?.id)?.service;
	return byDefault ?? 'activo';
}
