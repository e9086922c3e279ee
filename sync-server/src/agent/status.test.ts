import { describe, expect, it } from 'vitest';
import { cmiStatusId, routerIdFor } from './ids';
import { uptimeSeconds } from './status';

describe('uptimeSeconds', () => {
	it('reads RouterOS 7 and RouterOS 6 uptimes, and nothing else', () => {
		expect(uptimeSeconds('1w2d3h4m5s')).toBe(((9 * 24 + 3) * 60 + 4) * 60 + 5);
		expect(uptimeSeconds('4m')).toBe(240);
		expect(uptimeSeconds('1d03:04:05')).toBe(((24 + 3) * 60 + 4) * 60 + 5);
		expect(uptimeSeconds('00:01:02')).toBe(62);
		for (const bad of [undefined, '', 'abc', '5', '1h2x', '1:2']) {
			expect(uptimeSeconds(bad)).toBeUndefined();
		}
	});
});

describe('ids', () => {
	it('derive a stable UUID-shaped router id per agent and name', () => {
		const id = routerIdFor('agent-1', 'core');
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(routerIdFor('agent-1', 'core')).toBe(id);
		expect(routerIdFor('agent-2', 'core')).not.toBe(id);
		expect(routerIdFor('agent-1', 'edge')).not.toBe(id);
	});

	it('keep cmiStatus ids within 64 characters, distinct per name', () => {
		const routerId = routerIdFor('agent-1', 'core');
		expect(cmiStatusId(routerId, 'ana')).toBe(`${routerId}:ana`);
		const long = cmiStatusId(routerId, 'x'.repeat(64));
		expect(long).toHaveLength(64);
		expect(long.startsWith(`${routerId}:#`)).toBe(true);
		expect(cmiStatusId(routerId, 'y'.repeat(64))).not.toBe(long);
	});
});
