/**
 * `pool.ensure` { name, ranges } and `pool.remove` { name }: the IP pools behind the profiles
 * (one of them the offline pool). Pools go before profiles and secrets; the server orders the
 * jobs, this queue keeps the order.
 */
import { JobPayloads } from '@enlace/shared/protocol/agent';
import { defineHandler, findByName, isTrap, removeIfPresent } from './types';

const MENU = '/ip/pool';

/** `10.0.0.2-10.0.0.9, 10.0.1.0/24` and `10.0.0.2-10.0.0.9,10.0.1.0/24` are the same pool. */
export const normalizeRanges = (ranges: string): string =>
	ranges
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)
		.join(',');

export const poolEnsure = defineHandler({
	payload: JobPayloads.poolEnsure,
	async run({ ros }, p) {
		const ranges = normalizeRanges(p.ranges);
		let row = await findByName(ros, MENU, p.name, ['ranges']);
		if (!row) {
			try {
				await ros.add(MENU, { name: p.name, ranges });
				return { action: 'added' };
			} catch (error) {
				if (!isTrap(error, 'already have such name')) throw error;
				row = await findByName(ros, MENU, p.name, ['ranges']);
				if (!row) throw error;
			}
		}
		if (normalizeRanges(row.ranges ?? '') === ranges) return { action: 'unchanged' };
		await ros.set(MENU, row['.id'], { ranges });
		return { action: 'updated' };
	}
});

export const poolRemove = defineHandler({
	payload: JobPayloads.name,
	async run({ ros }, { name }) {
		const row = await findByName(ros, MENU, name, []);
		const removed = row ? await removeIfPresent(ros, MENU, row['.id']) : false;
		return { removed };
	}
});
