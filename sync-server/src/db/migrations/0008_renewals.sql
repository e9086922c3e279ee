-- Renovaciones (docs/renewals.md): the assignments of a package (a package with assignments
-- cannot be deleted) and those renewing next in a period (the monthly billing run).
CREATE INDEX records_renewal_package ON records (json_extract(data, '$.packageId'))
	WHERE entity = 'renewalAssignment';
CREATE INDEX records_renewal_next ON records (json_extract(data, '$.nextRenewal'))
	WHERE entity = 'renewalAssignment';
