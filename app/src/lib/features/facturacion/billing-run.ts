import type { RunItem, RunStatus, RunSummary } from '@enlace/shared';

export type { RunStatus };

/** Facturación (docs/billing-run.md): what the screen gets from the server. */

export const BILLING_OFFLINE = 'La facturación';

export const PREVIEW_FILTERS = [
	{ id: 'all', label: 'Todas' },
	{ id: 'ready', label: 'Por emitir' },
	{ id: 'exceptions', label: 'Con incidencias' },
	{ id: 'issued', label: 'Emitidas' }
] as const;
export type PreviewFilter = (typeof PREVIEW_FILTERS)[number]['id'];

export type Preview = {
	period: string;
	issueDay: string;
	summary: RunSummary & { issued: number };
	run: RunStatus | null;
	filter: PreviewFilter;
	count: number;
	page: number;
	pages: number;
	items: (RunItem & { number?: string })[];
};

/** The month after `day` (YYYY-MM-DD), as YYYY-MM: the run an office usually prepares next. */
export function nextMonth(day: string): string {
	const y = Number(day.slice(0, 4));
	const m = Number(day.slice(5, 7));
	return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** dd/mm/yyyy of a YYYY-MM-DD. */
export const esDate = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** Percentage done of a run, 0–100. */
export const runPercent = (r: Pick<RunStatus, 'issued' | 'total'>) =>
	r.total ? Math.min(100, Math.round((r.issued / r.total) * 100)) : 100;

/** "Enviar facturas" of a run (docs/mail.md): the job's state and its mails in the outbox. */
export type RunMailStatus = {
	period: string;
	state: 'queuing' | 'queued' | 'failed';
	templateId: string | null;
	invoices: number;
	withoutEmail: number;
	queued: number;
	sending: number;
	sent: number;
	failed: number;
	error: string | null;
};

/** Still moving: mails being written, waiting in the outbox or being sent. */
export const runMailBusy = (m: RunMailStatus) => m.state === 'queuing' || m.queued + m.sending > 0;

/** Percentage of the run's mails done (sent or failed) of those with an address, 0–100. */
export function runMailPercent(m: RunMailStatus): number {
	const total = m.invoices - m.withoutEmail;
	return total > 0 ? Math.min(100, Math.round(((m.sent + m.failed) / total) * 100)) : 100;
}
