/**
 * The agent's side of shared/src/protocol/agent.ts over HTTP. Every failure becomes one of three
 * errors so the loops in runner.ts can decide without parsing text: the server could not be
 * reached (retry), it rejected the token (log "token rejected", retry slowly), or it answered
 * with an HTTP error (`ServerHttpError`, with the wire `{error: {code}}` when there is one).
 */
import { z } from 'zod';
import {
	AgentHelloReply,
	AgentJobResultsReply,
	ReceivedAgentJob,
	type AgentHello,
	type AgentJobResult,
	type AgentJobResults,
	type AgentStatus
} from '@enlace/shared/protocol/agent';

export class ServerUnreachableError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'ServerUnreachableError';
	}
}

export class ServerHttpError extends Error {
	readonly status: number;
	/** The kebab-case code of a `{error: {code, message}}` body, when the server sent one. */
	readonly code: string | undefined;

	constructor(status: number, code: string | undefined, message: string) {
		super(message);
		this.name = 'ServerHttpError';
		this.status = status;
		this.code = code;
	}
}

/** 401/403: the token is unknown, revoked or not an agent token. */
export class TokenRejectedError extends ServerHttpError {
	constructor(status: number, code: string | undefined, message: string) {
		super(status, code, message);
		this.name = 'TokenRejectedError';
	}
}

/** The envelope only: its jobs are checked one by one (ReceivedAgentJob). */
const JobsReply = z.object({ jobs: z.array(z.unknown()) });

/** An older server may answer without `unknown`: then nothing was refused. */
const ResultsReply = z.object({ unknown: AgentJobResultsReply.shape.unknown.catch([]) });

const WireError = z.object({
	error: z.object({ code: z.string().optional(), message: z.string().optional() })
});

export type ReceivedJob = ReceivedAgentJob;

export type JobsPoll = {
	jobs: ReceivedJob[];
	/** Ids of entries that are not well-formed jobs: answered as failed, never run. */
	invalid: string[];
	/** Entries without even an id: nothing can be answered for them. */
	malformed: number;
};

export type AgentApiOptions = {
	serverUrl: string;
	token: string;
	/** Deadline of ordinary requests (default 15 s); the long poll gets its wait on top. */
	requestTimeoutMs?: number;
	fetch?: typeof fetch;
};

export type AgentApi = {
	hello(body: AgentHello, signal?: AbortSignal): Promise<AgentHelloReply>;
	/**
	 * Long poll: resolves after at most about `waitSeconds` with the claimed jobs (maybe none);
	 * up to `max` consecutive jobs per router (default 1, as the server's default).
	 */
	jobs(waitSeconds: number, signal?: AbortSignal, max?: number): Promise<JobsPoll>;
	result(jobId: string, body: AgentJobResult, signal?: AbortSignal): Promise<void>;
	/**
	 * Several results in one post; resolves with the ids the server does not know as this
	 * agent's jobs. A server without the batch endpoint answers `ServerHttpError` 404.
	 */
	results(items: AgentJobResults['results'], signal?: AbortSignal): Promise<{ unknown: string[] }>;
	status(body: AgentStatus, signal?: AbortSignal): Promise<void>;
};

export function createAgentApi(options: AgentApiOptions): AgentApi {
	const base = options.serverUrl.replace(/\/+$/, '');
	const doFetch = options.fetch ?? fetch;
	const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;

	async function request(
		method: 'GET' | 'POST',
		path: string,
		body: unknown,
		timeoutMs: number,
		signal: AbortSignal | undefined
	): Promise<unknown> {
		const timeout = AbortSignal.timeout(timeoutMs);
		const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
		const headers: Record<string, string> = {
			authorization: `Bearer ${options.token}`,
			accept: 'application/json'
		};
		if (body !== undefined) headers['content-type'] = 'application/json';
		let res: Response;
		let text: string;
		try {
			res = await doFetch(base + path, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: combined
			});
			text = await res.text();
		} catch (error) {
			if (signal?.aborted) throw error;
			const reason = timeout.aborted
				? `no answer within ${timeoutMs} ms`
				: describeFetchError(error);
			throw new ServerUnreachableError(`${method} ${path}: ${reason}`, { cause: error });
		}
		let parsed: unknown = undefined;
		if (text) {
			try {
				parsed = JSON.parse(text);
			} catch {
				// A proxy's HTML error page or a truncated body: reported below by status or shape.
				parsed = undefined;
			}
		}
		if (!res.ok) {
			const wire = WireError.safeParse(parsed);
			const code = wire.success ? wire.data.error.code : undefined;
			const detail = wire.success ? (wire.data.error.message ?? code) : res.statusText;
			const message = `${method} ${path}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`;
			if (res.status === 401 || res.status === 403) {
				throw new TokenRejectedError(res.status, code, message);
			}
			throw new ServerHttpError(res.status, code, message);
		}
		return parsed;
	}

	function shape<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
		const result = schema.safeParse(value);
		if (!result.success) {
			throw new ServerHttpError(200, 'bad-reply', `${what}: unexpected reply from the server`);
		}
		return result.data;
	}

	return {
		async hello(body, signal) {
			const reply = await request('POST', '/api/agent/hello', body, requestTimeoutMs, signal);
			return shape(AgentHelloReply, reply, 'hello');
		},
		async jobs(waitSeconds, signal, max = 1) {
			const reply = await request(
				'GET',
				`/api/agent/jobs?wait=${waitSeconds}${max > 1 ? `&max=${max}` : ''}`,
				undefined,
				waitSeconds * 1000 + requestTimeoutMs,
				signal
			);
			const { jobs: entries } = shape(JobsReply, reply, 'jobs');
			const jobs: ReceivedJob[] = [];
			const invalid: string[] = [];
			let malformed = 0;
			for (const entry of entries) {
				const job = ReceivedAgentJob.safeParse(entry);
				if (job.success) jobs.push(job.data);
				else {
					const id = (entry as { id?: unknown } | null)?.id;
					if (typeof id === 'string' && id !== '') invalid.push(id);
					else malformed += 1;
				}
			}
			return { jobs, invalid, malformed };
		},
		async result(jobId, body, signal) {
			await request(
				'POST',
				`/api/agent/jobs/${encodeURIComponent(jobId)}/result`,
				body,
				requestTimeoutMs,
				signal
			);
		},
		async results(items, signal) {
			const body: AgentJobResults = { results: items };
			const reply = await request('POST', '/api/agent/results', body, requestTimeoutMs, signal);
			return ResultsReply.safeParse(reply).data ?? { unknown: [] };
		},
		async status(body, signal) {
			await request('POST', '/api/agent/status', body, requestTimeoutMs, signal);
		}
	};
}

/** undici hides the useful part (ECONNREFUSED, ECONNRESET) in `cause`. */
function describeFetchError(error: unknown): string {
	const cause = (error as { cause?: unknown }).cause;
	const code = (cause as NodeJS.ErrnoException | undefined)?.code;
	if (code) return code;
	if (cause instanceof Error) return cause.message;
	return error instanceof Error ? error.message : String(error);
}
