import type { HistoryEntry } from '@enlace/shared';
import { db } from '$lib/app.svelte';
import { fmtDate } from '$lib/i18n/index.svelte';
import { live } from '$lib/live.svelte';
import { useSettings } from '$lib/settings.svelte';
import { scalarText } from './audit-text';
import { NO_VALUE } from './history-text';

// Fields that point at users; the other `…Id` fields point at settings.
const USER_FIELDS = new Set(['salespersonId', 'ownerId', 'userId']);
// Fields that point at the customer's own rows or the tariff catalogue, named from `refs`.
const REF_FIELDS = new Set([
	'tariffId',
	'contractId',
	'addressId',
	'pppoeAccountId',
	'paymentMethodId'
]);

/**
 * How an automatic Historial line's values read: settings and users by name, dates and cents as
 * a person writes them. Used by Historial and by the customer's Resumen (its last lines).
 */
export function useHistoryView(customerId: () => string) {
	const settings = useSettings();
	const users = live(() => db.user.toArray());
	/** Names of the rows the customer file's references point at (tariffs, contracts…). */
	const refs = live(async () => {
		const id = customerId();
		const of = (e: 'contract' | 'address' | 'pppoeAccount' | 'paymentMethod') =>
			db.table(e).where('customerId').equals(id).toArray();
		const [tariffs, contracts, addresses, accounts, methods, assignments] = await Promise.all([
			db.tariff.toArray(),
			of('contract'),
			of('address'),
			of('pppoeAccount'),
			of('paymentMethod'),
			db.tariffAssignment.where('customerId').equals(id).toArray()
		]);
		const names = new Map<string, string>();
		for (const r of [...tariffs, ...contracts]) names.set(r.id, r.name);
		for (const m of methods) names.set(m.id, m.name || settings.name(m.typeId));
		for (const a of addresses) names.set(a.id, a.street);
		for (const a of accounts) names.set(a.id, a.username);
		for (const a of assignments) {
			const tariff = names.get(a.tariffId);
			if (tariff) names.set(a.id, `${tariff} · ${names.get(a.contractId) ?? ''}`);
		}
		return names;
	}, customerId);
	// An actuación has no name: while it exists, say what it is now (type and comment).
	const actions = live(
		() => db.opportunityAction.where('customerId').equals(customerId()).toArray(),
		customerId
	);

	return {
		settings,
		get users() {
			return users.current ?? [];
		},
		/** A value as it reads: names for settings and users, dates, cents as euros. */
		show(field: string | undefined, v: string | null | undefined): string {
			if (v === null || v === undefined || v === '') return NO_VALUE;
			if (field && USER_FIELDS.has(field)) return users.current?.find((u) => u.id === v)?.name ?? v;
			if (field && REF_FIELDS.has(field)) return refs.current?.get(v) ?? NO_VALUE;
			if (field?.endsWith('Id') && field !== 'entityId') return settings.name(v);
			if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
			return field ? scalarText(field, v) : v;
		},
		/** What a line about a whole row (created, deleted) says. */
		summary(h: HistoryEntry): string {
			const v = h.newValue ?? h.oldValue ?? '';
			if (h.entity === 'tariffAssignment') return refs.current?.get(h.entityId ?? '') ?? v;
			if (h.entity !== 'opportunityAction') return v;
			const a = actions.current?.find((x) => x.id === h.entityId);
			return a ? `${settings.name(a.actionTypeId)} · ${a.comment.slice(0, 120)}` : v;
		}
	};
}

export type HistoryView = ReturnType<typeof useHistoryView>;
