import type { Setting, SettingList } from '@enlace/shared';
import { db } from '$lib/app.svelte';
import { live } from '$lib/live.svelte';

/** Configuración › Parámetros, live: the lists by kind (ordered) and every row by id. */
export function useSettings() {
	const all = live(() => db.setting.toArray());
	const byId = $derived(new Map((all.current ?? []).map((s) => [s.id, s])));
	const lists = $derived.by(() => {
		const m = new Map<SettingList, Setting[]>();
		for (const s of [...(all.current ?? [])].sort((a, b) => a.order - b.order)) {
			if (!m.has(s.list)) m.set(s.list, []);
			m.get(s.list)!.push(s);
		}
		return m;
	});
	return {
		get loaded() {
			return all.loaded;
		},
		byId: (id?: string) => (id ? byId.get(id) : undefined),
		name: (id?: string) => (id ? (byId.get(id)?.name ?? '—') : ''),
		/** Active entries of a list, plus `keep` (the current value) even if it was deactivated. */
		options: (list: SettingList, keep?: string) =>
			(lists.get(list) ?? []).filter((s) => s.active || s.id === keep),
		all: (list: SettingList) => lists.get(list) ?? []
	};
}
