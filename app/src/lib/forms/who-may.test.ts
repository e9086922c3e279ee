import { describe, expect, it } from 'vitest';
import { rolesOf, whoMayChange } from './who-may';

describe('who may change a settings page', () => {
	it('names the office profile for tariffs, which office users may edit', () => {
		expect(rolesOf('tariff.create')).toEqual(['admin', 'office']);
		expect(whoMayChange('tariff.create', 'las tarifas')).toBe(
			'Solo los perfiles Administrador y Oficina pueden cambiar las tarifas.'
		);
	});

	it('says "un administrador" only where the rule is admin-only', () => {
		expect(whoMayChange('ipPool.create', 'los pools de IP')).toBe(
			'Solo un administrador puede cambiar los pools de IP.'
		);
		expect(whoMayChange('setting.create', 'los parámetros')).toBe(
			'Solo un administrador puede cambiar los parámetros.'
		);
		expect(whoMayChange('customField.create', 'los campos personalizados')).toBe(
			'Solo un administrador puede cambiar los campos personalizados.'
		);
	});

	it('translates every piece with the given t', () => {
		const en: Record<string, string> = {
			'Solo los perfiles {roles} pueden cambiar {what}.': 'Only {roles} can change {what}.',
			'las tarifas': 'tariffs',
			Administrador: 'Administrator',
			Oficina: 'Office',
			y: 'and'
		};
		const t = (es: string, vars?: Record<string, string | number>) =>
			Object.entries(vars ?? {}).reduce(
				(s, [k, v]) => s.replaceAll(`{${k}}`, String(v)),
				en[es] ?? es
			);
		expect(whoMayChange('tariff.create', 'las tarifas', t)).toBe(
			'Only Administrator and Office can change tariffs.'
		);
	});
});
