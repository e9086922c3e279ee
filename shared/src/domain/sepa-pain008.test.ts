import { describe, it, expect } from 'vitest';
import {
	buildPain008,
	sepaAmount,
	SepaError,
	toSepaText,
	type SepaRemittance
} from './sepa-pain008';

export const CREDITOR = {
	name: 'Fibra del Sur S.L.',
	iban: 'ES91 2100 0418 4502 0005 1332',
	bic: 'CAIXESBBXXX',
	creditorId: 'ES77000B85626240'
};

const debit = (n: number, over: Partial<SepaRemittance['debits'][number]> = {}) => ({
	endToEndId: `F26-${n}`,
	amountCents: 2990,
	mandateReference: `MANDATO-${n}`,
	mandateSignedOn: '2025-01-15',
	debtorName: `Cliente ${n}`,
	debtorIban: 'ES7921000813610123456789',
	remittanceInfo: `Factura F26-${n}`,
	sequenceType: 'RCUR' as const,
	collectionDate: '2026-12-10',
	...over
});

const remittance = (debits: SepaRemittance['debits']): SepaRemittance => ({
	messageId: 'REMESA-2026-12-001',
	createdAt: '2026-12-03T09:30:00.000Z',
	scheme: 'CORE',
	creditor: CREDITOR,
	debits
});

