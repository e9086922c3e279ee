import type { InStatement } from '@libsql/client';
import { z } from 'zod';
import {
	AGENT_PROTOCOL_VERSION,
	AgentHello,
	AgentRouterDecl,
	AppError,
	Router,
	type AgentHelloReply
} from '@enlace/shared';
import type { Db } from '../db/client';
import type { SeqNotifier } from '../sync/notifier';
import { currentSeq } from '../sync/store';
import type { AgentOptions } from './hub';
import { routerIdFor } from './ids';
import { guardedStatements, writeGuarded, type GuardedWrite } from '../sync/writer';
import { sameRow, selectStored } from './records';
import type { AgentIdentity } from './tokens';

/**
 * The hello as the server accepts it: a router declaration is exactly name, host, port and tls.
 * Router credentials stay in the agent's config file; one sent here by mistake is refused
 * (invalid-args), not silently dropped, so whoever wrote the agent finds out.
 */
export const AgentHelloIn = AgentHello.extend({
	routers: z.array(AgentRouterDecl.strict()).max(500)
});

export const UNDECLARED_MESSAGE = 'El agente ya no declara este router';

export async function hello(
	db: Db,
	notifier: SeqNotifier,
	agent: AgentIdentity,
	body: z.infer<typeof AgentHelloIn>,
	options: AgentOptions
): Promise<AgentHelloReply> {
	if (body.protocol !== AGENT_PROTOCOL_VERSION) {
		throw new AppError(
			'unsupported-protocol',
			`Este servidor habla el protocolo de agente ${AGENT_PROTOCOL_VERSION}, no el ${body.protocol}: actualice el agente o el servidor`,
			'protocol',
			409
		);
	}
	const names = new Set<string>();
	body.routers.forEach((r, i) => {
		if (names.has(r.name)) {
			throw new AppError('invalid-field', `Router repetido: ${r.name}`, `routers.${i}.name`);
		}
		names.add(r.name);
	});
	const declared = body.routers.map((r) => ({ ...r, id: routerIdFor(agent.id, r.name) }));

	const wrote = await writeGuarded(db, async () => {
		const now = new Date().toISOString();
		// Deleted rows too: their seq guards the write that brings them back.
		const known = await selectStored<Router>(
			db.client,
			`SELECT data, seq, updated_at, deleted FROM records
				WHERE entity = 'router' AND json_extract(data, '$.agentId') = ?`,
			[agent.id]
		);
		const byId = new Map(known.map((s) => [s.row.id, s]));
		const writes: GuardedWrite[] = [];
		for (const d of declared) {
			const seen = byId.get(d.id);
			const current = seen && !seen.deleted ? seen.row : undefined;
			const next: Router = current
				? { ...current, name: d.name, host: d.host, port: d.port, tls: d.tls }
				: {
						id: d.id,
						agentId: agent.id,
						name: d.name,
						host: d.host,
						port: d.port,
						tls: d.tls,
						state: 'unknown'
					};
			if (next.lastError === UNDECLARED_MESSAGE) delete next.lastError;
			const valid = Router.safeParse(next);
			if (!valid.success) {
				throw new AppError('invalid-field', valid.error.issues[0].message, 'routers');
			}
			if (!current || !sameRow(current, next)) {
				writes.push({ entity: 'router', id: d.id, row: next, seenSeq: seen?.seq ?? null });
			}
		}
		for (const s of known) {
			if (s.deleted || names.has(s.row.name) || s.row.lastError === UNDECLARED_MESSAGE) continue;
			// Its queue stays (it may come back); it is simply not this agent's to run now.
			writes.push({
				entity: 'router',
				id: s.row.id,
				row: { ...s.row, state: 'unknown', lastError: UNDECLARED_MESSAGE },
				seenSeq: s.seq
			});
		}
		const stmts: InStatement[] = [
			{ sql: 'DELETE FROM agent_routers WHERE agent_id = ?', args: [agent.id] },
			...declared.map((d) => ({
				sql: 'INSERT INTO agent_routers (agent_id, router_id, name) VALUES (?, ?, ?)',
				args: [agent.id, d.id, d.name]
			})),
			...guardedStatements(writes, `agent:${agent.id}`, now)
		];
		return { stmts, value: writes.length > 0 };
	});
	if (wrote) notifier.bump(await currentSeq(db.client));
	return {
		agentId: agent.id,
		routers: declared.map((d) => ({ id: d.id, name: d.name })),
		leaseSeconds: options.leaseSeconds,
		statusIntervalSeconds: options.statusIntervalSeconds
	};
}
