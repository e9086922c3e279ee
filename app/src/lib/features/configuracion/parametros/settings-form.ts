import { stateServiceOf, type Setting, type SettingList, type StateService } from '@enlace/shared';
import type { RowCheck } from '../../../forms/validate';
import { t } from '$lib/i18n/index.svelte';

/** The form of one value of a Parámetros list; `list` says which list it belongs to. */
export type SettingDraft = {
	list: SettingList;
	name: string;
	color: string;
	active: boolean;
	usesBank: boolean;
	isWallet: boolean;
	closed: '' | 'won' | 'lost';
	/** Customer states: what the state does to the service, and after how many days a baja removes the secret. */
	service: StateService;
	removeSecretAfterDays: string;
};

/** Lists whose values carry a colour (shown as a badge wherever the value is shown). */
export const COLORED_LISTS: readonly SettingList[] = ['customerState', 'opportunityStage'];

export const COLOR_LABELS: Record<string, string> = {
	green: 'Verde',
	red: 'Rojo',
	orange: 'Naranja',
	blue: 'Azul',
	grey: 'Gris'
};

/** Every field a value may have; each list uses `keysOf(list)` of them. */
export const SETTING_KEYS = [
	'name',
	'active',
	'color',
	'usesBank',
	'isWallet',
	'closed',
	'service',
	'removeSecretAfterDays'
] as const;

/** The fields of a value that a list uses: name and active, and its own extras. */
export function keysOf(list: SettingList): string[] {
	const keys = ['name', 'active'];
	if (COLORED_LISTS.includes(list)) keys.push('color');
	if (list === 'paymentMethodType') keys.push('usesBank', 'isWallet');
	if (list === 'opportunityStage') keys.push('closed');
	if (list === 'customerState') keys.push('service', 'removeSecretAfterDays');
	return keys;
}

export function settingDraft(row: Setting | undefined, list: SettingList): SettingDraft {
	return {
		list,
		name: row?.name ?? '',
		color: row?.color ?? (COLORED_LISTS.includes(list) ? 'blue' : ''),
		active: row?.active ?? true,
		usesBank: row?.usesBank ?? false,
		isWallet: row?.isWallet ?? false,
		closed: row?.closed ?? '',
		service: stateServiceOf(row),
		removeSecretAfterDays: String(row?.removeSecretAfterDays ?? 0)
	};
}

/**
 * The draft as the value's fields (only those of its list), or the error of a name already in
 * the list (case and spaces aside): two «Alta» in one list cannot be told apart in a form.
 */
export function settingRow(d: SettingDraft, id: string, rows: readonly Setting[]): RowCheck {
	const name = d.name.trim();
	const twin = rows.find((s) => s.id !== id && s.name.trim().toLowerCase() === name.toLowerCase());
	if (name && twin)
		return { errors: { name: t('Ya existe «{name}» en esta lista', { name: twin.name }) } };
	const days = d.removeSecretAfterDays.trim();
	const removeSecretAfterDays = /^\d{1,3}$/.test(days) ? Number(days) : NaN;
	if (d.list === 'customerState' && d.service === 'baja' && !(removeSecretAfterDays <= 365))
		return {
			errors: {
				removeSecretAfterDays: t('Escriba un número de días entre 0 y 365 (0: en el acto)')
			}
		};
	const values: Record<string, unknown> = {
		...d,
		name,
		// Only a baja removes secrets; other states keep no number of days.
		removeSecretAfterDays: d.service === 'baja' ? removeSecretAfterDays : undefined
	};
	return {
		row: Object.fromEntries(
			keysOf(d.list)
				.filter((k) => values[k] !== undefined)
				.map((k) => [k, values[k]])
		)
	};
}

/** A new value goes to the end of its list. */
export const nextOrder = (rows: readonly Setting[]) =>
	rows.length ? Math.max(...rows.map((s) => s.order)) + 1 : 0;
