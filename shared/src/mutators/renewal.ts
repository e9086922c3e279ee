import { AppError } from '../protocol/errors';
import type { Document } from '../schemas/billing';
import {
	RenewalAssignmentObject,
	RenewalPackage,
	checkRenewalAssignment,
	type RenewalAssignment
} from '../schemas/renewal';
import { advanceRenewal } from '../domain/renewals';
import { crudMutators } from './crud';
import { OFFICE_ROLES, type Mutator, type MutatorTx } from './types';

/**
 * Renovaciones (docs/renewals.md): the catalogue of renewable packages (`renewalPackage.*`,
 * Configuración) and a customer's assignments of them (`renewalAssignment.*`, the tab). Written
 * by the office; every device reads them (scope `all`, no bank data). The next renewal moves on
 * only when the server issues a factura charging it (`advanceRenewals`, from document.issue).
 */

const invalid = (message: string, field: string) => new AppError('invalid-field', message, field);
const sameInvoiced = (
	a?: RenewalAssignment['lastInvoiced'],
	b?: RenewalAssignment['lastInvoiced']
) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const packageMutators = crudMutators({
	entity: 'renewalPackage',
	noun: 'El paquete',
	object: RenewalPackage,
	roles: OFFICE_ROLES,
	async deletable(tx, p) {
		// An assignment whose package vanished could no longer be renewed nor invoiced.
		const assigned = await tx.findBy('renewalAssignment', 'packageId', p.id);
		if (assigned.length) {
			throw new AppError(
				'in-use',
				`El paquete está asignado a ${assigned.length} cliente(s): márquelo como inactivo en lugar de eliminarlo`,
				undefined,
				409
			);
		}
	}
});

const assignmentMutators = crudMutators({
	entity: 'renewalAssignment',
	noun: 'La renovación',
	object: RenewalAssignmentObject,
	refine: checkRenewalAssignment,
	roles: OFFICE_ROLES,
	parent: 'customer',
	async check(tx, row, existing) {
		if (existing && existing.customerId !== row.customerId) {
			throw new AppError('conflict', 'La renovación es de otro cliente', 'customerId', 409);
		}
		const p = await tx.get('renewalPackage', row.packageId);
		if (!p) throw invalid('El paquete no existe', 'packageId');
		if (!p.active && row.packageId !== existing?.packageId) {
			throw invalid('Ese paquete ya no se ofrece', 'packageId');
		}
		// Only issuing a factura records what was invoiced: a device cannot forge it nor undo it.
		if (!sameInvoiced(row.lastInvoiced, existing?.lastInvoiced)) {
			throw new AppError(
				'conflict',
				'Ese dato lo pone el servidor al emitir la factura',
				'lastInvoiced',
				409
			);
		}
	}
});

/**
 * On the server, inside document.issue's batch, for an issued factura: every assignment of the
 * customer that a line renews moves its next renewal on past the renewals charged, and records
 * the factura. A renewal already invoiced (the next renewal is past it) moves nothing, so no
 * document ever moves a renewal twice; a draft deleted or never issued moves nothing.
 */
export async function advanceRenewals(tx: MutatorTx, doc: Document): Promise<void> {
	const charged = new Map<string, Set<string>>();
	for (const l of doc.lines) {
		if (!l.renewal || l.quantity <= 0) continue;
		const set = charged.get(l.renewal.assignmentId) ?? new Set<string>();
		set.add(l.renewal.from);
		charged.set(l.renewal.assignmentId, set);
	}
	for (const [id, from] of [...charged].sort(([x], [y]) => x.localeCompare(y))) {
		const a = await tx.get('renewalAssignment', id);
		if (!a || a.customerId !== doc.customerId || a.lastInvoiced?.documentId === doc.id) continue;
		const p = await tx.get('renewalPackage', a.packageId);
		if (!p) continue;
		const moved = advanceRenewal(a, p.period, from);
		if (!moved) continue;
		await tx.put('renewalAssignment', {
			...a,
			nextRenewal: moved.nextRenewal,
			lastInvoiced: {
				documentId: doc.id,
				...(doc.number ? { number: doc.number } : {}),
				from: moved.from,
				to: moved.to
			},
			updatedAt: tx.ctx.now
		});
	}
}

/** A draft's renewal lines never name another customer's assignment. */
export async function checkRenewalLines(tx: MutatorTx, doc: Document): Promise<void> {
	for (const [i, l] of doc.lines.entries()) {
		if (!l.renewal) continue;
		const a = await tx.get('renewalAssignment', l.renewal.assignmentId);
		// One deleted meanwhile leaves a plain line: issuing skips it.
		if (a && a.customerId !== doc.customerId) {
			throw invalid('Esa renovación no es de este cliente', `lines.${i}.renewal`);
		}
	}
}

export const renewalMutators: Mutator[] = [...packageMutators, ...assignmentMutators];
