/**
 * Several devices against one real server from one Node process. http-transport authenticates
 * with the session cookie, which Node's fetch does not keep: each device's transport gets the base
 * `<server>/~<device>`, and `deviceFetch` drops that prefix and adds the device's bearer token
 * (`deviceTokens.set(device, token)`), so the app's own transport code runs unchanged. Install it
 * with `vi.stubGlobal('fetch', deviceFetch)`.
 */
export const deviceTokens = new Map<string, string>();
const realFetch = globalThis.fetch;
export const deviceFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	const m = /^\/~([^/]+)(\/.*)$/.exec(url.pathname);
	if (!m) return realFetch(input, init);
	url.pathname = m[2];
	const headers = new Headers(init?.headers);
	headers.set('authorization', `Bearer ${deviceTokens.get(m[1])}`);
	return realFetch(url, { ...init, headers });
};
