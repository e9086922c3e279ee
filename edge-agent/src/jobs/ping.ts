/**
 * `ping` { address, count }: ping from the router (it sees the customer's side of the network) and
 * report the totals. Each `!re` carries running totals, so the last one is the summary
 * (docs/router-work.md › What the handlers send); lost probes carry `status=timeout` and no times.
 */
import { JobPayloads } from '@enlace/shared/protocol/agent';
import type { PingResult } from '@enlace/shared/schemas/router';
import { defineHandler } from './types';

const UNIT_MS: Record<string, number> = {
	w: 604_800_000,
	d: 86_400_000,
	h: 3_600_000,
	m: 60_000,
	s: 1000,
	ms: 1,
	us: 0.001,
	ns: 0.000_001
};

/**
 * RouterOS durations in milliseconds: `1ms`, `1ms520us` (v7), `1s200ms`, `00:00:01.5`; undefined
 * for anything else.
 */
export function parseDurationMs(text: string | undefined): number | undefined {
	if (!text) return undefined;
	const clock = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
	if (clock) {
		const [, h, m, s] = clock;
		return round(Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000);
	}
	const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|ns|w|d|h|m|s)/g)];
	if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
	return round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit], 0));
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

const int = (text: string | undefined): number | undefined => {
	const n = Number(text);
	return text !== undefined && text !== '' && Number.isFinite(n) ? n : undefined;
};

/** A real router waits `interval` (1 s) between probes; allow that plus the usual margin. */
const PROBE_INTERVAL_MS = 1000;

export const ping = defineHandler({
	payload: JobPayloads.ping,
	async run({ ros, commandTimeoutMs }, { address, count }): Promise<PingResult> {
		const { rows } = await ros.run(['/ping', `=address=${address}`, `=count=${count}`], {
			timeoutMs: count * PROBE_INTERVAL_MS + commandTimeoutMs
		});
		const last = rows.at(-1) ?? {};
		const sent = int(last.sent) ?? rows.length;
		const received = int(last.received) ?? rows.filter((r) => r.time !== undefined).length;
		const loss =
			int(last['packet-loss']) ?? (sent > 0 ? Math.round((100 * (sent - received)) / sent) : 100);
		const result: PingResult = { sent, received, loss };
		const rtt = {
			rttMinMs: parseDurationMs(last['min-rtt']),
			rttAvgMs: parseDurationMs(last['avg-rtt']),
			rttMaxMs: parseDurationMs(last['max-rtt'])
		};
		for (const [key, value] of Object.entries(rtt)) {
			if (value !== undefined) result[key as keyof typeof rtt] = value;
		}
		return result;
	}
});
