import { goto } from '$app/navigation';
import type { Role } from '@enlace/shared';
import { EnlaceDb } from './db/db';
import { SyncEngine, type ChangeNotice } from './sync/engine';
import { api, httpTransport } from './sync/http-transport';
import { SyncLoop } from './sync/loop';

export type SessionUser = { id: string; email: string; name: string; role: Role };

function clientId(): string {
	let id = localStorage.getItem('enlace-client-id');
	if (!id) {
		id = crypto.randomUUID();
		localStorage.setItem('enlace-client-id', id);
	}
	return id;
}

class Session {
	user = $state<SessionUser | undefined>();
	ready = $state(false);
}

export const session = new Session();
export const db = new EnlaceDb();
export const engine = new SyncEngine(db, httpTransport(), clientId(), () =>
	session.user
		? { userId: session.user.id, userName: session.user.name, role: session.user.role }
		: undefined
);

/**
 * Local changes are announced to this tab's listeners by the engine, and to other tabs over a
 * BroadcastChannel (the sync leader applies pulls for every tab of the browser).
 */
const channel = new BroadcastChannel('enlace-changes');
type Listener = (entities: Set<string>) => void;
const changeListeners = new Set<Listener>();
export function onDataChange(fn: Listener): () => void {
	changeListeners.add(fn);
	return () => changeListeners.delete(fn);
}
function announce(n: ChangeNotice) {
	const entities = new Set(n.keys() as Iterable<string>);
	for (const fn of changeListeners) fn(entities);
	channel.postMessage([...entities]);
}
engine.onChange(announce);
// The role can change on the server (an admin demotes or promotes): screens and local checks follow.
engine.onRole((role) => {
	if (!session.user || session.user.role === role) return;
	session.user = { ...session.user, role };
	void db.setMeta('session', $state.snapshot(session.user));
});
channel.onmessage = (ev: MessageEvent<string[]>) => {
	const entities = new Set(ev.data);
	for (const fn of changeListeners) fn(entities);
};

let loop: SyncLoop | undefined;

function startSync() {
	loop?.stop();
	loop = new SyncLoop(db, engine, () => {
		// The server no longer knows our session: keep the data, ask for the password again.
		void goto('/login?caducada=1');
	});
	loop.start();
}

export function syncNow() {
	if (loop) loop.kick();
}

/** A phone keeps working offline with its last session; the server re-checks it on the next push. */
export async function initSession(): Promise<void> {
	session.user = await db.getMeta<SessionUser>('session');
	session.ready = true;
	if (session.user) startSync();
}

export async function login(email: string, password: string): Promise<void> {
	const { user } = await api<{ user: SessionUser }>('/api/auth/login', {
		method: 'POST',
		body: JSON.stringify({ email, password })
	});
	const owner = await db.getMeta<string>('owner');
	if (owner && owner !== user.id && (await db.outbox.count()) === 0) {
		// Another person's device data (and role scope) must not leak into this session.
		await engine.resetLocal();
		await db.rejected.clear();
	}
	await db.setMeta('owner', user.id);
	await db.setMeta('session', user);
	session.user = user;
	startSync();
}

export async function logout(): Promise<void> {
	await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
	loop?.stop();
	loop = undefined;
	await db.meta.delete('session');
	session.user = undefined;
	await goto('/login');
}
