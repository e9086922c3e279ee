-- Cobros and remesas (docs/money.md, docs/sepa-and-wallet.md). Documents move from scope
-- `finance` to `all`, with their Historial lines, so a technician's phone holds them and collects
-- cash or card on site; the scope rules' version moves on, so every technician device is answered
-- `reset` on its next pull and fetches them (their seq did not change).
UPDATE records SET scope = 'all'
	WHERE entity = 'document' OR (entity = 'history' AND data ->> '$.entity' = 'document');
INSERT INTO counters (name, value) VALUES ('scope-rules', 1)
	ON CONFLICT (name) DO UPDATE SET value = value + 1;
-- What a remittance reads: open invoices by state, the direct-debit payments (the mandates'
-- earlier collections, for their sequence types); and a document's payments.
CREATE INDEX records_document_state ON records (json_extract(data, '$.state'))
	WHERE entity = 'document';
CREATE INDEX records_payment_method ON records (json_extract(data, '$.method'))
	WHERE entity = 'payment';
CREATE INDEX records_payment_document ON records (json_extract(data, '$.documentId'))
	WHERE entity = 'payment';
