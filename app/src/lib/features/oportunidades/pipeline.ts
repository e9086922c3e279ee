import type { Opportunity, Setting } from '@enlace/shared';

export type PipelineColumn = {
	/** The stage, or undefined for opportunities whose stage no longer exists. */
	stage: Setting | undefined;
	items: Opportunity[];
	count: number;
	totalCents: number;
};

export type Pipeline = {
	columns: PipelineColumn[];
	openCount: number;
	openTotalCents: number;
	/** The open total weighted by each opportunity's probability (no probability: counts 0). */
	weightedCents: number;
};

/** '' everyone, NO_OWNER those without one, otherwise a user id. */
export const NO_OWNER = '-';

const byCloseDate = (a: Opportunity, b: Opportunity) =>
	(a.expectedCloseDate ?? '9999').localeCompare(b.expectedCloseDate ?? '9999') ||
	a.title.localeCompare(b.title, 'es');

/**
 * The office-wide pipeline: one column per stage in the settings' order (inactive stages only
 * when they still hold opportunities), count and amount per column, and the open total — what
 * is not in a closed (won or lost) stage.
 */
export function buildPipeline(
	opportunities: readonly Opportunity[],
	stages: readonly Setting[],
	owner = ''
): Pipeline {
	const shown = opportunities.filter((o) =>
		!owner ? true : owner === NO_OWNER ? !o.ownerId : o.ownerId === owner
	);
	const byStage = new Map<string, Opportunity[]>();
	for (const o of shown) {
		if (!byStage.has(o.stageId)) byStage.set(o.stageId, []);
		byStage.get(o.stageId)!.push(o);
	}
	const ordered = [...stages].sort((a, b) => a.order - b.order);
	const known = new Set(ordered.map((s) => s.id));
	const column = (stage: Setting | undefined, items: Opportunity[]): PipelineColumn => ({
		stage,
		items: [...items].sort(byCloseDate),
		count: items.length,
		totalCents: items.reduce((sum, o) => sum + (o.amountCents ?? 0), 0)
	});
	const columns = ordered
		.filter((s) => s.active || byStage.has(s.id))
		.map((s) => column(s, byStage.get(s.id) ?? []));
	const orphans = shown.filter((o) => !known.has(o.stageId));
	if (orphans.length) columns.push(column(undefined, orphans));

	const closed = new Set(ordered.filter((s) => s.closed).map((s) => s.id));
	const open = shown.filter((o) => !closed.has(o.stageId));
	return {
		columns,
		openCount: open.length,
		openTotalCents: open.reduce((sum, o) => sum + (o.amountCents ?? 0), 0),
		weightedCents: Math.round(
			open.reduce((sum, o) => sum + ((o.amountCents ?? 0) * (o.probability ?? 0)) / 100, 0)
		)
	};
}
