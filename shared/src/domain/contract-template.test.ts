import { describe, expect, it } from 'vitest';
import { ContractTemplate } from '../schemas/signed-contract';
import {
	CONTRACT_PLACEHOLDERS,
	fillContractTemplate,
	unknownPlaceholders
} from './contract-template';

describe('fillContractTemplate', () => {
	it('replaces every known placeholder, spaces inside the braces allowed, repeated ones too', () => {
		const body =
			'Entre {{empresa}} y {{ cliente.nombre }} ({{cliente.nif}}), con domicilio en {{cliente.direccion}}.\n' +
			'Contrato {{contrato.nombre}} desde {{contrato.desde}}.\n{{tarifas}}\nFirmado el {{fecha}} por {{cliente.nombre}}.';
		const out = fillContractTemplate(body, {
			empresa: 'Enlace Fibra SL',
			'cliente.nombre': 'Lucía Pérez',
			'cliente.nif': '12345678Z',
			'cliente.direccion': 'C/ Mayor 1, 05001 Ávila',
			'contrato.nombre': 'Fibra casa',
			'contrato.desde': '01/12/2026',
			tarifas: '- Fibra 300 Mb: 30,00 €/mes',
			fecha: '03/12/2026'
		});
		expect(out).toBe(
			'Entre Enlace Fibra SL y Lucía Pérez (12345678Z), con domicilio en C/ Mayor 1, 05001 Ávila.\n' +
				'Contrato Fibra casa desde 01/12/2026.\n- Fibra 300 Mb: 30,00 €/mes\nFirmado el 03/12/2026 por Lucía Pérez.'
		);
	});

	it('a known placeholder without a value prints empty; an unknown one stays as typed', () => {
		expect(fillContractTemplate('[{{contrato.hasta}}] {{otro}}', {})).toBe('[] {{otro}}');
	});

	it('a value holding braces is not filled again', () => {
		expect(fillContractTemplate('{{cliente.nombre}}', { 'cliente.nombre': '{{fecha}}' })).toBe(
			'{{fecha}}'
		);
	});
});

describe('unknownPlaceholders', () => {
	it('names each unknown one once, in order; the documented list is all known', () => {
		expect(
			unknownPlaceholders('{{cliente.nombre}} {{cliente.nombr}} {{x}} {{cliente.nombr}}')
		).toEqual(['cliente.nombr', 'x']);
		const all = Object.keys(CONTRACT_PLACEHOLDERS)
			.map((k) => `{{${k}}}`)
			.join(' ');
		expect(unknownPlaceholders(all)).toEqual([]);
	});

	it('a template with an unknown placeholder is refused on the body, naming it', () => {
		const r = ContractTemplate.safeParse({
			id: 't1',
			name: 'Alta',
			body: 'Hola {{cliente.nombr}}'
		});
		expect(r.success).toBe(false);
		expect(r.error?.issues[0]).toMatchObject({
			path: ['body'],
			message: 'Marcador desconocido: {{cliente.nombr}}'
		});
		expect(
			ContractTemplate.safeParse({ id: 't1', name: 'Alta', body: 'Hola {{fecha}}' }).success
		).toBe(true);
	});
});
