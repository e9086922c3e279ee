import { describe, expect, it } from 'vitest';
import { Backoff, CircuitBreaker, sleep } from './backoff';

describe('Backoff', () => {
	it('doubles from 1 s up to 60 s without jitter', () => {
		const b = new Backoff({ jitter: 0 });
		const delays = Array.from({ length: 9 }, () => b.next());
		expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
		b.reset();
		expect(b.next()).toBe(1000);
	});

	it('draws each delay from [d·(1 − jitter), d]', () => {
		expect(new Backoff({ random: () => 0 }).next()).toBe(1000);
		expect(new Backoff({ random: () => 1 }).next()).toBe(750);
		const b = new Backoff();
		for (let i = 0; i < 200; i++) {
			const d = b.next();
			const ceiling = Math.min(60_000, 1000 * 2 ** i);
			expect(d).toBeGreaterThanOrEqual(ceiling * 0.75);
			expect(d).toBeLessThanOrEqual(ceiling);
		}
	});
});

describe('CircuitBreaker', () => {
	it('opens after the threshold, paces attempts, and closes on success', () => {
		let now = 10_000;
		const breaker = new CircuitBreaker({ jitter: 0, failureThreshold: 3, now: () => now });
		expect(breaker.state).toBe('closed');
		expect(breaker.waitMs()).toBe(0);
		expect(breaker.failure()).toBe(1000);
		expect(breaker.failure()).toBe(2000);
		expect(breaker.state).toBe('closed');
		expect(breaker.failure()).toBe(4000);
		expect(breaker.state).toBe('open');
		expect(breaker.waitMs()).toBe(4000);
		now += 4000;
		expect(breaker.waitMs()).toBe(0);
		breaker.success();
		expect(breaker.state).toBe('closed');
		expect(breaker.failures).toBe(0);
		expect(breaker.failure()).toBe(1000);
	});
});

describe('sleep', () => {
	it('ends early when aborted', async () => {
		const controller = new AbortController();
		const t0 = Date.now();
		const slept = sleep(10_000, controller.signal);
		controller.abort();
		await slept;
		expect(Date.now() - t0).toBeLessThan(1000);
	});
});
