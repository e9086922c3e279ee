import { getMutator, parseOrThrow } from '@enlace/shared';
import { drafts } from '$lib/forms';

type Row = Record<string, unknown> & { id: string };
type Saved = { customerId: string; rows: Record<string, Row[]> };

/**
 * Addresses and contact people typed in the create form, before the customer exists: kept here
 * (and on the device, with the form's draft), checked by their own mutators' schemas as they are
 * added, and sent right after `customer.create` in the same save — one round, not three.
 */
export class PendingRows {
	/** The id the new customer will have: the queued rows already point at it. */
	readonly customerId: string;
	rows = $state<Record<string, Row[]>>({});

	constructor(private readonly key: string) {
		const saved = drafts.load<Saved>(key);
		this.customerId = saved?.customerId ?? crypto.randomUUID();
		this.rows = saved?.rows ?? {};
	}

	list<T>(entity: string): T[] {
		return (this.rows[entity] ?? []) as unknown as T[];
	}

	get count() {
		return Object.values(this.rows).reduce((n, list) => n + list.length, 0);
	}

	/** Takes a row editor's mutation: a create, an update (a patch) or a delete of a queued row. */
	async mutate(name: string, args: unknown): Promise<void> {
		const [entity, op] = name.split('.');
		let list = [...(this.rows[entity] ?? [])];
		if (op === 'create') {
			list.push(parseOrThrow(getMutator(name).args, args) as Row);
		} else if (op === 'update') {
			const { id, patch } = args as { id: string; patch: Record<string, unknown> };
			const i = list.findIndex((r) => r.id === id);
			if (i < 0) return;
			const next: Row = { ...list[i] };
			for (const [k, v] of Object.entries(patch)) {
				if (v === null) delete next[k];
				else next[k] = v;
			}
			list[i] = parseOrThrow(getMutator(`${entity}.create`).args, next) as Row;
		} else if (op === 'delete') {
			list = list.filter((r) => r.id !== (args as { id: string }).id);
		}
		this.rows = { ...this.rows, [entity]: list };
		drafts.save(this.key, { customerId: this.customerId, rows: $state.snapshot(this.rows) });
	}

	/** The creates to send once the customer exists, entity by entity in the order typed. */
	creates(): { name: string; args: Row }[] {
		return Object.entries(this.rows).flatMap(([entity, list]) =>
			list.map((args) => ({ name: `${entity}.create`, args }))
		);
	}

	clear() {
		this.rows = {};
		drafts.clear(this.key);
	}
}
