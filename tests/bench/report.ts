export type Figures = Record<string, number>;

/** The value below which p % of the samples fall (the nearest rank). */
export const percentile = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export const median = (xs: number[]) => percentile(xs, 50);

export type Row = {
	what: string;
	value: string;
	baseline?: string;
	ratio?: string;
	target?: string;
	ok?: boolean;
};

export function printTable(title: string, rows: Row[]) {
	const cols: (keyof Row)[] = ['what', 'value', 'baseline', 'ratio', 'target'];
	const head = ['measure', 'value', 'baseline (same run)', 'ratio', 'target'];
	const cells = rows.map((r) =>
		cols.map((c) =>
			c === 'target' && r.target ? `${r.target} ${r.ok ? '✓' : '✗'}` : String(r[c] ?? '')
		)
	);
	const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
	const line = (xs: string[]) => '| ' + xs.map((x, i) => x.padEnd(widths[i])).join(' | ') + ' |';
	console.log(`\n${title}`);
	console.log(line(head));
	console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
	for (const c of cells) console.log(line(c));
}
