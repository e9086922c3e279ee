import { describe, it, expect } from 'vitest';
import { buildPain008, SEQUENCE_TYPES, type SepaDebit, type SepaRemittance } from '@enlace/shared';
import { validatePain008 } from '../support/xmllint';

// Remittance files as the bank receives them, checked with xmllint against the published
// pain.008.001.02 schema (a generator that only "looks right" would pass the unit tests).

const CREDITOR = {
	name: 'Telecomunicaciones Peña & Muñoz, S.L.',
	iban: 'ES9121000418450200051332',
	creditorId: 'ES77000B85626240'
};

const AWKWARD = [
	'José Ángel Núñez Peñalver',
	'Construcciones Güell & Hijos, S.A.',
	"O'Donnell <Comunidad de Propietarios> «Edificio Ñandú»",
	'Françoise Çelik — Nº 3ª',
	'María-José López_García @ casa',
	'Ñ'.repeat(90)
];

function remittance(debits: SepaDebit[]): SepaRemittance {
	return {
		messageId: 'REM-20261203-0001',
		createdAt: '2026-12-03T09:30:00.000Z',
		scheme: 'CORE',
		creditor: CREDITOR,
		debits
	};
}

describe('pain.008.001.02 files validate against the XSD', () => {
	it('every sequence type, both schemes, awkward names, with and without BIC', () => {
		const debits: SepaDebit[] = [];
		let n = 0;
		for (const sequenceType of SEQUENCE_TYPES) {
			for (const scheme of ['CORE', 'B2B'] as const) {
				for (const name of AWKWARD) {
					n++;
					debits.push({
						endToEndId: `F26/${String(n).padStart(5, '0')}`,
						amountCents: n * 137,
						mandateReference: `MND-${n}`,
						mandateSignedOn: '2024-05-31',
						debtorName: name,
						debtorIban: 'ES7921000813610123456789',
						debtorBic: n % 2 ? 'CAIXESBBXXX' : undefined,
						remittanceInfo: `Factura F26-${n} · ${name} · cuota diciembre 29,90 €`,
						sequenceType,
						collectionDate: n % 3 ? '2026-12-10' : '2026-12-15',
						scheme
					});
				}
			}
		}
		const { xml, batches } = buildPain008(remittance(debits));
		expect(batches).toHaveLength(16);
		const r = validatePain008(xml);
		expect(r.output).toMatch(/validates$/);
		expect(r.ok).toBe(true);
		expect(xml).not.toMatch(/[ÑñÁáÉéÍíÓóÚúÜüÇç«»—€@_]/);
		expect(xml).toContain('<Nm>Telecomunicaciones Pena + Munoz, S.L.</Nm>');
		expect(xml).toContain('<Nm>Jose Angel Nunez Penalver</Nm>');
		expect(xml).toContain(`<Nm>${'N'.repeat(70)}</Nm>`);
	});

	it('the check can fail: a file with a wrong element is refused', () => {
		const { xml } = buildPain008(
			remittance([
				{
					endToEndId: 'E2E-1',
					amountCents: 100,
					mandateReference: 'M-1',
					mandateSignedOn: '2024-05-31',
					debtorName: 'Ana',
					debtorIban: 'ES7921000813610123456789',
					sequenceType: 'FRST',
					collectionDate: '2026-12-10'
				}
			])
		);
		expect(validatePain008(xml).ok).toBe(true);
		const broken = validatePain008(xml.replace('<SeqTp>FRST</SeqTp>', '<SeqTp>FIRST</SeqTp>'));
		expect(broken.ok).toBe(false);
		expect(broken.output).toMatch(/SeqTp/);
		// The debtor's account is mandatory.
		expect(validatePain008(xml.replace(/<DbtrAcct>.*?<\/DbtrAcct>/, '')).ok).toBe(false);
	});
});
