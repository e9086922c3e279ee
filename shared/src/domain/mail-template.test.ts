import { describe, expect, it } from 'vitest';
import { fillTemplate } from './mail-template';

describe('fillTemplate', () => {
	it('replaces known variables, empties missing ones and keeps unknown ones', () => {
		expect(
			fillTemplate('Hola {{cliente}}: factura {{ documento }} de {{importe}} {{vence}}{{codigo}}', {
				cliente: 'Ana',
				documento: 'F2026-000001',
				importe: '36,30 €'
			})
		).toBe('Hola Ana: factura F2026-000001 de 36,30 € {{vence}}');
	});
});
