import { RenewalAssignment } from '@enlace/shared';
import { checkWith } from '$lib/forms';
import { RowEditor } from '$lib/forms/row-editor.svelte';
import { RENEWAL_KEYS, draftOf, valuesOf, type RenewalDraft } from './renewal-form';

/**
 * One assignment created or edited at a time; an update sends only the form's fields, so what
 * the server recorded as invoiced (`lastInvoiced`) is never sent back.
 */
export const renewalEditor = (customerId: string) =>
	new RowEditor<RenewalAssignment, RenewalDraft>({
		entity: 'renewalAssignment',
		keys: RENEWAL_KEYS,
		toDraft: draftOf,
		toRow: (d, id) => checkWith(RenewalAssignment, { id, customerId, ...valuesOf(d) }),
		draftKey: `renewalAssignment:${customerId}`
	});
