import type { Document } from '../schemas/billing';
import type { EntityName } from '../schemas/entities';
import type { Role } from '../schemas/user';
import { outstandingCents } from '../mutators/document';

/**
 * Entities that only grow (Historial, router jobs, documents, VeriFactu records; later mail and
 * file metadata) are held
 * on a device only inside a window: rows from the last N days (N set per role on the server) and
 * rows of the customers the device opened lately ("pinned"). Older rows are read online, per
 * customer, a page at a time (`GET /api/sync/older`). See docs/sync-protocol.md#windowed-entities.
 */

/** The time a windowed row counts from, as stored in `records.win_at`; rows at ALWAYS_HELD never age. */
export const ALWAYS_HELD = '9999-12-31T23:59:59.999Z';

/**
 * A document still open, held on every device that may see it whatever its age: a draft (also
 * one "pendiente de numerar"), or an issued albarán or invoice with money outstanding that was not
 * converted into another document (the one it became carries the debt). A presupuesto is an
 * offer, not a debt: it ages like a paid or cancelled document.
 */
export function isOpenDocument(d: Document): boolean {
	if (d.state === 'borrador' || d.issueRequested) return true;
	if (d.state === 'anulada' || d.kind === 'presupuesto' || d.convertedToId) return false;
	return outstandingCents(d) > 0;
}

/**
 * A closed row's time is its last change (`updatedAt`), not its date: when an old invoice is paid
 * today, the change must reach the devices holding it unpaid, so it counts from today (pull sends
 * only rows inside the window) and ages out from there.
 */
const lastChange = (row: Record<string, unknown>, ...fallbacks: string[]): string =>
	String(row.updatedAt ?? fallbacks.map((f) => row[f]).find((v) => v !== undefined));

const WINDOW_TIME: Partial<Record<EntityName, (row: Record<string, unknown>) => string>> = {
	history: (row) => String(row.at),
	// Open work is held whatever its age: a device must see a job that is still running.
	routerJob: (row) =>
		row.state === 'queued' || row.state === 'running' ? ALWAYS_HELD : lastChange(row, 'createdAt'),
	document: (row) =>
		isOpenDocument(row as Document) ? ALWAYS_HELD : lastChange(row, 'issueDate', 'date'),
	// A record still to be sent to the AEAT is open work (Configuración › Empresa counts them).
	verifactuRecord: (row) =>
		row.state === 'pendiente' ? ALWAYS_HELD : lastChange(row, 'createdAt', 'generatedAt'),
	// Mail still on its way is held like open jobs: the device shows it until it is sent or failed.
	mailMessage: (row) =>
		row.status === 'queued' || row.status === 'sending' ? ALWAYS_HELD : String(row.at)
};

/** The windowed entities, in a fixed order. */
export const WINDOWED_ENTITIES = Object.keys(WINDOW_TIME) as EntityName[];

export const isWindowed = (entity: EntityName): boolean => entity in WINDOW_TIME;

/** When a windowed row counts from (ALWAYS_HELD: never ages out); null for other entities. */
export function windowTime(entity: EntityName, row: Record<string, unknown>): string | null {
	const f = WINDOW_TIME[entity];
	return f ? f(row) : null;
}

/** A device declares at most this many customers as opened lately. */
export const MAX_PINNED_CUSTOMERS = 40;

/** Rows of one page of `GET /api/sync/older`; capped at MAX_OLDER_LIMIT. */
export const DEFAULT_OLDER_LIMIT = 50;
export const MAX_OLDER_LIMIT = 500;

/** Which window a role's devices hold: the period in days (the office setting covers admins). */
export type SyncWindow = { days: number };

/** Window length per role (config: HISTORY_WINDOW_DAYS_TECHNICIAN / HISTORY_WINDOW_DAYS_OFFICE). */
export type WindowDays = { technician: number; office: number };

export const windowDaysOf = (role: Role, days: WindowDays): number =>
	role === 'technician' ? days.technician : days.office;

/** The oldest time a row may count from and still be in a window of `days` at `now`. */
export const windowCutoff = (days: number, now: number = Date.now()): string =>
	new Date(now - days * 86_400_000).toISOString();

/**
 * One page of a customer's older windowed rows, newest first. `next` is the cursor of the page
 * after it (`before=`), absent when there is none.
 */
export type OlderPage = {
	entity: EntityName;
	rows: Record<string, unknown>[];
	next?: string;
};

/** The `before=` cursor that continues after a row counting from `at` with id `id`. */
export const olderCursor = (at: string, id: string): string => `${at}|${id}`;
