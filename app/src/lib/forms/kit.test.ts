import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { AppError } from '@enlace/shared';
import { draftStore, type DraftStorage } from './drafts';
import { rowChange } from './rows';
import { checkWith, fieldErrors, hasErrors } from './validate';
import {
	differs,
	filledKeys,
	fillProposals,
	formErrors,
	mergeUntouched,
	patchOf,
	trimmedValues,
	valuesOf
} from './values';

function fakeStorage(): DraftStorage & { data: Map<string, string> } {
	const data = new Map<string, string>();
	return {
		data,
		getItem: (k) => data.get(k) ?? null,
		setItem: (k, v) => void data.set(k, v),
		removeItem: (k) => void data.delete(k)
	};
}

describe('the device draft store', () => {
	it('keeps a draft until cleared, under its own prefix', () => {
		const storage = fakeStorage();
		const store = draftStore(() => storage);
		store.save('customer:1', { name: 'Ana' });
		expect([...storage.data.keys()]).toEqual(['enlace-draft:customer:1']);
		expect(store.load('customer:1')).toEqual({ name: 'Ana' });
		store.clear('customer:1');
		expect(store.load('customer:1')).toBeUndefined();
	});

	it('drops a draft it cannot read instead of breaking the form', () => {
		const storage = fakeStorage();
		storage.setItem('enlace-draft:x', '{not json');
		expect(draftStore(() => storage).load('x')).toBeUndefined();
		expect(storage.data.size).toBe(0);
	});

	it('works without storage at all (server rendering, refused storage)', () => {
		const store = draftStore(() => undefined);
		store.save('x', 1);
		expect(store.load('x')).toBeUndefined();
		const full = {
			...fakeStorage(),
			setItem: () => {
				throw new Error('QuotaExceeded');
			}
		};
		expect(() => draftStore(() => full).save('x', 1)).not.toThrow();
	});
});

describe('remote changes merged into a draft', () => {
	it('takes the new value in untouched fields and keeps what the user typed', () => {
		const base = { name: 'Ana', phone: '600', town: '' };
		const draft = { name: 'Ana María', phone: '600', town: '' };
		const next = { name: 'Ana G.', phone: '611', town: 'Huesca' };
		expect(mergeUntouched(draft, base, next)).toEqual({
			name: 'Ana María',
			phone: '611',
			town: 'Huesca'
		});
	});

	it('adds fields the draft did not have yet (a custom field defined meanwhile)', () => {
		expect(
			mergeUntouched<Record<string, string>>({ a: 'x' }, { a: '' }, { a: 'y', b: 'z' })
		).toEqual({
			a: 'x',
			b: 'z'
		});
	});

	it('counts empty values as equal when deciding what is dirty', () => {
		expect(differs({ a: '', b: 'x' }, { a: undefined, b: 'x' })).toBe(false);
		expect(differs({ a: 'y' }, { a: undefined })).toBe(true);
		expect(differs({ tags: ['a'] }, { tags: ['a'] })).toBe(false);
	});
});

describe('defaults that reach a new form late (settings on a first sync)', () => {
	it('fill an empty field once, and never what the user chose', () => {
		const draft: Record<string, unknown> = { stageId: '', ownerId: 'u1', title: '' };
		const settled = filledKeys(draft);
		fillProposals(draft, settled, { stageId: '', ownerId: 'u2' });
		expect(draft).toEqual({ stageId: '', ownerId: 'u1', title: '' });
		fillProposals(draft, settled, { stageId: 'first' });
		expect(draft.stageId).toBe('first');
		// The user empties it on purpose: the same proposal does not come back.
		draft.stageId = '';
		fillProposals(draft, settled, { stageId: 'first' });
		expect(draft.stageId).toBe('');
	});
	it('leave a field the user filled before the default arrived', () => {
		const draft: Record<string, unknown> = { typeId: '' };
		const settled = filledKeys(draft);
		draft.typeId = 'cash';
		fillProposals(draft, settled, { typeId: 'bank' });
		expect(draft.typeId).toBe('cash');
	});
});

describe('trimmed values', () => {
	it('trims text, leaves out empty fields but keeps required ones and unreadable numbers', () => {
		expect(
			trimmedValues(
				{ name: '  ', notes: ' hola ', toDate: '', day: Number.NaN, count: undefined },
				['name']
			)
		).toEqual({ name: '', notes: 'hola', day: Number.NaN });
	});
});

describe('patches and creates', () => {
	it('sends only what changed, null to clear', () => {
		expect(patchOf({ a: 'x', b: 'y', c: '' }, { a: 'x', b: '', c: 'z' }, ['a', 'b', 'c'])).toEqual({
			b: null,
			c: 'z'
		});
		expect(valuesOf({ a: '', b: 0, c: false, d: null })).toEqual({ b: 0, c: false });
	});

	it('builds the one mutation a row editor sends', () => {
		const keys = ['street', 'town'];
		expect(
			rowChange({
				editing: 'new',
				id: 'n1',
				row: { street: 'Mayor 1', town: '' },
				original: undefined,
				keys,
				extra: { customerId: 'c1' }
			})
		).toEqual({ kind: 'create', args: { street: 'Mayor 1', customerId: 'c1', id: 'n1' } });
		expect(
			rowChange({
				editing: 'a1',
				id: 'a1',
				row: { street: 'Mayor 2', town: 'Jaca' },
				original: { street: 'Mayor 1', town: 'Jaca' },
				keys,
				extra: { customerId: 'c1' }
			})
		).toEqual({ kind: 'update', args: { id: 'a1', patch: { street: 'Mayor 2' } } });
		expect(
			rowChange({ editing: 'a1', id: 'a1', row: { street: 'x' }, original: { street: 'x' }, keys })
		).toEqual({ kind: 'none' });
	});
});

describe('validation reports every invalid field at once', () => {
	const Row = z.object({
		name: z.string().min(1, 'Indique el nombre'),
		email: z.email('Correo no válido').optional(),
		socios: z.array(z.object({ share: z.number().max(100, 'Como mucho 100') })).optional()
	});

	it('with a whole schema, by path', () => {
		const r = checkWith(Row, { name: '', email: 'x', socios: [{ share: 120 }] });
		expect('errors' in r && r.errors).toEqual({
			name: 'Indique el nombre',
			email: 'Correo no válido',
			'socios.0.share': 'Como mucho 100'
		});
		expect(checkWith(Row, { name: 'Ana' })).toEqual({ row: { name: 'Ana' } });
	});

	it('field by field, empty optional fields absent', () => {
		expect(fieldErrors(Row.shape, { name: '', email: '' })).toEqual({ name: 'Indique el nombre' });
		expect(fieldErrors(Row.shape, { name: 'Ana', email: 'x' }, ['email'])).toEqual({
			email: 'Correo no válido'
		});
		expect(hasErrors({ name: '' })).toBe(false);
		expect(hasErrors({ name: 'x' })).toBe(true);
	});

	it('puts a refused mutation on its field', () => {
		expect(formErrors(new AppError('invalid-args', 'VLAN no válida', 'vlan'))).toEqual({
			vlan: 'VLAN no válida'
		});
		expect(formErrors(new Error('boom'))).toEqual({ _: 'boom' });
	});
});
