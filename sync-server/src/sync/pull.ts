import { MAX_PULL_PAGE_BYTES, SCOPES_BY_ROLE, type Role } from '@enlace/shared';
import type { Client } from '@libsql/client';
import type { Db } from '../db/client';
import { SCOPE_RULES_COUNTER, currentSeq } from './store';

/** Rows read by a page's first query; later reads are sized by what the bytes left would hold. */
const FIRST_READ = 200;

/**
 * What a session may hold, as one opaque key: the role's scopes and, for a role that does not
 * receive every scope, the version of the scope rules (a row moving out of its reach needs a
 * reset, since pull never sends it a change of a row it may not see).
 */
export async function accessKey(client: Client, role: Role): Promise<string> {
	const scopes = SCOPES_BY_ROLE[role];
	if (scopes.includes('finance')) return scopes.join(',');
	const r = await client.execute({
		sql: 'SELECT value FROM counters WHERE name = ?',
		args: [SCOPE_RULES_COUNTER]
	});
	return `${scopes.join(',')}@${r.rows.length ? Number(r.rows[0].value) : 0}`;
}

/**
 * The changes after `since`, in seq order, filtered to what the role may hold: at most `limit`
 * rows and, past the first row, at most `maxBytes` of changes (a few hundred large rows must not
 * build a page too big to send). The body is assembled from the stored JSON text without parsing
 * it: the first sync of a large ISP moves hundreds of thousands of rows and this is its hot path.
 * Rows are read in slices so that a page of large rows never holds `limit` of them in memory.
 * `deviceAccess` is the access key the device synced under (absent: an older client, not
 * checked): another key resets it.
 */
export async function pullBody(
	db: Db,
	role: Role,
	since: number,
	limit: number,
	serverId: string,
	maxBytes = MAX_PULL_PAGE_BYTES,
	deviceAccess?: string
): Promise<string> {
	const head = await currentSeq(db.client);
	const access = await accessKey(db.client, role);
	const who = `"access":${JSON.stringify(access)},"role":${JSON.stringify(role)}`;
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
			sql: `SELECT seq, entity, id, deleted, data FROM records
				WHERE seq > ? AND seq <= ? AND scope IN (${scopes.map(() => '?').join(', ')})${live}
				ORDER BY seq LIMIT ?`,
			args: [after, head, ...scopes, read]
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
