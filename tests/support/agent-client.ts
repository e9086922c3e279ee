// A tiny edge agent over HTTP for the integration tests: the protocol of
// shared/src/protocol/agent.ts, with nothing of the real agent's RouterOS side.
import type {
	AgentHello,
	AgentHelloReply,
	AgentJobsReply,
	AgentStatus,
	WireError
} from '@enlace/shared';
import { api, type ApiResponse, type TestServer } from './server';

export type AgentResult = {
	ok: boolean;
	result?: Record<string, unknown>;
	error?: string;
	final?: boolean;
};

type Answer<T> = ApiResponse<T & { error?: WireError }>;

export type AgentClient = ReturnType<typeof agentClient>;

export function agentClient(url: string, token: string) {
	const http = api(url, token);
	return {
		token,
		hello: (routers: AgentHello['routers'], protocol = 1) =>
			http.post<AgentHelloReply>('/api/agent/hello', {
				agentVersion: 'test-0.0.1',
				protocol,
				routers
			}) as Promise<Answer<AgentHelloReply>>,
		jobs: (wait = 0, max?: number) =>
			http.get<AgentJobsReply>(
				`/api/agent/jobs?wait=${wait}${max === undefined ? '' : `&max=${max}`}`
			) as Promise<Answer<AgentJobsReply>>,
		results: (results: (AgentResult & { jobId: string })[]) =>
			http.post<{ ok: true; unknown: string[] }>('/api/agent/results', { results }) as Promise<
				Answer<{ ok: true; unknown: string[] }>
			>,
		result: (id: string, body: AgentResult) =>
			http.post<{ ok: true }>(`/api/agent/jobs/${encodeURIComponent(id)}/result`, body) as Promise<
				Answer<{ ok: true }>
			>,
		status: (routers: AgentStatus['routers']) =>
			http.post<{ ok: true }>('/api/agent/status', { routers }) as Promise<Answer<{ ok: true }>>,
		/** Any request with this agent's token: hostile bodies, unknown paths. */
		raw: http.raw
	};
}

/** An agent made by the admin through the REST API: its id, token and client. */
export async function createAgent(s: TestServer, name = 'Agente de pruebas') {
	const r = await api(s.url, s.adminToken).post('/api/agents', { name });
	if (r.status !== 201)
		throw new Error(`agent create failed: ${r.status} ${JSON.stringify(r.body)}`);
	const token = r.body.token as string;
	return { id: r.body.agent.id as string, token, client: agentClient(s.url, token) };
}

/** A router declaration as an agent's config file would give it (never its credentials). */
export const routerDecl = (name: string, host = `${name}.lan`) => ({
	name,
	host,
	port: 8729,
	tls: true
});
