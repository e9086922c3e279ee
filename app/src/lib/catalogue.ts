/** Catalogue rows (tariffs, renewal packages): what settings list and what a form offers. */
type CatalogueRow = { id: string; name: string; active: boolean };

/** Settings' order: the ones still offered first, then by name. */
export const activeFirst = <T extends CatalogueRow>(rows: readonly T[]): T[] =>
	[...rows].sort(
		(a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'es')
	);

/** A form's choices by name: the ones offered, and the one already chosen even if it no longer is. */
export const offered = <T extends CatalogueRow>(rows: readonly T[], chosen?: string): T[] =>
	rows
		.filter((x) => x.active || x.id === chosen)
		.sort((a, b) => a.name.localeCompare(b.name, 'es'));
