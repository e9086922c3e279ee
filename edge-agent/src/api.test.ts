import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentApi, ServerHttpError, ServerUnreachableError, TokenRejectedError } from './api';
import { failure } from './testing';

type Reply = { status: number; body: string };
const servers: http.Server[] = [];
const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];

afterEach(async () => {
	seen.length = 0;
	for (const s of servers.splice(0)) {
		s.closeAllConnections();
		await new Promise<void>((resolve) => s.close(() => resolve()));
	}
});

async function serve(reply: Reply | ((url: string) => Reply)): Promise<string> {
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
			const r = typeof reply === 'function' ? reply(req.url ?? '') : reply;
			res.statusCode = r.status;
			res.end(r.body);
		});
	});
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const TOKEN = 'agt_api_test_token';

describe('agent API client', () => {
	it('sends the bearer token and JSON, and validates the hello reply', async () => {
		const url = await serve({
			status: 200,
			body: JSON.stringify({
				agentId: 'a1',
				routers: [{ id: 'r1', name: 'torre' }],
				leaseSeconds: 60,
				statusIntervalSeconds: 5
			})
		});
		const api = createAgentApi({ serverUrl: url, token: TOKEN });
		const reply = await api.hello({ agentVersion: '1', protocol: 1, routers: [] });
		expect(reply.routers).toEqual([{ id: 'r1', name: 'torre' }]);
		expect(seen[0]).toMatchObject({
			method: 'POST',
			url: '/api/agent/hello',
			auth: `Bearer ${TOKEN}`
		});
		expect(JSON.parse(seen[0].body)).toEqual({ agentVersion: '1', protocol: 1, routers: [] });
	});

	it('keeps good jobs, answers bad ones by id and counts unanswerable ones', async () => {
		const good = {
			id: 'j1',
			routerId: 'r1',
			kind: 'session.kick',
			payload: { name: 'x' },
			attempts: 1,
			leaseUntil: '2025-01-01T00:00:00.000Z'
		};
		const url = await serve({
			status: 200,
			body: JSON.stringify({ jobs: [good, { id: 'j2', kind: 'ping' }, { nope: 1 }, null] })
		});
		const api = createAgentApi({ serverUrl: url, token: TOKEN });
		expect(await api.jobs(25)).toEqual({ jobs: [good], invalid: ['j2'], malformed: 2 });
		expect(seen[0].url).toBe('/api/agent/jobs?wait=25');
	});

	it('maps failures: 401, wire errors, non-JSON errors, bad shapes, no server', async () => {
		const url = await serve((path) => {
			if (path.includes('hello')) {
				return { status: 401, body: '{"error":{"code":"unauthorized","message":"no"}}' };
			}
			if (path.includes('status')) return { status: 502, body: '<html>Bad gateway</html>' };
			if (path.includes('result')) {
				return { status: 404, body: '{"error":{"code":"not-found","message":"gone"}}' };
			}
			return { status: 200, body: '{"jobs": "nope"}' };
		});
		const api = createAgentApi({ serverUrl: url, token: TOKEN });
		const denied = await failure(api.hello({ agentVersion: '1', protocol: 1, routers: [] }));
		expect(denied).toBeInstanceOf(TokenRejectedError);
		expect(denied).toMatchObject({ status: 401, code: 'unauthorized' });
		const gone = await failure(api.result('j/1', { ok: true, final: true }));
		expect(gone).toBeInstanceOf(ServerHttpError);
		expect(gone).toMatchObject({ status: 404, code: 'not-found' });
		expect(seen.find((s) => s.url?.includes('result'))?.url).toBe('/api/agent/jobs/j%2F1/result');
		const gateway = await failure(api.status({ routers: [] }));
		expect(gateway).toMatchObject({ status: 502, code: undefined });
		const shape = await failure(api.jobs(1));
		expect(shape).toMatchObject({ code: 'bad-reply' });
		for (const e of [denied, gone, gateway, shape]) expect(e.message).not.toContain(TOKEN);

		// A port that was free a moment ago: nothing listens there now.
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const nowhere = createAgentApi({ serverUrl: `http://127.0.0.1:${port}`, token: TOKEN });
		const refused = await failure(nowhere.jobs(1));
		expect(refused).toBeInstanceOf(ServerUnreachableError);
		expect(refused.message).toBe('GET /api/agent/jobs?wait=1: ECONNREFUSED');
	});

	it('gives up on a server that never answers, and lets the caller abort', async () => {
		const server = http.createServer(() => undefined);
		servers.push(server);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const api = createAgentApi({ serverUrl: url, token: TOKEN, requestTimeoutMs: 200 });
		const slow = await failure(api.status({ routers: [] }));
		expect(slow).toBeInstanceOf(ServerUnreachableError);
		expect(slow.message).toBe('POST /api/agent/status: no answer within 200 ms');
		const controller = new AbortController();
		const polling = failure(api.jobs(25, controller.signal));
		controller.abort();
		expect(await polling).not.toBeInstanceOf(ServerUnreachableError);
	});
});
