-- Equipamiento (docs/equipment.md). A product's code and barcode are each unique among live
-- products (the mutator also keeps a code from equalling another product's barcode, through its
-- guarded reads); these indexes serve those reads and back them up. Tombstones hold '{}'.
CREATE UNIQUE INDEX records_equipment_product_code ON records (json_extract(data, '$.code'))
	WHERE entity = 'equipmentProduct' AND deleted = 0;
CREATE UNIQUE INDEX records_equipment_product_barcode ON records (json_extract(data, '$.barcode'))
	WHERE entity = 'equipmentProduct' AND deleted = 0;
-- Devices of a model (deleting a product in use is refused).
CREATE INDEX records_equipment_product ON records (json_extract(data, '$.productId'))
	WHERE entity = 'equipment' AND deleted = 0;
