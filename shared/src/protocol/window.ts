import type { EntityName } from '../schemas/entities';
import type { Role } from '../schemas/user';

/**
 * Entities that only grow (Historial, router jobs; later documents, mail, file metadata) are held
 * on a device only inside a window: rows from the last N days (N set per role on the server) and
 * rows of the customers the device opened lately ("pinned"). Older rows are read online, per
 * customer, a page at a time (`GET /api/sync/older`). See docs/sync-protocol.md#windowed-entities.
 */

/** The time a windowed row counts from, as stored in `records.win_at`; rows at ALWAYS_HELD never age. */
export const ALWAYS_HELD = '9999-12-31T23:59:59.999Z';

const WINDOW_TIME: Partial<Record<EntityName, (row: Record<string, unknown>) => string>> = {
	history: (row) => String(row.at),
	// Open work is held whatever its age: a device must see a job that is still running.
	routerJob: (row) =>
		row.state === 'queued' || row.state === 'running' ? ALWAYS_HELD : String(row.createdAt)
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
