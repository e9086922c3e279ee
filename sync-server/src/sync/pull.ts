import {
	ALWAYS_HELD,
	AppError,
	MAX_PULL_PAGE_BYTES,
	olderCursor,
	SCOPES_BY_ROLE,
	windowCutoff,
	windowDaysOf,
	type EntityName,
	type OlderPage,
	type Role,
	type WindowDays
} from '@enlace/shared';
import type { Client } from '@libsql/client';
import type { Db } from '../db/client';
import { SCOPE_RULES_COUNTER, currentSeq } from './store';

const marks = (xs: readonly unknown[]) => xs.map(() => '?').join(', ');

/** Rows read by a page's first query; later reads are sized by what the bytes left would hold. */
const FIRST_READ = 200;

/** The window every role holds when none is configured (config.ts's defaults). */
export const DEFAULT_WINDOW_DAYS: WindowDays = { technician: 7, office: 14 };

/**
 * What a session may hold, as one opaque key: the role's scopes and, for a role that does not
 * receive every scope, the version of the scope rules (a row moving out of its reach needs a
 * reset, since pull never sends it a change of a row it may not see); then the window of
 * windowed entities in days (a longer window needs the older rows pull from its position would
 * never bring).
 */
export async function accessKey(
	client: Client,
	role: Role,
	days: WindowDays = DEFAULT_WINDOW_DAYS
): Promise<string> {
	const scopes = SCOPES_BY_ROLE[role];
	const window = `;w${windowDaysOf(role, days)}`;
	if (scopes.includes('finance')) return scopes.join(',') + window;
	const r = await client.execute({
		sql: 'SELECT value FROM counters WHERE name = ?',
		args: [SCOPE_RULES_COUNTER]
	});
	return `${scopes.join(',')}@${r.rows.length ? Number(r.rows[0].value) : 0}${window}`;
}

export type PullRequest = {
	role: Role;
	since: number;
	limit: number;
	serverId: string;
	maxBytes?: number;
	/** The access key the device synced under (absent: an older client, not checked). */
	deviceAccess?: string;
	/** The window per role (config.ts); DEFAULT_WINDOW_DAYS when absent. */
	windowDays?: WindowDays;
	/** Customers the device opened lately: their windowed rows are sent whatever their age. */
	pinned?: string[];
	/** The clock, for tests. */
	now?: number;
};

/**
 * The changes after `since`, in seq order, filtered to what the role may hold and to the window
 * (a windowed row goes when it counts from inside the role's period or is of a pinned customer;
 * tombstones always go): at most `limit`
 * rows and, past the first row, at most `maxBytes` of changes (a few hundred large rows must not
 * build a page too big to send). The body is assembled from the stored JSON text without parsing
 * it: the first sync of a large ISP moves hundreds of thousands of rows and this is its hot path.
 * Rows are read in slices so that a page of large rows never holds `limit` of them in memory.
 * A `deviceAccess` other than the session's key resets the device.
 */
export async function pullBody(db: Db, req: PullRequest): Promise<string> {
	const { role, since, limit, serverId, deviceAccess, pinned = [] } = req;
	const maxBytes = req.maxBytes ?? MAX_PULL_PAGE_BYTES;
	const days = windowDaysOf(role, req.windowDays ?? DEFAULT_WINDOW_DAYS);
	const cutoff = windowCutoff(days, req.now);
	const head = await currentSeq(db.client);
	const access = await accessKey(db.client, role, req.windowDays);
	const who = `"access":${JSON.stringify(access)},"role":${JSON.stringify(role)},"window":{"days":${days}}`;
	if (since > head || (since > 0 && deviceAccess !== undefined && deviceAccess !== access)) {
		return `{"changes":[],"seq":${head},"more":false,"serverId":${JSON.stringify(serverId)},"reset":true,${who}}`;
	}
	const scopes = SCOPES_BY_ROLE[role];
	// A device pulling from 0 holds no server rows: deletes (pruned router jobs…) are nothing to it.
	const live = since === 0 ? ' AND deleted = 0' : '';
	const parts: string[] = [];
	let bytes = 0;
	let after = since;
	let more = false;
	let read = Math.min(limit, FIRST_READ);
	for (;;) {
		const r = await db.client.execute({
			sql: `SELECT seq, entity, id, deleted, data FROM records INDEXED BY records_pull
				WHERE seq > ? AND seq <= ? AND scope IN (${marks(scopes)})${live}
					AND (win_at IS NULL OR win_at >= ?${pinned.length ? ` OR customer_id IN (${marks(pinned)})` : ''})
				ORDER BY seq LIMIT ?`,
			args: [after, head, ...scopes, cutoff, ...pinned, read]
		});
		for (const row of r.rows) {
			const entity = JSON.stringify(row.entity);
			const id = JSON.stringify(row.id);
			const part = Number(row.deleted)
				? `{"seq":${row.seq},"entity":${entity},"id":${id},"op":"delete"}`
				: `{"seq":${row.seq},"entity":${entity},"id":${id},"op":"put","data":${row.data}}`;
			const size = Buffer.byteLength(part) + 1;
			if (parts.length && bytes + size > maxBytes) {
				more = true;
				break;
			}
			parts.push(part);
			bytes += size;
			after = Number(row.seq);
		}
		if (more) break;
		if (parts.length === limit) {
			more = true;
			break;
		}
		if (r.rows.length < read) break;
		// As many rows as the bytes left would hold at the average size so far, and one more to
		// find where the page ends.
		const fit = Math.ceil((maxBytes - bytes) / (bytes / parts.length)) + 1;
		read = Math.max(1, Math.min(limit - parts.length, fit));
	}
	const seq = more ? after : head;
	return `{"changes":[${parts.join(',')}],"seq":${seq},"more":${more},"serverId":${JSON.stringify(serverId)},${who}}`;
}

export type OlderRequest = {
	role: Role;
	entity: EntityName;
	customerId: string;
	/** The cursor of the page (OlderPage.next); absent: from the newest row. */
	before?: string;
	limit: number;
};

/**
 * One page of a customer's windowed rows, newest first, scoped by role exactly like pull (a
 * technician never gets a finance Historial line through it). The cursor is the last row's
 * `win_at` and id, so pages neither skip nor repeat rows while lines are being added.
 */
export async function olderPage(db: Db, req: OlderRequest): Promise<OlderPage> {
	const scopes = SCOPES_BY_ROLE[req.role];
	const [at, id] = req.before ? splitCursor(req.before) : [ALWAYS_HELD + '~', ''];
	const r = await db.client.execute({
		sql: `SELECT id, win_at, data FROM records
			WHERE customer_id = ? AND entity = ? AND deleted = 0 AND win_at IS NOT NULL
				AND scope IN (${marks(scopes)}) AND (win_at < ? OR (win_at = ? AND id < ?))
			ORDER BY win_at DESC, id DESC LIMIT ?`,
		args: [req.customerId, req.entity, ...scopes, at, at, id, req.limit + 1]
	});
	const rows = r.rows.slice(0, req.limit);
	const last = rows.at(-1);
	return {
		entity: req.entity,
		rows: rows.map((x) => JSON.parse(String(x.data)) as Record<string, unknown>),
		...(r.rows.length > req.limit && last
			? { next: olderCursor(String(last.win_at), String(last.id)) }
			: {})
	};
}

function splitCursor(cursor: string): [string, string] {
	const i = cursor.indexOf('|');
	if (i < 1) throw new AppError('bad-request', 'Parámetro before no válido', 'before');
	return [cursor.slice(0, i), cursor.slice(i + 1)];
}
