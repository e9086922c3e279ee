import { describe, expect, it, vi } from 'vitest';
import { en } from '../i18n/en';
import { rolesOf, whoMayChange } from './who-may';

// The app's t() keeps the language in a rune, which plain vitest cannot run: this one reads the
// same English dictionary, in whichever language the test asks for.
const lang = vi.hoisted(() => ({ current: 'es' }));
vi.mock('$lib/i18n/index.svelte', () => ({
	t: (es: string, vars?: Record<string, string | number>) =>
		Object.entries(vars ?? {}).reduce(
			(s, [k, v]) => s.replaceAll(`{${k}}`, String(v)),
			lang.current === 'en' ? (en[es] ?? es) : es
		)
}));

describe('who may change a settings page', () => {
	it('names the office profile for tariffs, which office users may edit', () => {
		expect(rolesOf('tariff.create')).toEqual(['admin', 'office']);
		expect(whoMayChange('tariff.create')).toBe(
			'Solo los perfiles Administrador y Oficina pueden cambiar las tarifas.'
		);
	});

	it('says "un administrador" only where the rule is admin-only', () => {
		expect(whoMayChange('ipPool.create')).toBe(
			'Solo un administrador puede cambiar los pools de IP.'
		);
		expect(whoMayChange('setting.create')).toBe(
			'Solo un administrador puede cambiar los parámetros.'
		);
		expect(whoMayChange('customField.create')).toBe(
			'Solo un administrador puede cambiar los campos personalizados.'
		);
	});

	it('translates the whole sentence and the profile names', () => {
		lang.current = 'en';
		try {
			expect(whoMayChange('tariff.create')).toBe(
				'Only the Administrator and Office profiles can change tariffs.'
			);
			expect(whoMayChange('ipPool.create')).toBe('Only an administrator can change IP pools.');
		} finally {
			lang.current = 'es';
		}
	});
});
