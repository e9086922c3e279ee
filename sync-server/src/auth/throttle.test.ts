import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './throttle';

describe('LoginThrottle', () => {
	const make = () => {
		let now = 1_000_000;
		const throttle = new LoginThrottle({ perAccount: 3, perIp: 5, windowMs: 60_000 }, () => now);
		return { throttle, advance: (ms: number) => (now += ms) };
	};

	it('makes an account wait out the rest of its window after too many failures', () => {
		const { throttle, advance } = make();
		for (let i = 0; i < 3; i++) {
			expect(throttle.retryAfter('1.1.1.1', 'Ana@x.es')).toBe(0);
			throttle.failed('1.1.1.1', 'Ana@x.es');
		}
		advance(20_000);
		// The same account from elsewhere, with its email written another way, waits too.
		expect(throttle.retryAfter('2.2.2.2', ' ana@X.es ')).toBe(40);
		expect(throttle.retryAfter('1.1.1.1', 'otra@x.es')).toBe(0);
		advance(40_000);
		expect(throttle.retryAfter('2.2.2.2', 'ana@x.es')).toBe(0);
	});

	it('counts an address over every account, and a success forgives only the account', () => {
		const { throttle } = make();
		for (let i = 0; i < 2; i++) throttle.failed('1.1.1.1', 'ana@x.es');
		throttle.succeeded('ana@x.es');
		for (let i = 0; i < 2; i++) throttle.failed('1.1.1.1', 'ana@x.es');
		expect(throttle.retryAfter('1.1.1.1', 'ana@x.es')).toBe(0);
		throttle.failed('1.1.1.1', 'luis@x.es');
		expect(throttle.retryAfter('1.1.1.1', 'nadie@x.es')).toBe(60);
		expect(throttle.retryAfter('3.3.3.3', 'ana@x.es')).toBe(0);
	});
});
