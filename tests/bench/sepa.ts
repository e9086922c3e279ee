import { buildPain008, type SepaDebit, type SepaRemittance } from '@enlace/shared';
import { validatePain008 } from '../support/xmllint';
import type { Figures } from './report';

const DEBITS = Number(process.env.BENCH_SEPA_DEBITS ?? 50_000);

/** A month's remittance of a mid-size ISP: mostly RCUR, some new mandates (FRST), awkward names. */
function remittance(n: number): SepaRemittance {
	const names = ['José Núñez Peña', 'Güell & Hijos, S.A.', "O'Donnell «Ñandú»", 'Ana López'];
	const debits: SepaDebit[] = [];
	for (let i = 0; i < n; i++) {
		debits.push({
			endToEndId: `F26-${String(i + 1).padStart(6, '0')}`,
			amountCents: 1990 + (i % 50) * 100,
			mandateReference: `MND-C${String(i + 1).padStart(6, '0')}`,
			mandateSignedOn: '2024-05-31',
			debtorName: `${names[i % names.length]} ${i}`,
			debtorIban: 'ES7921000813610123456789',
			debtorBic: i % 3 ? undefined : 'CAIXESBBXXX',
			remittanceInfo: `Factura F26-${i + 1} cuota diciembre fibra 300 Mb`,
			sequenceType: i % 20 === 0 ? 'FRST' : 'RCUR',
			collectionDate: i % 2 ? '2026-12-05' : '2026-12-10'
		});
	}
	return {
		messageId: 'REM-20261203-BENCH',
		createdAt: '2026-12-03T09:30:00Z',
		scheme: 'CORE',
		creditor: {
			name: 'Fibra del Sur S.L.',
			iban: 'ES9121000418450200051332',
			creditorId: 'ES77000B85626240'
		},
		debits
	};
}

/**
 * A remittance of 50,000 debits: generating pain.008.001.02 and validating it with xmllint
 * against the XSD, against serialising the same data as JSON in the same process.
 */
export async function sepaBench(log: (s: string) => void): Promise<Figures> {
	const r = remittance(DEBITS);
	const t0 = performance.now();
	const json = JSON.stringify(r);
	const jsonMs = performance.now() - t0;
	const t1 = performance.now();
	const { xml, batches } = buildPain008(r);
	const buildMs = performance.now() - t1;
	const t2 = performance.now();
	const valid = validatePain008(xml);
	const validateMs = performance.now() - t2;
	if (!valid.ok) throw new Error(`the bench remittance does not validate: ${valid.output}`);
	const total = buildMs + validateMs;
	log(
		`  ${DEBITS} debits in ${batches.length} batches: XML ${(xml.length / 1e6).toFixed(1)} MB built in ${buildMs.toFixed(0)} ms, validated in ${validateMs.toFixed(0)} ms; JSON ${(json.length / 1e6).toFixed(1)} MB in ${jsonMs.toFixed(0)} ms`
	);
	return {
		'sepa.debits': DEBITS,
		'sepa.remittance50k.seconds': total / 1000,
		'sepa.buildSeconds': buildMs / 1000,
		'sepa.xmllintSeconds': validateMs / 1000,
		'sepa.jsonBaselineSeconds': jsonMs / 1000,
		'sepa.buildRatioToJson': buildMs / jsonMs,
		'sepa.xmlMB': xml.length / 1e6
	};
}
