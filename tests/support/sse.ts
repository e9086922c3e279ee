// A minimal Server-Sent Events reader over fetch, for /api/sync/events.
import type { SeqEvent } from '@enlace/shared';

export type SseEvent = { event: string; data: string };

export type EventStream = {
	status: number;
	/** The next event, or a rejection after `timeoutMs`. */
	next(timeoutMs?: number): Promise<SseEvent>;
	/** Read events until a `seq` event carries at least `seq`; returns that seq. */
	untilSeq(seq: number, timeoutMs?: number): Promise<number>;
	close(): Promise<void>;
};

function parseBlock(block: string): SseEvent | undefined {
	let event = 'message';
	const data: string[] = [];
	for (const line of block.split('\n')) {
		if (line.startsWith('event:')) event = line.slice(6).trim();
		else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
	}
	return data.length || event !== 'message' ? { event, data: data.join('\n') } : undefined;
}

export async function openEvents(url: string, token: string): Promise<EventStream> {
	const abort = new AbortController();
	const res = await fetch(`${url}/api/sync/events`, {
		headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
		signal: abort.signal
	});
	if (!res.body) throw new Error(`no event stream (${res.status})`);
	const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
	const queue: SseEvent[] = [];
	let buffer = '';
	// One read at a time: a read left pending by a timeout is picked up by the next call.
	let pending: Promise<ReadableStreamReadResult<string>> | undefined;

	async function next(timeoutMs = 5000): Promise<SseEvent> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const ready = queue.shift();
			if (ready) return ready;
			pending ??= reader.read();
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<'timeout'>((resolve) => {
				timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
			});
			const r = await Promise.race([pending, timeout]);
			clearTimeout(timer);
			if (r === 'timeout') throw new Error(`no server-sent event within ${timeoutMs} ms`);
			pending = undefined;
			if (r.done) throw new Error('event stream ended');
			buffer += r.value.replace(/\r\n?/g, '\n');
			let end: number;
			while ((end = buffer.indexOf('\n\n')) >= 0) {
				const event = parseBlock(buffer.slice(0, end));
				buffer = buffer.slice(end + 2);
				if (event) queue.push(event);
			}
		}
	}

	return {
		status: res.status,
		next,
		async untilSeq(seq, timeoutMs = 5000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const e = await next(Math.max(1, deadline - Date.now()));
				if (e.event !== 'seq') continue;
				const got = (JSON.parse(e.data) as SeqEvent).seq;
				if (got >= seq) return got;
			}
		},
		async close() {
			abort.abort();
			await reader.cancel().catch(() => undefined);
		}
	};
}
