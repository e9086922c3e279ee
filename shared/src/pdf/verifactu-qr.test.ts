import { describe, expect, it } from 'vitest';
import { verifactuAmount, verifactuDate, verifactuQrUrl } from './verifactu-qr';

describe('verifactuQrUrl', () => {
	it('builds the AEAT URL with exactly nif, numserie, fecha and importe', () => {
		const url = verifactuQrUrl({
			nif: '89890001K',
			number: '12345678-G33',
			issueDate: '2024-09-01',
			totalCents: 24199
		});
		expect(url).toBe(
			'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=12345678-G33&fecha=01-09-2024&importe=241.99'
		);
		const parsed = new URL(url);
		expect([...parsed.searchParams.keys()]).toEqual(['nif', 'numserie', 'fecha', 'importe']);
	});

	it('URL-encodes every value: & becomes %26, / and spaces too, so the number reads back whole', () => {
		const url = verifactuQrUrl({
			nif: ' 89890001K ',
			number: '12345678&G33',
			issueDate: '2024-01-01',
			totalCents: 12345
		});
		expect(url).toContain('numserie=12345678%26G33&fecha=01-01-2024&importe=123.45');
		expect(url).toContain('nif=89890001K&');
		const odd = verifactuQrUrl({
			nif: 'B12345678',
			number: 'A/2026 Ñ+1',
			issueDate: '2026-12-31',
			totalCents: 0
		});
		expect(odd).toContain('numserie=A%2F2026%20%C3%91%2B1&');
		expect(new URL(odd).searchParams.get('numserie')).toBe('A/2026 Ñ+1');
		expect(odd.endsWith('importe=0.00')).toBe(true);
	});

	it('points at the AEAT test site on request', () => {
		expect(
			verifactuQrUrl(
				{ nif: 'B12345678', number: 'F1', issueDate: '2026-01-02', totalCents: 100 },
				'test'
			)
		).toMatch(/^https:\/\/prewww2\.aeat\.es\/wlpl\/TIKE-CONT\/ValidarQR\?nif=B12345678&/);
	});
});

describe('verifactuAmount and verifactuDate', () => {
	it('writes cents with a decimal point and two decimals, negatives with a sign', () => {
		expect(verifactuAmount(12345)).toBe('123.45');
		expect(verifactuAmount(5)).toBe('0.05');
		expect(verifactuAmount(-1210)).toBe('-12.10');
		expect(verifactuAmount(123456789)).toBe('1234567.89');
		expect(() => verifactuAmount(1.5)).toThrow();
	});
	it('writes dates dd-mm-yyyy and refuses anything but ISO', () => {
		expect(verifactuDate('2026-03-05')).toBe('05-03-2026');
		expect(() => verifactuDate('05/03/2026')).toThrow();
	});
});
