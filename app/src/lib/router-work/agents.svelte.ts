import { requestErrors } from '$lib/forms/request-errors';
import { api } from '$lib/sync/http-transport';

/** An edge agent as the admin API lists it (its token is stored hashed and never listed). */
export type Agent = {
	id: string;
	name: string;
	createdAt: string;
	lastSeenAt: string | null;
	/** A revoked agent stays listed: its routers' history still names it. */
	revoked: boolean;
};

export const AGENTS_OFFLINE = 'La gestión de agentes necesita conexión';

export const agentErrors = (e: unknown) => requestErrors(e, AGENTS_OFFLINE);

/**
 * Configuración › Agentes over plain HTTP, admin only: a token is shown once when made and must
 * never sit in the outbox or in IndexedDB, so this is not sync.
 */
export class AgentsApi {
	agents = $state<Agent[] | undefined>();
	loading = $state(false);
	error = $state('');
	unreachable = $state(false);

	async load() {
		this.loading = true;
		this.error = '';
		try {
			const { agents } = await api<{ agents: Agent[] }>('/api/agents');
			this.agents = agents;
			this.unreachable = false;
		} catch (e) {
			if (e instanceof TypeError) this.unreachable = true;
			else this.error = agentErrors(e)._ ?? String(e);
		} finally {
			this.loading = false;
		}
	}

	async create(name: string): Promise<{ agent: Agent; token: string }> {
		const out = await api<{ agent: Agent; token: string }>('/api/agents', {
			method: 'POST',
			body: JSON.stringify({ name })
		});
		this.agents = [...(this.agents ?? []).filter((a) => a.id !== out.agent.id), out.agent];
		return out;
	}

	/** A new token for the same agent (its routers keep their ids); the old one stops working. */
	async rotate(id: string): Promise<{ agent: Agent; token: string }> {
		const out = await api<{ agent: Agent; token: string }>(
			`/api/agents/${encodeURIComponent(id)}/rotate`,
			{ method: 'POST', body: JSON.stringify({}) }
		);
		this.agents = (this.agents ?? []).map((a) => (a.id === id ? out.agent : a));
		return out;
	}

	async revoke(id: string): Promise<void> {
		const { agent } = await api<{ agent: Agent }>(`/api/agents/${encodeURIComponent(id)}`, {
			method: 'DELETE'
		});
		this.agents = (this.agents ?? []).map((a) => (a.id === id ? agent : a));
	}
}

/** What to paste into the agent's agent.json: the server, the token, one router to fill in. */
export function agentConfigSnippet(serverUrl: string, token: string): string {
	return JSON.stringify(
		{
			serverUrl,
			token,
			routers: [
				{
					name: 'router-1',
					host: '192.168.88.1',
					port: 8729,
					tls: true,
					user: 'enlace',
					password: 'CAMBIAR'
				}
			]
		},
		null,
		2
	);
}
