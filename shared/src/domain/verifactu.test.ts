import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { madridTime } from './madrid';
import { sha256Hex } from './sha256';
import {
	aeatAmount,
	altaFingerprintText,
	checkChain,
	huellaAlta,
	huellaAnulacion,
	recordHuella,
	verifactuQrUrl
} from './verifactu';
import type { VerifactuRecord } from '../schemas/billing';

// The AEAT's published vectors (docs/money.md#the-huella).
const V1 = '3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60';
const V2 = 'F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97';
const V3 = '177547C0D57AC74748561D054A9CEC14B4C4EA23D1BEFD6F2E69E3A388F90C68';

const alta1 = {
	IDEmisorFactura: '89890001K',
	NumSerieFactura: '12345678/G33',
	FechaExpedicionFactura: '01-01-2024',
	TipoFactura: 'F1',
	CuotaTotal: '12.35',
	ImporteTotal: '123.45',
	Huella: '',
	FechaHoraHusoGenRegistro: '2024-01-01T19:20:30+01:00'
};

describe('huella (AEAT vectors)', () => {
	it('vector 1: the first alta of a chain', () => {
		expect(altaFingerprintText(alta1)).toBe(
			'IDEmisorFactura=89890001K&NumSerieFactura=12345678/G33&FechaExpedicionFactura=01-01-2024&TipoFactura=F1&CuotaTotal=12.35&ImporteTotal=123.45&Huella=&FechaHoraHusoGenRegistro=2024-01-01T19:20:30+01:00'
		);
		expect(huellaAlta(alta1)).toBe(V1);
	});
	it('vector 2: an alta chained to vector 1', () => {
		expect(
			huellaAlta({
				...alta1,
				NumSerieFactura: '12345679/G34',
				Huella: V1,
				FechaHoraHusoGenRegistro: '2024-01-01T19:20:35+01:00'
			})
		).toBe(V2);
	});
	it('vector 3: the anulación of vector 2', () => {
		expect(
			huellaAnulacion({
				IDEmisorFacturaAnulada: '89890001K',
				NumSerieFacturaAnulada: '12345679/G34',
				FechaExpedicionFacturaAnulada: '01-01-2024',
				Huella: V2,
				FechaHoraHusoGenRegistro: '2024-01-01T19:20:40+01:00'
			})
		).toBe(V3);
	});
	it('values are trimmed and a changed field changes the huella', () => {
		expect(huellaAlta({ ...alta1, NumSerieFactura: ' 12345678/G33 ' })).toBe(V1);
		expect(huellaAlta({ ...alta1, ImporteTotal: '123.46' })).not.toBe(V1);
	});
});

describe('sha256Hex', () => {
	it('equals node:crypto on empty, multi-block and non-ASCII text', () => {
		for (const t of ['', 'abc', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(200), 'Peña Ñandú €']) {
			expect(sha256Hex(t)).toBe(createHash('sha256').update(t, 'utf8').digest('hex').toUpperCase());
		}
	});
});

describe('amounts, dates, QR', () => {
	it('writes cents as AEAT amounts', () => {
		expect(aeatAmount(1235)).toBe('12.35');
		expect(aeatAmount(5)).toBe('0.05');
		expect(aeatAmount(-500)).toBe('-5.00');
	});
	it("reads an instant on Madrid's clock, winter and summer", () => {
		expect(madridTime('2026-12-03T23:30:00.000Z')).toEqual({
			day: '2026-12-04',
			stamp: '2026-12-04T00:30:00+01:00'
		});
		expect(madridTime('2026-07-01T10:00:05.123Z')).toEqual({
			day: '2026-07-01',
			stamp: '2026-07-01T12:00:05+02:00'
		});
	});
	it('builds the QR URL with exactly four encoded parameters', () => {
		expect(
			verifactuQrUrl({
				nif: '89890001K',
				numSerie: 'A&B 1',
				fecha: '01-01-2024',
				importe: '123.45'
			})
		).toBe(
			'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=A%26B%201&fecha=01-01-2024&importe=123.45'
		);
	});
});

function chain(): VerifactuRecord[] {
	const base = {
		issuerNif: '89890001K',
		issuerName: 'Empresa',
		customerId: 'c1',
		state: 'pendiente' as const,
		tipoFactura: 'F1'
	};
	const r1: VerifactuRecord = {
		...base,
		id: 'r1',
		kind: 'alta',
		position: 1,
		chainKey: '89890001K#1',
		documentId: 'd1',
		numSerie: '12345678/G33',
		fecha: '01-01-2024',
		cuotaTotal: '12.35',
		importeTotal: '123.45',
		previousHuella: '',
		generatedAt: '2024-01-01T19:20:30+01:00',
		huella: V1
	};
	const r2: VerifactuRecord = {
		...r1,
		id: 'r2',
		position: 2,
		chainKey: '89890001K#2',
		documentId: 'd2',
		numSerie: '12345679/G34',
		previous: { numSerie: r1.numSerie, fecha: r1.fecha, huella: V1 },
		previousHuella: V1,
		generatedAt: '2024-01-01T19:20:35+01:00',
		huella: V2
	};
	const r3: VerifactuRecord = {
		...base,
		id: 'r3',
		kind: 'anulacion',
		position: 3,
		chainKey: '89890001K#3',
		documentId: 'd2',
		numSerie: '12345679/G34',
		fecha: '01-01-2024',
		previous: { numSerie: r2.numSerie, fecha: r2.fecha, huella: V2 },
		previousHuella: V2,
		generatedAt: '2024-01-01T19:20:40+01:00',
		huella: V3
	};
	return [r1, r2, r3];
}

describe('checkChain', () => {
	it('accepts the AEAT chain in any order given', () => {
		const c = chain();
		expect(c.map(recordHuella)).toEqual([V1, V2, V3]);
		expect(checkChain([c[2], c[0], c[1]])).toEqual({ ok: true, count: 3 });
	});
	it('names the first record whose fields were altered', () => {
		const c = chain();
		c[1].importeTotal = '1.00';
		expect(checkChain(c).firstBad).toMatchObject({ id: 'r2', position: 2 });
	});
	it('names a record that links to the wrong previous one, and a gap', () => {
		const c = chain();
		c[2].previous = { ...c[2].previous!, numSerie: 'otra' };
		expect(checkChain(c).firstBad?.id).toBe('r3');
		expect(checkChain([chain()[0], chain()[2]]).firstBad).toMatchObject({
			id: 'r3',
			reason: 'Falta el registro 2 de la cadena'
		});
	});
});
