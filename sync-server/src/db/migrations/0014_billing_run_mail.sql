-- "Enviar facturas" of a month's billing run (docs/mail.md): the job that writes one mail per
-- invoice into the outbox. Each mail's row id is made from its invoice's id, so the records'
-- primary key holds one mail per invoice whatever runs it again; this table keeps the job's state
-- (a job left `queuing` is taken up at the next start) and the invoices without an address.
CREATE TABLE billing_run_mail (
	period TEXT PRIMARY KEY,
	state TEXT NOT NULL,
	template_id TEXT,
	invoices INTEGER NOT NULL,
	without_email INTEGER NOT NULL,
	started_at TEXT NOT NULL,
	started_by TEXT,
	updated_at TEXT NOT NULL,
	error TEXT
);
