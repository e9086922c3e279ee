import { describe, expect, it, vi } from 'vitest';
import { packageDraft, packageRow } from './package-form';

// Its messages go through t(), whose language rune plain vitest cannot run: Spanish here.
vi.mock('$lib/i18n/index.svelte', () => import('../../../i18n/plain'));

describe('packageRow', () => {
	it('turns the form into a row: items one per line, blank ones dropped, price in cents', () => {
		const d = {
			...packageDraft(undefined),
			name: ' Hosting ',
			items: 'Dominio .es\n\n  Hosting 10 GB \n',
			price: '120'
		};
		expect(packageRow(d)).toEqual({
			row: {
				name: 'Hosting',
				items: ['Dominio .es', 'Hosting 10 GB'],
				priceCents: 12000,
				vatRate: 21,
				period: 'yearly',
				active: true
			}
		});
	});
	it('names every wrong field at once', () => {
		const d = { ...packageDraft(undefined), name: '', items: 'x'.repeat(201), price: 'abc' };
		const r = packageRow(d);
		expect('errors' in r && Object.keys(r.errors).sort()).toEqual(['items', 'name', 'price']);
	});
	it('shows a stored package back as it was typed', () => {
		const p = {
			id: 'p1',
			name: 'Hosting',
			items: ['A', 'B'],
			priceCents: 12050,
			vatRate: 10 as const,
			period: 'monthly' as const,
			active: false
		};
		expect(packageDraft(p)).toEqual({
			name: 'Hosting',
			items: 'A\nB',
			price: '120,50',
			vatRate: '10',
			period: 'monthly',
			active: false
		});
	});
});
