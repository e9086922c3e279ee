import { Company } from '../schemas/company';
import { crudMutators } from './crud';
import { OFFICE_ROLES, type Mutator } from './types';
import { alreadyExists } from './guards';

/**
 * `company.create|update|delete`. Office and admin only: a Sociedad carries bank accounts, so its
 * rows are `finance` scope and never reach a technician's phone. An update's patch replaces whole
 * sections (`mercantil`, `fiscal`, `financiera`); the share rule runs inside `mercantil`.
 */
export const companyMutators: Mutator[] = crudMutators({
	entity: 'company',
	noun: 'La sociedad',
	object: Company,
	roles: OFFICE_ROLES,
	parent: 'customer',
	async check(tx, row) {
		const siblings = await tx.findBy('company', 'customerId', row.customerId);
		if (siblings.some((c) => c.id !== row.id && c.cif === row.cif)) {
			throw alreadyExists('Este cliente ya tiene una sociedad con ese CIF', 'cif');
		}
	}
});
