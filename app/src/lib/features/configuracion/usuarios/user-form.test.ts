import { describe, expect, it, vi } from 'vitest';
import type { User } from '@enlace/shared';
import { userDraft, userRequest } from './user-form';

// Its messages go through t(), whose language rune plain vitest cannot run: Spanish here.
vi.mock('$lib/i18n/index.svelte', () => import('../../../i18n/plain'));

const olga: User = {
	id: 'u-1',
	name: 'Olga Oficina',
	email: 'olga@enlace.test',
	role: 'office',
	active: true
};

describe('the user form', () => {
	it('reports every invalid field of a new user at once, the missing email by name', () => {
		const r = userRequest('new', { name: '', email: ' ', role: 'office', password: 'corta' });
		expect('errors' in r && r.errors).toMatchObject({
			name: 'Indique el nombre',
			email: 'Indique el correo electrónico',
			password: expect.stringContaining('al menos 10 caracteres')
		});
	});

	it('sends a new user whole, with the email trimmed', () => {
		const r = userRequest('new', {
			name: 'Olga Oficina',
			email: ' olga@enlace.test ',
			role: 'office',
			password: 'olga-password-123'
		});
		expect(r).toEqual({
			row: {
				name: 'Olga Oficina',
				email: 'olga@enlace.test',
				role: 'office',
				password: 'olga-password-123'
			}
		});
	});

	it('sends only what changed of an existing user, and the password alone when changing it', () => {
		expect(userRequest('edit', { ...userDraft(olga), role: 'admin' }, olga)).toEqual({
			row: { role: 'admin' }
		});
		expect(userRequest('edit', userDraft(olga), olga)).toEqual({ row: {} });
		expect(
			userRequest('password', { ...userDraft(olga), password: 'nueva-clave-larga' }, olga)
		).toEqual({ row: { password: 'nueva-clave-larga' } });
		expect('errors' in userRequest('password', userDraft(olga), olga)).toBe(true);
	});
});
