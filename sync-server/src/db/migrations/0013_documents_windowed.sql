-- Documents and VeriFactu records join the windowed entities (docs/sync-protocol.md#windowed-
-- entities); the same rule as `windowTime` in shared/src/protocol/window.ts, which a test checks
-- this against. An open document — a draft, one pending its number, an issued albarán or invoice
-- with money outstanding and not converted — never ages (9999-…); any other counts from its last
-- change (`updatedAt`), so a document paid today reaches the devices that hold it unpaid.
UPDATE records SET win_at = CASE
	WHEN data ->> '$.state' = 'borrador' OR data ->> '$.issueRequested' = 1 THEN '9999-12-31T23:59:59.999Z'
	WHEN data ->> '$.state' NOT IN ('anulada', 'cobrada') AND data ->> '$.kind' <> 'presupuesto'
		AND data ->> '$.convertedToId' IS NULL AND data ->> '$.totals.totalCents' IS NOT NULL
		AND data ->> '$.totals.totalCents' - CASE WHEN data ->> '$.state' = 'cobrada-parcial'
			THEN COALESCE(data ->> '$.paidCents', 0) ELSE 0 END > 0
		THEN '9999-12-31T23:59:59.999Z'
	ELSE COALESCE(data ->> '$.updatedAt', data ->> '$.issueDate', data ->> '$.date') END
	WHERE entity = 'document' AND deleted = 0;
-- A record still to be sent is open work; the customer is the record's own (its entity has no
-- customer key), so pull can send a pinned customer's records whatever their age.
UPDATE records SET win_at = CASE WHEN data ->> '$.state' = 'pendiente' THEN '9999-12-31T23:59:59.999Z'
		ELSE COALESCE(data ->> '$.createdAt', data ->> '$.generatedAt') END,
	customer_id = COALESCE(customer_id, data ->> '$.customerId')
	WHERE entity = 'verifactuRecord' AND deleted = 0;
-- A finished router job now counts from when it finished (its last change), not from when it was
-- queued: a job that waited longer than the window for its router still reaches the devices that
-- hold it open.
UPDATE records SET win_at = CASE WHEN data ->> '$.state' IN ('queued', 'running')
	THEN '9999-12-31T23:59:59.999Z' ELSE COALESCE(data ->> '$.updatedAt', data ->> '$.createdAt') END
	WHERE entity = 'routerJob' AND deleted = 0;
