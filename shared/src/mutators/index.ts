import { AddressObject, checkAddress } from '../schemas/address';
import { ContactPerson } from '../schemas/contact-person';
import { HistoryEntry } from '../schemas/history';
import { Setting } from '../schemas/setting';
import { AppError } from '../protocol/errors';
import { crudMutators } from './crud';
import { customerCreate, customerUpdate } from './customer';
import { customerRemoveDueSecrets, customerSetState } from './customer-state';
import { historyMutators } from './history';
import { ADMIN_ONLY, ALL_ROLES, type Mutator } from './types';
import { companyMutators } from './company';
import { customFieldMutators } from './custom-field';
import { financeMutators } from './finance';
import { operatorMutators } from './operator';
import { opportunityMutators } from './opportunity';
import { routerMutators } from './router';
import { contractAllMutators } from './contract';
import { walletMutators } from './wallet';
import { documentMutators } from './document';
import { renewalMutators } from './renewal';
import { paymentMutators } from './payment';
import { remittanceMutators } from './remittance';
import { fileMutators } from './file';
import { equipmentMutators } from './equipment';
import { mailMutators } from './mail';
import { signedContractAllMutators } from './signed-contract';

export * from './types';
export * from './guards';
export * from './patch';
export * from './customer';
export * from './customer-state';
export * from './router';
export { crudMutators } from './crud';
export { mayChangeManualEntry } from './history';
export { linkedTariffId, linkedTariffOn, syncAccountTariff } from './contract';
export { insufficientBalance } from './wallet';
export { advanceRenewals } from './renewal';
export {
	CONVERSIONS,
	WALLET_PAYABLE_KINDS,
	customerOutstandingCents,
	outstandingCents,
	paidCentsOf,
	partyAddress
} from './document';
export {
	planRemittance,
	remittanceFile,
	remittanceMessageId,
	remittanceXml,
	type RemittancePlan
} from './remittance';
export { MailSendArgs } from './mail';

const settingMutators = crudMutators({
	entity: 'setting',
	noun: 'El parámetro',
	object: Setting,
	roles: ADMIN_ONLY
});

const addressMutators = crudMutators({
	entity: 'address',
	noun: 'La dirección',
	object: AddressObject,
	refine: checkAddress,
	roles: ALL_ROLES,
	parent: 'customer'
});

const contactPersonMutators = crudMutators({
	entity: 'contactPerson',
	noun: 'La persona de contacto',
	object: ContactPerson,
	roles: ALL_ROLES,
	parent: 'customer'
});

const all: Mutator[] = [
	customerCreate as Mutator,
	customerUpdate as Mutator,
	customerSetState as Mutator,
	customerRemoveDueSecrets as Mutator,
	...addressMutators,
	...contactPersonMutators,
	...settingMutators,
	...historyMutators(HistoryEntry),
	...financeMutators,
	...companyMutators,
	...opportunityMutators,
	...operatorMutators,
	...customFieldMutators,
	...routerMutators,
	...contractAllMutators,
	...walletMutators,
	...documentMutators,
	...renewalMutators,
	...paymentMutators,
	...remittanceMutators,
	...fileMutators,
	...equipmentMutators,
	...mailMutators,
	...signedContractAllMutators
];

/** Every mutation by name: the one registry the app and the server both run. */
export const MUTATORS: ReadonlyMap<string, Mutator> = new Map(all.map((m) => [m.name, m]));

export function getMutator(name: string): Mutator {
	const m = MUTATORS.get(name);
	if (!m) throw new AppError('unknown-mutation', `Operación desconocida: ${name.slice(0, 60)}`);
	return m;
}