const all = (xml: string, tag: string) =>
	[...xml.matchAll(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

describe('sepaAmount', () => {
	it('writes cents with two decimals and a point', () => {
		expect(sepaAmount(1)).toBe('0.01');
		expect(sepaAmount(2990)).toBe('29.90');
		expect(sepaAmount(100)).toBe('1.00');
		expect(sepaAmount(123456789)).toBe('1234567.89');
	});
});

describe('toSepaText', () => {
	it('drops accents, keeps the letter, and turns & into +', () => {
		expect(toSepaText('Peña & Núñez, Cía. Ltda.', 70)).toBe('Pena + Nunez, Cia. Ltda.');
		expect(toSepaText('Françoise Müller-Çelik', 70)).toBe('Francoise Muller-Celik');
		expect(toSepaText('Nº 3ª planta «Ático»', 70)).toBe("No 3a planta 'Atico'");
	});

	it('replaces what has no stand-in by a space and collapses spaces', () => {
		expect(toSepaText('a@b  #c\n\td', 70)).toBe('a b c d');
		expect(toSepaText('  ¿Qué?  ', 70)).toBe('Que?');
		expect(toSepaText('日本', 70)).toBe('');
	});

	it('cuts to the length the field allows', () => {
		expect(toSepaText('x'.repeat(200), 140)).toHaveLength(140);
		expect(toSepaText('abc def', 4)).toBe('abc');
	});
});

describe('buildPain008', () => {
	it('groups debits into one PmtInf per sequence type, date and scheme, with counts and sums', () => {
		const { xml, batches } = buildPain008(
			remittance([
				debit(1, { sequenceType: 'FRST', amountCents: 1000 }),
				debit(2, { amountCents: 2550 }),
				debit(3, { sequenceType: 'FRST', amountCents: 5 }),
				debit(4, { collectionDate: '2026-12-20' }),
				debit(5, { scheme: 'B2B' }),
				debit(6, { amountCents: 1 })
			])
		);
		expect(
			batches.map((b) => [b.sequenceType, b.collectionDate, b.scheme, b.count, b.totalCents])
		).toEqual([
			['FRST', '2026-12-10', 'CORE', 2, 1005],
			['RCUR', '2026-12-10', 'CORE', 2, 2551],
			['RCUR', '2026-12-20', 'CORE', 1, 2990],
			['RCUR', '2026-12-10', 'B2B', 1, 2990]
		]);
		expect(all(xml, 'NbOfTxs')).toEqual(['6', '2', '2', '1', '1']);
		expect(all(xml, 'CtrlSum')).toEqual(['95.36', '10.05', '25.51', '29.90', '29.90']);
		expect(all(xml, 'PmtInfId')).toEqual([
			'REMESA-2026-12-001-001',
			'REMESA-2026-12-001-002',
			'REMESA-2026-12-001-003',
			'REMESA-2026-12-001-004'
		]);
		expect(xml).toContain('<LclInstrm><Cd>B2B</Cd></LclInstrm><SeqTp>RCUR</SeqTp>');
		expect(all(xml, 'InstdAmt')).toEqual(['10.00', '0.05', '25.50', '0.01', '29.90', '29.90']);
		expect(xml).toContain('<CreDtTm>2026-12-03T09:30:00</CreDtTm>');
	});

	it('writes the creditor identifier in the header and in every batch', () => {
		const { xml } = buildPain008(remittance([debit(1)]));
		expect(xml.match(/ES77000B85626240/g)).toHaveLength(2);
		expect(xml).toContain('<Prtry>SEPA</Prtry>');
		expect(xml).toContain('<IBAN>ES9121000418450200051332</IBAN>');
		expect(xml).toContain('<BIC>CAIXESBBXXX</BIC>');
	});

	it('writes NOTPROVIDED for a missing BIC', () => {
		const { xml } = buildPain008(remittance([debit(1)]));
		expect(xml).toContain(
			'<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>'
		);
	});

	it('reduces names and texts to the SEPA set and escapes them', () => {
		const { xml } = buildPain008(
			remittance([
				debit(1, { debtorName: "Muñoz & O'Brien <SL>", remittanceInfo: 'Cuota señal €' })
			])
		);
		expect(xml).toContain('<Nm>Munoz + O&apos;Brien SL</Nm>');
		expect(xml).toContain('<Ustrd>Cuota senal EUR</Ustrd>');
		expect(xml).not.toMatch(/[ñ€]|&amp;|&lt;SL/);
	});

	it('refuses what a bank would refuse, naming the debit', () => {
		const bad = (over: Partial<SepaRemittance['debits'][number]>) => () =>
			buildPain008(remittance([debit(1), debit(2, over)]));
		expect(bad({ amountCents: 0 })).toThrow(
			'El adeudo 2 (F26-2): el importe debe ser mayor que 0,00 €'
		);
		expect(bad({ amountCents: 10.5 })).toThrow(SepaError);
		expect(bad({ debtorIban: 'ES9121000418450200051333' })).toThrow(
			/El adeudo 2 \(F26-2\), cuenta del titular/
		);
		expect(bad({ mandateReference: 'AÑO' })).toThrow(/referencia del mandato solo puede contener/);
		expect(bad({ mandateSignedOn: '2027-01-01' })).toThrow(/se firma después de la fecha de cobro/);
		expect(bad({ collectionDate: '2026-02-30' })).toThrow(/fecha de cobro no válida/);
		expect(bad({ endToEndId: 'F26-1' })).toThrow('El adeudo 2: la referencia F26-1 está repetida');
		expect(bad({ endToEndId: 'Ñ' })).toThrow(/El adeudo 2: la referencia del adeudo debe tener/);
		expect(bad({ debtorName: '日本' })).toThrow(/titular: falta el nombre/);
		try {
			bad({ amountCents: -1 })();
		} catch (e) {
			expect((e as SepaError).debitIndex).toBe(1);
		}
	});

	it('refuses a bad creditor or an empty remittance', () => {
		const r = remittance([debit(1)]);
		expect(() =>
			buildPain008({ ...r, creditor: { ...CREDITOR, creditorId: 'ES78000B85626240' } })
		).toThrow('Los dígitos de control del identificador de acreedor no son correctos');
		expect(() => buildPain008({ ...r, creditor: { ...CREDITOR, bic: 'XX' } })).toThrow(
			/El BIC del acreedor/
		);
		expect(() => buildPain008({ ...r, debits: [] })).toThrow('La remesa no tiene ningún adeudo');
		expect(() => buildPain008({ ...r, messageId: '' })).toThrow(/identificador de la remesa/);
	});
});
