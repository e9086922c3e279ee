import { AppError } from '../protocol/errors';
import { FileRow, mayDeleteFile } from '../schemas/file';
import { crudMutators } from './crud';
import { forbidden } from './guards';
import { ALL_ROLES, OFFICE_ROLES } from './types';

/** What a device may never set or change: the bytes' identity and the server's receipt. */
const FIXED = [
	'officeOnly',
	'fileName',
	'mimeType',
	'size',
	'sha256',
	'uploadedBy',
	'uploadedByName',
	'equipmentId'
] as const;

/**
 * `file.create` / `file.update` / `file.delete` (Repositorio). A create records who uploaded it
 * from the session; an update changes only the name and tag; `storedAt` is the server's (written
 * when the upload completes), never taken from a device. A photo of a device (`equipmentId`) must
 * name an existing device of the same customer, and keeps it for good. Deleting: the author or
 * the office.
 */
export const fileMutators = crudMutators({
	entity: 'file',
	noun: 'El archivo',
	object: FileRow,
	roles: ALL_ROLES,
	parent: 'customer',
	async derive(tx, row, existing) {
		const next = { ...row };
		if (existing) {
			for (const k of FIXED) (next as Record<string, unknown>)[k] = existing[k];
		} else {
			if (next.officeOnly && !OFFICE_ROLES.includes(tx.ctx.role)) {
				throw forbidden('Solo la oficina puede subir archivos de uso interno');
			}
			next.uploadedBy = tx.ctx.userId;
			next.uploadedByName = tx.ctx.userName;
			if (next.equipmentId) {
				const device = await tx.get('equipment', next.equipmentId);
				if (!device || device.customerId !== next.customerId) {
					throw new AppError(
						'invalid-field',
						'Ese equipo no es de este cliente (puede que otra persona lo haya eliminado)',
						'equipmentId'
					);
				}
			}
		}
		if (existing?.storedAt) next.storedAt = existing.storedAt;
		else delete next.storedAt;
		return next;
	},
	async deletable(tx, row) {
		if (!mayDeleteFile(tx.ctx, row)) {
			throw forbidden('Solo quien subió el archivo, o la oficina, puede eliminarlo');
		}
	}
});
