import { PPPOE_USERNAME, isProvisionalCode, type PppoeAccount } from '@enlace/shared';

/**
 * A PPPoE user from the customer code: `C00012` → `c00012`. Provisional codes (a customer made
 * offline) still give a usable name; the technician may keep it or type another.
 */
export function suggestUsername(code: string | undefined): string {
	if (!code) return '';
	const base = (isProvisionalCode(code) ? code.replace(/^PROV-/, 'p') : code)
		.toLowerCase()
		.replace(/[^a-z0-9._@-]/g, '');
	return PPPOE_USERNAME.test(base) ? base : '';
}

/** The form of the tab; strings for inputs. */
export type AccountDraft = {
	routerId: string;
	username: string;
	password: string;
	tariffId: string;
	staticOn: boolean;
	staticIp: string;
};

export function draftOf(
	account: PppoeAccount | undefined,
	defaults: { routerId?: string; username?: string; tariffId?: string }
): AccountDraft {
	return {
		routerId: account?.routerId ?? defaults.routerId ?? '',
		username: account?.username ?? defaults.username ?? '',
		password: account?.password ?? '',
		tariffId: account?.tariffId ?? defaults.tariffId ?? '',
		staticOn: !!account?.staticIp,
		staticIp: account?.staticIp ?? ''
	};
}

/** `pppoe.save` arguments: the whole desired state; cleared tariff and static IP go as null. */
export function saveArgs(id: string, customerId: string, d: AccountDraft) {
	return {
		id,
		customerId,
		routerId: d.routerId,
		username: d.username.trim(),
		password: d.password,
		// null: no tariff (the router's default profile); leaving it out would keep the old one.
		tariffId: d.tariffId || null,
		staticIp: d.staticOn ? d.staticIp.trim() : null
	};
}

export const sameDraft = (a: AccountDraft, b: AccountDraft) =>
	a.routerId === b.routerId &&
	a.username === b.username &&
	a.password === b.password &&
	a.tariffId === b.tariffId &&
	a.staticOn === b.staticOn &&
	(!a.staticOn || a.staticIp === b.staticIp);
