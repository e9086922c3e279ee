-- The billing run (docs/billing-run.md). One invoice per contract and month: a run done twice, or
-- by two server instances at once, can never invoice a contract twice for the same month.
CREATE UNIQUE INDEX records_document_billing_run ON records (
	json_extract(data, '$.billingRun.contractId'), json_extract(data, '$.billingRun.period'))
	WHERE entity = 'document';
-- A month's invoices (progress, the preview's "already issued").
CREATE INDEX records_document_billing_period ON records (json_extract(data, '$.billingRun.period'))
	WHERE entity = 'document';
-- A month's run and its progress: `issued` moves in the same transaction as the invoices it
-- counts, so it is exact whatever stops the server; a run left `running` is taken up again.
CREATE TABLE billing_runs (
	period TEXT PRIMARY KEY,
	state TEXT NOT NULL,
	total INTEGER NOT NULL,
	issued INTEGER NOT NULL,
	held INTEGER NOT NULL,
	total_cents INTEGER NOT NULL,
	started_at TEXT NOT NULL,
	started_by TEXT,
	updated_at TEXT NOT NULL,
	finished_at TEXT,
	error TEXT
);
