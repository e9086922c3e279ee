// HTTP against our own server, as the admin: how `npm run demo` writes its sample data.
import { randomUUID } from 'node:crypto';
import type { PullResponse } from '@enlace/shared';

type Api = {
	post<T>(p: string, body: unknown): Promise<T>;
	get<T>(p: string): Promise<T>;
};

function client(url: string, token: string): Api {
	async function call<T>(method: string, p: string, body?: unknown): Promise<T> {
		const res = await fetch(url + p, {
			method,
			headers: {
				authorization: `Bearer ${token}`,
				...(body === undefined ? {} : { 'content-type': 'application/json' })
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
		return JSON.parse(text) as T;
	}
	return { post: (p, body) => call('POST', p, body), get: (p) => call('GET', p) };
}

type PushReply = {
	results: { id: string; status: 'applied' | 'rejected'; error?: { message: string } }[];
};

/** Push mutations through the real mutators; any refusal stops the demo with its reason. */
async function push(api: Api, mutations: { name: string; args: unknown }[]) {
	for (let i = 0; i < mutations.length; i += 100) {
		const batch = mutations.slice(i, i + 100).map((m) => ({ id: randomUUID(), ...m }));
		const reply = await api.post<PushReply>('/api/sync/push', {
			clientId: 'demo-seed',
			mutations: batch
		});
		const refused = reply.results.find((r) => r.status !== 'applied');
		if (refused) {
			const m = batch.find((b) => b.id === refused.id);
			throw new Error(`${m?.name} rechazada: ${refused.error?.message ?? '?'}`);
		}
	}
}

/** Every current row of an entity, from the change log. */
async function rows<T>(api: Api, entity: string): Promise<T[]> {
	const out = new Map<string, T>();
	let since = 0;
	for (;;) {
		const page = await api.get<PullResponse>(`/api/sync/pull?since=${since}&limit=1000`);
		for (const c of page.changes) {
			if (c.entity !== entity) continue;
			if (c.op === 'put') out.set(c.id, c.data as T);
			else out.delete(c.id);
		}
		since = page.seq;
		if (!page.more) break;
	}
	return [...out.values()];
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v !== undefined) return v;
		if (Date.now() > until) throw new Error(`Tiempo agotado esperando: ${what}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

export { client, push, rows, waitFor, type Api };
