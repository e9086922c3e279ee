import type { z } from 'zod';
import { Address } from './address';
import { ContactPerson } from './contact-person';
import { Customer } from './customer';
import { HistoryEntry } from './history';
import { Setting } from './setting';
import { User } from './user';
import type { Role } from './user';
import { COMPANY_FIELD_LABELS, Company } from './company';
import { CUSTOM_FIELD_LABELS, CustomField, CustomFieldValue } from './custom-field';
import { CONTRACT_FIELD_LABELS, Contract, TariffAssignment } from './contract';
import { CompanyProfile, DOCUMENT_FIELD_LABELS, Document, VerifactuRecord } from './billing';
import { FINANCE_FIELD_LABELS, PaymentMethod } from './finance';
import { OPERATOR_FIELD_LABELS, OperatorData } from './operator';
import { WALLET_FIELD_LABELS, WalletEntry } from './wallet';
import { RENEWAL_FIELD_LABELS, RenewalAssignment, RenewalPackage } from './renewal';
import { PAYMENT_FIELD_LABELS, Payment, Remittance } from './payment';
import { FILE_FIELD_LABELS, FileRow } from './file';
import { EQUIPMENT_FIELD_LABELS, Equipment, EquipmentProduct } from './equipment';
import { ContractTemplate, SIGNED_CONTRACT_FIELD_LABELS, SignedContract } from './signed-contract';
import { MAIL_FIELD_LABELS, MailMessage, MailTemplate, MailUnassigned } from './mail';
import { OPPORTUNITY_FIELD_LABELS, Opportunity, OpportunityAction } from './opportunity';
import {
	CmiStatus,
	IpPool,
	PppoeAccount,
	ROUTER_FIELD_LABELS,
	Router,
	RouterJob,
	Tariff
} from './router';

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
	user: { schema: User, scope: 'all', customerKey: null, label: 'Usuario' },
	// Issue #4: the rest of the customer file.
	paymentMethod: {
		schema: PaymentMethod,
		scope: 'finance',
		customerKey: 'customerId',
		tab: 'financieros',
		label: 'Forma de pago'
	},
	company: {
		schema: Company,
		scope: 'finance',
		customerKey: 'customerId',
		tab: 'sociedades',
		label: 'Sociedad'
	},
	opportunity: {
		schema: Opportunity,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'oportunidades',
		label: 'Oportunidad'
	},
	opportunityAction: {
		schema: OpportunityAction,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'oportunidades',
		label: 'Actuación'
	},
	operatorData: {
		schema: OperatorData,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'operadora',
		label: 'Datos operadora'
	},
	customField: {
		schema: CustomField,
		scope: 'all',
		customerKey: null,
		label: 'Campo personalizado'
	},
	customFieldValue: {
		schema: CustomFieldValue,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'otros',
		label: 'Campo personalizado'
	},
	// Issue #3: router work.
	router: { schema: Router, scope: 'all', customerKey: null, label: 'Router' },
	ipPool: { schema: IpPool, scope: 'all', customerKey: null, label: 'Pool de IP' },
	tariff: { schema: Tariff, scope: 'all', customerKey: null, label: 'Tarifa' },
	pppoeAccount: {
		schema: PppoeAccount,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'mikrotik',
		label: 'Cuenta PPPoE'
	},
	routerJob: { schema: RouterJob, scope: 'all', customerKey: null, label: 'Trabajo de router' },
	cmiStatus: { schema: CmiStatus, scope: 'all', customerKey: null, label: 'Estado CMI' },
	// Issue #9: what the customer pays for. Scope `all`: a technician installing a service sees
	// the contract and its tariffs; the contract names its payment method's type, never the bank
	// data (the payment method itself stays `finance`).
	contract: {
		schema: Contract,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'contratos-op',
		label: 'Contrato'
	},
	tariffAssignment: {
		schema: TariffAssignment,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'tarifas',
		label: 'Asignación de tarifa'
	},
	// Issue #10: the customer's wallet (Monedero), finance data like bank accounts.
	walletEntry: {
		schema: WalletEntry,
		scope: 'finance',
		customerKey: 'customerId',
		tab: 'monedero',
		label: 'Movimiento del monedero'
	},
	// Issue #10: money. The issuing company's data is `all`: a technician's device prints its name,
	// NIF and address on documents. Documents and their payments are `all` too: a technician
	// collects cash or card on site, offline (they carry no bank data: the PDF reads the IBAN from
	// the payment method, which stays `finance`). VeriFactu records and remittances (debtors'
	// IBANs) are `finance`; the records are written only by the server, never by a device.
	companyProfile: { schema: CompanyProfile, scope: 'all', customerKey: null, label: 'Empresa' },
	document: {
		schema: Document,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'documentos',
		label: 'Documento'
	},
	verifactuRecord: {
		schema: VerifactuRecord,
		scope: 'finance',
		customerKey: null,
		label: 'Registro VeriFactu'
	},
	// Issue #10: Renovaciones. The catalogue and the customer's packages are `all` (no bank data;
	// a technician sees what the customer has, read-only); only the office writes them.
	renewalPackage: {
		schema: RenewalPackage,
		scope: 'all',
		customerKey: null,
		label: 'Paquete de renovación'
	},
	renewalAssignment: {
		schema: RenewalAssignment,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'renovaciones',
		label: 'Renovación'
	},
	payment: {
		schema: Payment,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'documentos',
		label: 'Cobro'
	},
	remittance: { schema: Remittance, scope: 'finance', customerKey: null, label: 'Remesa SEPA' },
	// Issue #11: a customer's file (Repositorio). Metadata only; bytes go over the file service.
	file: {
		schema: FileRow,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'repositorio',
		label: 'Archivo'
	},
	// Issue #11: Equipamiento. The catalogue is global; installed devices belong to a customer and
	// reach technicians (they install them). Neither holds money a technician may not see.
	equipmentProduct: {
		schema: EquipmentProduct,
		scope: 'all',
		customerKey: null,
		label: 'Equipo del catálogo'
	},
	equipment: {
		schema: Equipment,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'equipamiento',
		label: 'Equipo'
	},
	// Issue #12: Correo. Office data (`finance`): what the ISP wrote to a customer and what the
	// customer wrote back (invoices attached) never reaches a technician's phone.
	mailMessage: {
		schema: MailMessage,
		scope: 'finance',
		customerKey: 'customerId',
		tab: 'correo',
		label: 'Email'
	},
	mailUnassigned: {
		schema: MailUnassigned,
		scope: 'finance',
		customerKey: null,
		label: 'Email sin asignar'
	},
	mailTemplate: {
		schema: MailTemplate,
		scope: 'finance',
		customerKey: null,
		label: 'Plantilla de correo'
	},
	// Issue #11: Contratos. Templates are `all`: a technician makes the contract from one on site,
	// offline; the customer's contracts too (they are signed on the technician's phone).
	contractTemplate: {
		schema: ContractTemplate,
		scope: 'all',
		customerKey: null,
		label: 'Plantilla de contrato'
	},
	signedContract: {
		schema: SignedContract,
		scope: 'all',
		customerKey: 'customerId',
		tab: 'contratos',
		label: 'Contrato firmado'
	}
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
	paymentMethod: PaymentMethod;
	company: Company;
	opportunity: Opportunity;
	opportunityAction: OpportunityAction;
	operatorData: OperatorData;
	customField: CustomField;
	customFieldValue: CustomFieldValue;
	router: Router;
	ipPool: IpPool;
	tariff: Tariff;
	pppoeAccount: PppoeAccount;
	routerJob: RouterJob;
	cmiStatus: CmiStatus;
	contract: Contract;
	tariffAssignment: TariffAssignment;
	walletEntry: WalletEntry;
	companyProfile: CompanyProfile;
	document: Document;
	verifactuRecord: VerifactuRecord;
	renewalPackage: RenewalPackage;
	renewalAssignment: RenewalAssignment;
	payment: Payment;
	remittance: Remittance;
	file: FileRow;
	equipmentProduct: EquipmentProduct;
	equipment: Equipment;
	mailMessage: MailMessage;
	mailUnassigned: MailUnassigned;
	mailTemplate: MailTemplate;
	contractTemplate: ContractTemplate;
	signedContract: SignedContract;
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

