import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The ISO 20022 schema of SEPA Direct Debit initiation (pain.008.001.02), as published. */
export const PAIN008_XSD = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'pain.008.001.02.xsd'
);

/**
 * Validates an XML document against the pain.008.001.02 schema with `xmllint --nonet --noout
 * --schema` (Debian libxml2-utils): `ok` and xmllint's own messages when not.
 */
export function validatePain008(xml: string): { ok: boolean; output: string } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-sepa-'));
	const file = path.join(dir, 'remesa.xml');
	try {
		fs.writeFileSync(file, xml);
		const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', PAIN008_XSD, file], {
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024
		});
		if (r.error) throw r.error;
		return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
