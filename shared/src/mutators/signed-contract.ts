import { AppError } from '../protocol/errors';
import {
	ContractTemplateObject,
	SignedContractObject,
	checkContractTemplate,
	checkSignedContract,
	type SignedContract
} from '../schemas/signed-contract';
import { crudMutators } from './crud';
import { ALL_ROLES, OFFICE_ROLES, type Mutator, type MutatorTx } from './types';

/**
 * Contratos (docs/contracts-signed.md): the templates of Configuración (office) and the customer's
 * contracts (everyone: a technician has the contract signed on site, offline).
 */

const invalid = (message: string, field: string) => new AppError('invalid-field', message, field);

/** The fields that say what was signed: fixed once the contract is firmado. */
const SIGNATURE = [
	'fileId',
	'sha256',
	'signedHow',
	'signerName',
	'signerTaxId',
	'signedAt',
	'lat',
	'lng',
	'body'
] as const;

async function checkRow(tx: MutatorTx, row: SignedContract, existing?: SignedContract) {
	if (existing?.state === 'firmado') {
		for (const k of SIGNATURE) {
			if (row[k] !== existing[k]) {
				throw invalid('Un contrato firmado no se puede cambiar: anúlelo y haga otro', k);
			}
		}
		if (row.state === 'pendiente') {
			throw invalid('Un contrato firmado no vuelve a pendiente: anúlelo y haga otro', 'state');
		}
	}
	if (existing?.state === 'anulado' && row.state !== 'anulado') {
		throw invalid('Un contrato anulado no se puede reabrir', 'state');
	}
	if (row.contractId && row.contractId !== existing?.contractId) {
		const op = await tx.get('contract', row.contractId);
		if (!op || op.customerId !== row.customerId) {
			throw invalid('Elija un contrato de operadora de este cliente', 'contractId');
		}
	}
	if (row.fileId && row.fileId !== existing?.fileId) {
		const file = await tx.get('file', row.fileId);
		if (!file || file.customerId !== row.customerId) {
			throw invalid('El PDF firmado no es un archivo de este cliente', 'fileId');
		}
		if (file.sha256 !== row.sha256) {
			throw invalid('La huella no es la del PDF firmado', 'sha256');
		}
	}
}

export const contractTemplateMutators = crudMutators({
	entity: 'contractTemplate',
	noun: 'La plantilla de contrato',
	object: ContractTemplateObject,
	refine: checkContractTemplate,
	roles: OFFICE_ROLES
});

export const signedContractMutators = crudMutators({
	entity: 'signedContract',
	noun: 'El contrato',
	object: SignedContractObject,
	refine: checkSignedContract,
	roles: ALL_ROLES,
	parent: 'customer',
	check: checkRow,
	async deletable(tx, row) {
		if (row.state === 'firmado') {
			throw new AppError(
				'in-use',
				'Un contrato firmado no se elimina: anúlelo para que quede constancia',
				undefined,
				409
			);
		}
	}
});

export const signedContractAllMutators: Mutator[] = [
	...contractTemplateMutators,
	...signedContractMutators
];
