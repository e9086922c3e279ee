// Money test support: the company's data, invoice drafts and XML validation against the AEAT's
// own schemas (copied into tests/fixtures/verifactu/), with xmllint offline.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SERIES, madridTime, makeCif } from '@enlace/shared';

export const COMPANY_NIF = makeCif(7654321);

/**
 * Today as the server dates and numbers documents: in Madrid. UTC's date is a day behind it for
 * the last hour or two of every day (tests that used it failed in CI at 23:00 UTC).
 */
export const madridToday = () => madridTime(new Date().toISOString()).day;

export const companyProfile = (o: Record<string, unknown> = {}) => ({
	id: 'empresa',
	legalName: 'Redes del Valle SL',
	nif: COMPANY_NIF,
	street: 'C/ Mayor 1',
	postalCode: '28001',
	town: 'Madrid',
	series: DEFAULT_SERIES,
	verifactu: true,
	...o
});

export const invoiceDraft = (customerId: string, o: Record<string, unknown> = {}) => ({
	id: randomUUID(),
	customerId,
	kind: 'factura',
	state: 'borrador',
	date: '2026-12-03',
	lines: [
		{ description: 'Fibra 300 Mb', quantity: 1, unitCents: 3000, vatRate: 21 },
		{
			description: 'Alquiler router',
			quantity: 2,
			unitCents: 250,
			vatRate: 21,
			discountPercent: 10
		}
	],
	...o
});

const XSD = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../fixtures/verifactu/SuministroLR.xsd'
);

/** xmllint's verdict on the XML against SuministroLR.xsd: '' when valid, else its messages. */
export function xmllintErrors(xml: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-xml-'));
	const file = path.join(dir, 'registros.xml');
	fs.writeFileSync(file, xml);
	try {
		execFileSync('xmllint', ['--nonet', '--noout', '--schema', XSD, file], { stdio: 'pipe' });
		return '';
	} catch (e) {
		return String((e as { stderr?: Buffer }).stderr ?? e);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** `tariff.create` args: Fibra 300 at 30,00 € a month + 21 % VAT. */
export const fibraTariff = (id: string, o: Record<string, unknown> = {}) => ({
	id,
	name: 'Fibra 300',
	priceCents: 3000,
	vatRate: 21,
	billingPeriod: 'monthly',
	downloadMbps: 300,
	uploadMbps: 30,
	active: true,
	...o
});
