import { describe, expect, it, vi } from 'vitest';
import type { ChangeNotice, SyncEngine } from './engine';
import { LazyEngine } from './lazy-engine';

/** A stand-in engine: records calls, lets the test fire its change and role notices. */
function fakeEngine() {
	const change = new Set<(n: ChangeNotice) => void>();
	const role = new Set<(r: 'admin' | 'office' | 'technician') => void>();
	const calls: unknown[][] = [];
	const engine = {
		onChange: (fn: (n: ChangeNotice) => void) => (change.add(fn), () => change.delete(fn)),
		onRole: (fn: (r: 'admin' | 'office' | 'technician') => void) => (
			role.add(fn),
			() => role.delete(fn)
		),
		mutate(this: unknown, ...a: unknown[]) {
			calls.push(['mutate', this === engine, ...a]);
			return Promise.resolve('m1');
		},
		pinned: () => Promise.resolve(['c1'])
	};
	return { engine: engine as unknown as SyncEngine, change, role, calls };
}

describe('LazyEngine', () => {
	it('loads nothing until a call; the call waits for the engine and runs on it', async () => {
		const f = fakeEngine();
		const make = vi.fn(() => Promise.resolve(f.engine));
		const lazy = new LazyEngine(make);
		expect(make).not.toHaveBeenCalled();
		expect(lazy.loaded).toBe(false);
		expect(await lazy.mutate('customer.create', { id: 'c1' })).toBe('m1');
		expect(f.calls).toEqual([['mutate', true, 'customer.create', { id: 'c1' }]]);
		expect(await lazy.pinned()).toEqual(['c1']);
		await lazy.load();
		expect(make).toHaveBeenCalledTimes(1);
	});

	it('hands the engine’s notices to listeners registered before it loaded, until they leave', async () => {
		const f = fakeEngine();
		const lazy = new LazyEngine(() => Promise.resolve(f.engine));
		const seen: number[] = [];
		const roles: string[] = [];
		const stop = lazy.onChange((n) => seen.push(n.rev));
		lazy.onRole((r) => roles.push(r));
		await lazy.load();
		const notice = (rev: number) => f.change.forEach((fn) => fn({ rev, changes: new Map() }));
		notice(1);
		f.role.forEach((fn) => fn('office'));
		stop();
		notice(2);
		expect(seen).toEqual([1]);
		expect(roles).toEqual(['office']);
	});

	it('a failed load fails the call that needed it; the next call loads again', async () => {
		const f = fakeEngine();
		const make = vi
			.fn<() => Promise<SyncEngine>>()
			.mockRejectedValueOnce(new Error('offline, not cached'))
			.mockResolvedValue(f.engine);
		const lazy = new LazyEngine(make);
		await expect(lazy.pinned()).rejects.toThrow('offline, not cached');
		expect(await lazy.pinned()).toEqual(['c1']);
		expect(make).toHaveBeenCalledTimes(2);
	});
});
