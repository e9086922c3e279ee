import { describe, expect, it } from 'vitest';
import { fillContractTemplate } from '@enlace/shared';
import type { Address, Contract, Customer, Tariff, TariffAssignment } from '@enlace/shared';
import { contractValues } from './contract-values';

const C = 'c1';
const customer = { id: C, code: 'C00007', name: 'Lucía Pérez', taxId: '12345678Z' } as Customer;
const addresses = [
	{ id: 'a1', customerId: C, label: 'servicio', street: 'C/ Baja 2', town: 'Ávila' },
	{
		id: 'a2',
		customerId: C,
		label: 'fiscal',
		street: 'C/ Mayor 1',
		postalCode: '05001',
		town: 'Ávila'
	}
] as Address[];
const contract = {
	id: 'k1',
	customerId: C,
	name: 'Fibra casa',
	fromDate: '2026-12-01'
} as Contract;
const tariffs = [
	{ id: 't1', name: 'Fibra 300 Mb', priceCents: 3000 },
	{ id: 't2', name: 'Fijo', priceCents: 500 }
] as Tariff[];
const assignments = [
	{
		id: 'x1',
		customerId: C,
		contractId: 'k1',
		tariffId: 't1',
		startDate: '2026-12-01',
		quantity: 1
	},
	{
		id: 'x2',
		customerId: C,
		contractId: 'k1',
		tariffId: 't2',
		startDate: '2026-12-02',
		quantity: 2,
		priceOverrideCents: 400,
		discountPercent: 10
	},
	// Ended before the contract's date, and of another operator contract: left out.
	{
		id: 'x3',
		customerId: C,
		contractId: 'k1',
		tariffId: 't2',
		startDate: '2026-01-01',
		endDate: '2026-06-30',
		quantity: 1
	},
	{
		id: 'x4',
		customerId: C,
		contractId: 'k2',
		tariffId: 't1',
		startDate: '2026-12-01',
		quantity: 1
	}
] as TariffAssignment[];

describe('contractValues', () => {
	it('fills a template from the customer file: fiscal address, the linked contract, its running tariffs', () => {
		const values = contractValues({
			customer,
			addresses,
			company: { id: 'empresa', legalName: 'Enlace Fibra SL' } as never,
			contract,
			assignments,
			tariffs,
			date: '2026-12-03'
		});
		const text = fillContractTemplate(
			'{{empresa}} · {{cliente.nombre}} ({{cliente.nif}}) · {{cliente.direccion}} · {{contrato.nombre}} desde {{contrato.desde}} hasta [{{contrato.hasta}}] · {{fecha}}\n{{tarifas}}',
			values
		);
		expect(text).toContain('Enlace Fibra SL · Lucía Pérez (12345678Z) · C/ Mayor 1');
		expect(text).toContain('Fibra casa desde 01/12/2026 hasta [] · 03/12/2026');
		expect(values.tarifas).toBe(
			'- Fibra 300 Mb: 30,00\u00a0€/mes\n- 2 × Fijo: 4,00\u00a0€/mes, descuento 10 %'
		);
	});

	it('without a linked contract its placeholders print empty', () => {
		const values = contractValues({
			customer,
			addresses: [],
			company: undefined,
			contract: undefined,
			assignments,
			tariffs,
			date: '2026-12-03'
		});
		expect(values).toMatchObject({ 'contrato.nombre': '', tarifas: '', 'cliente.direccion': '' });
	});
});
