import type { z } from 'zod';
import { Address } from './address';
import { ContactPerson } from './contact-person';
import { Customer } from './customer';
import { HistoryEntry } from './history';
import { Setting } from './setting';
import { User } from './user';
import type { Role } from './user';

/**
 * Who may receive a row on their device. `finance` rows (bank accounts, wallet, invoices) never
 * reach a technician's phone: what a device never received it cannot leak when it is lost.
 */
export type Scope = 'all' | 'finance';

export const SCOPES_BY_ROLE: Record<Role, readonly Scope[]> = {
	admin: ['all', 'finance'],
	office: ['all', 'finance'],
	technician: ['all']
};

type EntityDef = {
	schema: z.ZodType;
	scope: Scope;
	/** The customer a row belongs to (for Historial and per-customer queries); null: global. */
	customerKey: 'id' | 'customerId' | null;
	/** The tab of the customer file it shows in (Historial groups by it). */
	tab?: string;
	label: string;
};

export const ENTITIES = {
	customer: { schema: Customer, scope: 'all', customerKey: 'id', tab: 'general', label: 'Cliente' },
	address: {
		schema: Address,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'general',
		label: 'Dirección'
	},
	contactPerson: {
		schema: ContactPerson,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'contactos',
		label: 'Persona de contacto'
	},
	history: {
		schema: HistoryEntry,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'historial',
		label: 'Historial'
	},
	setting: { schema: Setting, scope: 'all', customerKey: null, label: 'Parámetro' },
	user: { schema: User, scope: 'all', customerKey: null, label: 'Usuario' }
} as const satisfies Record<string, EntityDef>;

export type EntityName = keyof typeof ENTITIES;
export const ENTITY_NAMES = Object.keys(ENTITIES) as EntityName[];

export type EntityRows = {
	customer: Customer;
	address: Address;
	contactPerson: ContactPerson;
	history: HistoryEntry;
	setting: Setting;
	user: User;
};
export type EntityRow<E extends EntityName> = EntityRows[E];

export function isEntityName(v: string): v is EntityName {
	return Object.hasOwn(ENTITIES, v);
}

/** The customer id a row belongs to, or null for global rows. */
export function customerIdOf(entity: EntityName, row: Record<string, unknown>): string | null {
	const key = ENTITIES[entity].customerKey;
	return key ? ((row[key] as string | undefined) ?? null) : null;
}

/** Spanish labels of fields, for Historial ("Teléfono: 600… → 611…"). */
export const FIELD_LABELS: Record<string, string> = {
	isCompany: 'Es empresa',
	name: 'Nombre',
	tradeName: 'Nombre comercial',
	taxIdType: 'Tipo de documento',
	taxId: 'Documento',
	stateId: 'Estado',
	typeId: 'Tipo de cliente',
	sectorId: 'Sector',
	originId: 'Origen',
	altaDate: 'Fecha de alta',
	bajaDate: 'Fecha de baja',
	isSupplier: 'También proveedor',
	salespersonId: 'Comercial',
	phone: 'Teléfono',
	phone2: 'Otro teléfono',
	fax: 'Fax',
	mobile: 'Móvil',
	isInternational: 'Internacional',
	email: 'Correo electrónico',
	web: 'Web',
	comments: 'Comentarios',
	language: 'Idioma',
	tags: 'Etiquetas',
	code: 'Código',
	label: 'Tipo de dirección',
	street: 'Dirección',
	postalCode: 'Código postal',
	town: 'Población',
	province: 'Provincia',
	country: 'País',
	lat: 'Latitud',
	lng: 'Longitud',
	notes: 'Notas',
	roleId: 'Cargo',
	comment: 'Comentario'
};
