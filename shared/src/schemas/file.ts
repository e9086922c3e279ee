import { z } from 'zod';
import { Id, IsoDateTime, requiredText } from './common';

/** The largest file the schema accepts at all; the server's FILES_MAX_BYTES is the real cap. */
export const FILE_SCHEMA_MAX_BYTES = 10 * 1024 * 1024 * 1024;

/** A SHA-256 in lowercase hex: what the device computed before upload and the server checks. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Huella SHA-256 no válida');

/**
 * A customer's file (Repositorio): its metadata syncs like any row; its bytes never go through the
 * change log — they travel over the file service (tus uploads, ranged downloads; docs/files.md).
 * `storedAt` is written by the server only, once every byte arrived and matched `sha256`.
 */
export const FileRow = z.object({
	id: Id,
	customerId: Id,
	/** Nombre del recurso. */
	name: requiredText(200, 'Indique el nombre del recurso'),
	/** Etiqueta ('' or absent: none). */
	tag: z.string().trim().max(60, 'Máximo 60 caracteres').optional(),
	/** The original file name, used for the download's Content-Disposition. */
	fileName: requiredText(255, 'Falta el nombre del fichero'),
	mimeType: z.string().max(200, 'Máximo 200 caracteres'),
	size: z
		.number('Tamaño no válido')
		.int('Tamaño no válido')
		.min(0, 'Tamaño no válido')
		.max(FILE_SCHEMA_MAX_BYTES, 'El fichero es demasiado grande'),
	sha256: Sha256Hex,
	/**
	 * A photo of one of the customer's devices (Equipamiento): shown under the device and, tagged
	 * «Equipo», in Repositorio. Set on create only; the mutator checks it is this customer's.
	 */
	equipmentId: Id.optional(),
	/** Solo oficina: stored with scope `finance`, so a technician's device never receives it. */
	officeOnly: z.boolean().optional(),
	/** Set by the mutator from the session: who uploaded it (may delete it besides the office). */
	uploadedBy: Id.optional(),
	uploadedByName: z.string().max(200).optional(),
	/** When every byte reached the server (server-written). */
	storedAt: IsoDateTime.optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type FileRow = z.infer<typeof FileRow>;

export const FILE_FIELD_LABELS: Record<string, string> = {
	fileName: 'Fichero',
	mimeType: 'Tipo',
	size: 'Tamaño',
	sha256: 'SHA-256',
	uploadedBy: 'Subido por',
	uploadedByName: 'Subido por',
	storedAt: 'Recibido en el servidor',
	tag: 'Etiqueta',
	equipmentId: 'Equipo'
};

/** The tag Equipamiento gives the photos of a device, so Repositorio can filter them. */
export const EQUIPMENT_PHOTO_TAG = 'Equipo';

/** Whether a user may delete a file: its author, or the office. */
export const mayDeleteFile = (
	user: { userId: string; role: string },
	row: Pick<FileRow, 'uploadedBy'>
) => row.uploadedBy === user.userId || user.role === 'admin' || user.role === 'office';
