import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, text } from './common';

/**
 * Historial: automatic audit rows (written by the server for every applied mutation, never
 * editable) and manual movements (date, action type, comment) that users add, edit and delete.
 */
export const HistoryEntry = z.object({
	id: Id,
	customerId: Id,
	kind: z.enum(['auto', 'manual']),
	at: IsoDateTime,
	userId: text(64),
	userName: text(120),
	// auto
	entity: text(40),
	entityId: text(64),
	field: text(60),
	oldValue: z.string().max(2000).nullable().optional(),
	newValue: z.string().max(2000).nullable().optional(),
	reason: text(500),
	mutation: text(60),
	// manual
	date: IsoDate.optional(),
	actionTypeId: text(64),
	comment: text(5000)
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;
