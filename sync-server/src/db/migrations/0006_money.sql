-- Money (docs/money.md). A VeriFactu chain can never fork: one record per chain position of an
-- issuer (`chainKey` is `<nif>#<position>`), and no two records of an issuer after the same
-- previous huella (the first has ''). Tombstones hold '{}', so these never see them.
CREATE UNIQUE INDEX records_verifactu_position ON records (json_extract(data, '$.chainKey'))
	WHERE entity = 'verifactuRecord';
CREATE UNIQUE INDEX records_verifactu_previous
	ON records (json_extract(data, '$.issuerNif'), json_extract(data, '$.previousHuella'))
	WHERE entity = 'verifactuRecord';
-- A document number is given once (series prefixes are distinct, so numbers are too).
CREATE UNIQUE INDEX records_document_number ON records (json_extract(data, '$.number'))
	WHERE entity = 'document';
-- A customer's documents, and an issuer's records in chain order (Comprobar cadena, the XML).
CREATE INDEX records_verifactu_chain
	ON records (json_extract(data, '$.issuerNif'), json_extract(data, '$.position'))
	WHERE entity = 'verifactuRecord';
