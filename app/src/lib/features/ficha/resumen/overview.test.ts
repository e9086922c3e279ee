import { describe, expect, it } from 'vitest';
import type { Address, RouterJob } from '@enlace/shared';
import {
	addressLine,
	mapUrl,
	openJobs,
	phonesOf,
	serviceAddress,
	tabHoldsRowsFor,
	telHref
} from './overview';

const addr = (over: Partial<Address>): Address => ({
	id: over.id ?? 'a',
	customerId: 'c',
	label: 'fiscal',
	street: 'C/ Mayor 1',
	country: 'ES',
	...over
});

describe('the Resumen', () => {
	it('picks the service address, else the fiscal one, else the first', () => {
		const fiscal = addr({ id: 'f', label: 'fiscal', createdAt: '2026-01-01T00:00:00Z' });
		const service = addr({ id: 's', label: 'servicio', createdAt: '2026-02-01T00:00:00Z' });
		const other = addr({ id: 'o', label: 'envio', createdAt: '2025-01-01T00:00:00Z' });
		expect(serviceAddress([fiscal, service, other])?.id).toBe('s');
		expect(serviceAddress([other, fiscal])?.id).toBe('f');
		expect(serviceAddress([other])?.id).toBe('o');
		expect(serviceAddress([])).toBeUndefined();
	});

	it('links the map to the GPS point, else to a search of the address', () => {
		expect(mapUrl(addr({ lat: 40.4168, lng: -3.7038 }))).toBe(
			'https://www.openstreetmap.org/?mlat=40.416800&mlon=-3.703800#map=18/40.416800/-3.703800'
		);
		expect(
			mapUrl(
				addr({ street: 'C/ Mayor 1', postalCode: '05200', town: 'Arévalo', province: 'Ávila' })
			)
		).toBe(
			'https://www.openstreetmap.org/search?query=C%2F%20Mayor%201%2C%2005200%2C%20Ar%C3%A9valo%2C%20%C3%81vila%2C%20Espa%C3%B1a'
		);
	});

	it('writes the address on one line, without the province twice', () => {
		expect(addressLine(addr({ postalCode: '05200', town: 'Arévalo', province: 'Ávila' }))).toBe(
			'C/ Mayor 1, 05200 Arévalo, Ávila'
		);
		expect(addressLine(addr({ town: 'Madrid', province: 'Madrid' }))).toBe('C/ Mayor 1, Madrid');
	});

	it('dials phones as digits, keeping an international +', () => {
		expect(telHref('690 12 34 56')).toBe('tel:690123456');
		expect(telHref('+34 690-12-34-56')).toBe('tel:+34690123456');
	});

	it('lists the mobile first and a number once', () => {
		expect(
			phonesOf({ phone: '920 11 22 33', mobile: '690 12 34 56', phone2: '690 12 34 56' })
		).toEqual([
			{ kind: 'mobile', number: '690 12 34 56' },
			{ kind: 'phone', number: '920 11 22 33' }
		]);
		expect(phonesOf({})).toEqual([]);
	});

	it('keeps the jobs still to run, in the order the router takes them', () => {
		const job = (
			id: string,
			state: RouterJob['state'],
			createdAt: string,
			n: number
		): RouterJob => ({
			id,
			routerId: 'r',
			kind: 'secret.ensure',
			payload: {},
			state,
			attempts: 0,
			createdAt,
			updatedAt: createdAt,
			n
		});
		const t1 = '2026-11-27T10:00:00Z';
		const t2 = '2026-11-27T11:00:00Z';
		expect(
			openJobs([
				job('d', 'done', t1, 1),
				job('b', 'queued', t2, 4),
				job('a2', 'running', t1, 3),
				job('a1', 'queued', t1, 2),
				job('f', 'failed', t2, 5)
			]).map((j) => j.id)
		).toEqual(['a1', 'a2', 'b']);
	});

	it('leaves out the shortcuts to tabs whose rows the role never receives', () => {
		expect(tabHoldsRowsFor('financieros', 'technician')).toBe(false);
		expect(tabHoldsRowsFor('sociedades', 'technician')).toBe(false);
		expect(tabHoldsRowsFor('financieros', 'office')).toBe(true);
		expect(tabHoldsRowsFor('mikrotik', 'technician')).toBe(true);
		expect(tabHoldsRowsFor('historial', 'technician')).toBe(true);
	});
});
