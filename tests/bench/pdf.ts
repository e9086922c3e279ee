import { percentile, type Figures } from './report';
import { withBundledPage } from './sync';

const RUNS = Number(process.env.BENCH_PDF_RUNS ?? 50);
const LINES = 20;

type Times = { ms: number[]; size: number };
type Bench = {
	invoiceTimes(runs: number, lines: number): Promise<Times>;
	emptyTimes(runs: number): Promise<Times>;
};

/**
 * An issued invoice's PDF (20 lines, the VeriFactu QR, two pages) made in headless Chromium by the
 * app's helper, RUNS times after a warm-up, against an empty one-page PDF with the same fonts
 * made in the same page.
 */
export async function pdfBench(log: (s: string) => void): Promise<Figures> {
	return withBundledPage('pdf-entry.ts', log, async (page) => {
		const run = (kind: 'invoice' | 'empty', runs: number) =>
			page.evaluate(
				([kind, runs, lines]) => {
					const b = (window as never as { bench: Bench }).bench;
					return kind === 'invoice' ? b.invoiceTimes(runs, lines) : b.emptyTimes(runs);
				},
				[kind, runs, LINES] as const
			);
		// Warm-up: the first PDF loads pdf-lib's chunk and compiles it.
		await run('invoice', 3);
		await run('empty', 3);
		const empty = await run('empty', RUNS);
		const invoice = await run('invoice', RUNS);
		const p95 = percentile(invoice.ms, 95);
		const emptyP95 = percentile(empty.ms, 95);
		log(
			`  invoice p95 ${p95.toFixed(1)} ms (${invoice.size} bytes), empty page p95 ${emptyP95.toFixed(1)} ms`
		);
		return {
			'pdf.invoice.p50Ms': percentile(invoice.ms, 50),
			'pdf.invoice.p95Ms': p95,
			'pdf.empty.p95Ms': emptyP95,
			'pdf.invoiceToEmpty': p95 / emptyP95,
			'pdf.invoice.bytes': invoice.size,
			'pdf.runs': RUNS
		};
	});
}
