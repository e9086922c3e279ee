import {
	PROTOCOL_HEADER,
	PROTOCOL_VERSION,
	type EntityName,
	type OlderPage,
	type PullResponse,
	type PushRequest,
	type WireError
} from '@enlace/shared';
import type { PushReply, Transport } from './engine';

/** The server answered with an error for the whole request. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly error: WireError
	) {
		super(error.message);
	}
}

async function errorOf(res: Response): Promise<WireError> {
	try {
		const body = (await res.json()) as { error?: WireError };
		if (body.error) return body.error;
	} catch {
		// not JSON: fall through to a generic message
	}
	return {
		code: res.status === 401 ? 'unauthorized' : 'internal',
		message: `Error del servidor (${res.status})`
	};
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
	const res = await fetch(path, {
		...init,
		credentials: 'same-origin',
		headers: {
			'content-type': 'application/json',
			[PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
			...(init.headers ?? {})
		}
	});
	if (!res.ok) throw new HttpError(res.status, await errorOf(res));
	return (await res.json()) as T;
}

export const httpTransport = (base = ''): Transport => ({
	async push(req: PushRequest): Promise<PushReply> {
		const res = await fetch(`${base}/api/sync/push`, {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
			body: JSON.stringify(req)
		});
		// 200 and 400 both carry per-mutation results; anything else is a failure of the whole push.
		const body = (await res.json().catch(() => null)) as PushReply['body'] | null;
		if (body && 'results' in body) return { status: res.status, body };
		throw new HttpError(res.status, body && 'error' in body ? body.error : await errorOf(res));
	},
	async pull(
		since: number,
		limit: number,
		access?: string,
		pinned: string[] = []
	): Promise<PullResponse> {
		const scope = access === undefined ? '' : `&access=${encodeURIComponent(access)}`;
		const pins = pinned.length ? `&pinned=${pinned.map(encodeURIComponent).join(',')}` : '';
		return api<PullResponse>(`${base}/api/sync/pull?since=${since}&limit=${limit}${scope}${pins}`);
	},
	async older(entity: EntityName, customerId: string, before?: string): Promise<OlderPage> {
		const q = new URLSearchParams({ entity, customerId, ...(before ? { before } : {}) });
		return api<OlderPage>(`${base}/api/sync/older?${q}`);
	}
});
