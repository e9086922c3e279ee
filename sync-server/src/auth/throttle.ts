/** Failed logins remembered at most, so a flood of addresses cannot grow memory without end. */
const MAX_KEYS = 100_000;

export type ThrottleLimits = {
	/** Wrong passwords for one email before its logins wait. */
	perAccount: number;
	/** Failed logins from one client address before its logins wait. */
	perIp: number;
	windowMs: number;
};

type Failures = { count: number; since: number };

/**
 * Failed logins per account and per client address, each counted for a window from its first
 * failure; past the limit, logins wait until that window ends, right password or not. In memory:
 * each server instance counts its own (a brute force spread over several instances is slowed by
 * each of them).
 */
export class LoginThrottle {
	// In order of `since`: a key whose window ended is deleted before it is counted again.
	private failures = new Map<string, Failures>();

	constructor(
		private readonly limits: ThrottleLimits,
		private readonly now: () => number = Date.now
	) {}

	/** Seconds to wait before this login may be tried, 0 if it may be now. */
	retryAfter(ip: string, email: string): number {
		return Math.max(
			this.wait(`ip ${ip}`, this.limits.perIp),
			this.wait(`account ${accountKey(email)}`, this.limits.perAccount)
		);
	}

	failed(ip: string, email: string): void {
		this.bump(`ip ${ip}`);
		this.bump(`account ${accountKey(email)}`);
	}

	/** A right password forgives the account's failures, not the address's. */
	succeeded(email: string): void {
		this.failures.delete(`account ${accountKey(email)}`);
	}

	private current(key: string): Failures | undefined {
		const f = this.failures.get(key);
		if (f && this.now() - f.since >= this.limits.windowMs) {
			this.failures.delete(key);
			return undefined;
		}
		return f;
	}

	private wait(key: string, max: number): number {
		const f = this.current(key);
		if (!f || f.count < max) return 0;
		return Math.max(1, Math.ceil((f.since + this.limits.windowMs - this.now()) / 1000));
	}

	private bump(key: string): void {
		const f = this.current(key);
		if (f) {
			f.count++;
			return;
		}
		this.sweep();
		this.failures.set(key, { count: 1, since: this.now() });
	}

	/** Drop the windows that ended (the oldest come first), and the oldest beyond MAX_KEYS. */
	private sweep(): void {
		for (const [key, f] of this.failures) {
			const ended = this.now() - f.since >= this.limits.windowMs;
			if (!ended && this.failures.size < MAX_KEYS) break;
			this.failures.delete(key);
		}
	}
}

const accountKey = (email: string) => email.trim().toLowerCase();
