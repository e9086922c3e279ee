import { describe, expect, it } from 'vitest';
import type { PppoeAccount } from '@enlace/shared';
import { draftOf, sameDraft, saveArgs, suggestUsername } from './account';

describe('suggestUsername', () => {
	it('comes from the customer code', () => {
		expect(suggestUsername('C00012')).toBe('c00012');
		expect(suggestUsername('PROV-AB12CD')).toBe('pab12cd');
		expect(suggestUsername(undefined)).toBe('');
		expect(suggestUsername('C')).toBe('');
	});
});

describe('saveArgs', () => {
	// What the office wants on the router; profile and offline are what the router reports back.
	const desired = {
		id: 'a1',
		customerId: 'c1',
		routerId: 'r1',
		username: 'c00012',
		password: 'secreto1',
		tariffId: 't1',
		staticIp: '100.64.10.50'
	};
	const account: PppoeAccount = { ...desired, profile: 'enlace-fibra', offline: false };

	it('sends the whole desired state', () => {
		expect(saveArgs('a1', 'c1', draftOf(account, {}))).toEqual(desired);
	});
	it('clears the tariff and the static IP with null, not by leaving them out', () => {
		const d = { ...draftOf(account, {}), tariffId: '', staticOn: false };
		const args = saveArgs('a1', 'c1', d);
		expect(args.tariffId).toBeNull();
		expect(args.staticIp).toBeNull();
	});
	it('a new account starts from the defaults', () => {
		const d = draftOf(undefined, { routerId: 'r1', username: 'c00012' });
		expect(d).toMatchObject({ routerId: 'r1', username: 'c00012', password: '', staticOn: false });
		expect(sameDraft(d, { ...d, staticIp: 'ignored while off' })).toBe(true);
		expect(sameDraft(d, { ...d, password: 'x' })).toBe(false);
	});
});
