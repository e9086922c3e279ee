import { t } from '$lib/i18n/index.svelte';
import { HttpError } from '$lib/sync/http-transport';
import { formErrors, type FormErrors } from './values';

/**
 * A failed request to an admin API (users, agents: plain HTTP, not sync) as field errors: the
 * server's `{code, message, field}`, or "`offline`: no se ha podido contactar con el servidor".
 */
export function requestErrors(e: unknown, offline: string): FormErrors {
	if (e instanceof HttpError)
		return e.error.field ? { [e.error.field]: e.error.message } : { _: e.error.message };
	// fetch() rejects with a TypeError when the network is down or the server unreachable.
	if (e instanceof TypeError)
		return { _: t('{what}: no se ha podido contactar con el servidor', { what: t(offline) }) };
	return formErrors(e);
}