/** Spanish labels of fields, for Historial ("Teléfono: 600… → 611…"). Each domain adds its own. */
const BASE_FIELD_LABELS: Record<string, string> = {
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
	secretRemovalOn: 'Eliminar el secret el',
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

export const FIELD_LABELS: Record<string, string> = {
	...BASE_FIELD_LABELS,
	...FINANCE_FIELD_LABELS,
	...COMPANY_FIELD_LABELS,
	...OPPORTUNITY_FIELD_LABELS,
	...OPERATOR_FIELD_LABELS,
	...CUSTOM_FIELD_LABELS,
	...ROUTER_FIELD_LABELS,
	...CONTRACT_FIELD_LABELS,
	...WALLET_FIELD_LABELS,
	...DOCUMENT_FIELD_LABELS,
	...RENEWAL_FIELD_LABELS,
	...PAYMENT_FIELD_LABELS,
	...EQUIPMENT_FIELD_LABELS,
	...MAIL_FIELD_LABELS
};

/**
 * Where one field name means different things in different rows (`typeId` of a customer, of a
 * payment method, of an opportunity), the entity's own label wins.
 */
const ENTITY_FIELD_LABELS: Partial<Record<EntityName, Record<string, string>>> = {
	paymentMethod: { typeId: 'Forma de pago', name: 'Nombre' },
	opportunity: { typeId: 'Tipo de oportunidad', stageId: 'Fase', ownerId: 'Responsable' },
	opportunityAction: { actionTypeId: 'Tipo de actuación' },
	history: { date: 'Fecha', actionTypeId: 'Tipo de actuación' },
	company: { name: 'Razón social' },
	contract: { name: 'Nombre', notes: 'Notas' },
	tariffAssignment: { notes: 'Notas' },
	renewalPackage: { name: 'Nombre' },
	renewalAssignment: { notes: 'Notas' },
	equipment: { state: 'Estado' },
	signedContract: { name: 'Nombre', notes: 'Notas' },
	contractTemplate: { name: 'Nombre', body: 'Texto' },
	equipmentProduct: { code: 'Código', name: 'Nombre', priceCents: 'Precio', vatRate: 'IVA' }
};

/** Each entity's domain label map, consulted before the merged one. */
const DOMAIN_LABELS: Partial<Record<EntityName, Record<string, string>>> = {
	customer: BASE_FIELD_LABELS,
	address: BASE_FIELD_LABELS,
	contactPerson: BASE_FIELD_LABELS,
	paymentMethod: FINANCE_FIELD_LABELS,
	company: COMPANY_FIELD_LABELS,
	opportunity: OPPORTUNITY_FIELD_LABELS,
	opportunityAction: OPPORTUNITY_FIELD_LABELS,
	operatorData: OPERATOR_FIELD_LABELS,
	customFieldValue: CUSTOM_FIELD_LABELS,
	pppoeAccount: ROUTER_FIELD_LABELS,
	contract: CONTRACT_FIELD_LABELS,
	tariffAssignment: CONTRACT_FIELD_LABELS,
	walletEntry: WALLET_FIELD_LABELS,
	document: DOCUMENT_FIELD_LABELS,
	renewalPackage: RENEWAL_FIELD_LABELS,
	renewalAssignment: RENEWAL_FIELD_LABELS,
	payment: { ...WALLET_FIELD_LABELS, ...PAYMENT_FIELD_LABELS },
	remittance: PAYMENT_FIELD_LABELS,
	signedContract: SIGNED_CONTRACT_FIELD_LABELS,
	file: FILE_FIELD_LABELS,
	equipment: EQUIPMENT_FIELD_LABELS,
	equipmentProduct: EQUIPMENT_FIELD_LABELS,
	mailMessage: MAIL_FIELD_LABELS
};

export function fieldLabel(entity: string | undefined, field: string): string {
	const e = entity && isEntityName(entity) ? entity : undefined;
	return (
		(e && (ENTITY_FIELD_LABELS[e]?.[field] ?? DOMAIN_LABELS[e]?.[field])) ||
		FIELD_LABELS[field] ||
		field
	);
}
