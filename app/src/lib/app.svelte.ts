import { goto } from '$app/navigation';
import type { Role } from '@enlace/shared';
import { EnlaceDb } from './db/db';
import type { ChangeNotice } from './sync/engine';
import { api, httpTransport } from './sync/http-transport';
import { LazyEngine } from './sync/lazy-engine';
import { SyncLoop } from './sync/loop';
import { DRAFT_PREFIX } from './forms/drafts';
import { FileUploader } from './files/uploader';
import { clearShell } from './boot-shell';

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
/** The sync engine, loaded after the first screen (see LazyEngine); its calls wait for it. */
export const engine = new LazyEngine(async () => {
	const { SyncEngine } = await import('./sync/engine');
	return new SyncEngine(db, httpTransport(), clientId(), () =>
		session.user
			? { userId: session.user.id, userName: session.user.name, role: session.user.role }
			: undefined
	);
});

/**
 * Local changes are announced to this tab's listeners by the engine, and to other tabs over a
 * BroadcastChannel (the sync leader applies pulls for every tab of the browser). `onDataChange`
 * hears which entities changed; `onRowsChange` the changed rows themselves and the journal rev
 * (the customer search index updates from them, see ChangeNotice).
 */
const channel = new BroadcastChannel('enlace-changes');
type Listener = (entities: Set<string>) => void;
const changeListeners = new Set<Listener>();
const rowListeners = new Set<(n: ChangeNotice) => void>();
export function onDataChange(fn: Listener): () => void {
	changeListeners.add(fn);
	return () => changeListeners.delete(fn);
}
export function onRowsChange(fn: (n: ChangeNotice) => void): () => void {
	rowListeners.add(fn);
	return () => rowListeners.delete(fn);
}
function tell(n: ChangeNotice) {
	const entities = new Set(n.changes.keys() as Iterable<string>);
	for (const fn of changeListeners) fn(entities);
	for (const fn of rowListeners) fn(n);
}
engine.onChange((n) => {
	tell(n);
	// Other tabs get the rev and the entities; the rows they read from the journal.
	channel.postMessage({ rev: n.rev, entities: [...n.changes.keys()] });
});
// The role can change on the server (an admin demotes or promotes): screens and local checks follow.
engine.onRole((role) => {
	if (!session.user || session.user.role === role) return;
	session.user = { ...session.user, role };
	void db.setMeta('session', $state.snapshot(session.user));
});
channel.onmessage = (ev: MessageEvent<{ rev: number; entities: string[] }>) => {
	const entities = new Set(ev.data.entities);
	for (const fn of changeListeners) fn(entities);
	for (const fn of rowListeners) fn({ rev: ev.data.rev, changes: new Map(), rowsOmitted: true });
};

let loop: SyncLoop | undefined;
let uploader: FileUploader | undefined;

function stopSync() {
	loop?.stop();
	loop = undefined;
	uploader?.stop();
	uploader = undefined;
}

function startSync() {
	stopSync();
	uploader = new FileUploader(db);
	uploader.start();
	loop = new SyncLoop(db, engine, () => {
		// The server no longer knows our session: keep the data, ask for the password again.
		void goto('/login?caducada=1');
	});
	loop.start();
}

export function syncNow() {
	if (loop) loop.kick();
	uploader?.kick();
}

let sessionWasRead = () => undefined as void;
/**
 * Settles once the device's session has been read (signed in or not): the shell is drawn then.
 * The search index reads its snapshot after it, so the header is not drawn behind it.
 */
export const sessionRead = new Promise<void>((resolve) => (sessionWasRead = resolve));

/** Once the browser is idle (the shell drawn, the first search answered), or after `ms`. */
const whenIdle = (fn: () => void, ms: number) =>
	'requestIdleCallback' in window ? requestIdleCallback(fn, { timeout: ms }) : setTimeout(fn, ms);

/**
 * A phone keeps working offline with its last session; the server re-checks it on the next push.
 * The engine (and with it the first sync) starts once the shell is up: opening the app, the
 * header's quick search answers from the index's snapshot first.
 */
export async function initSession(): Promise<void> {
	session.user = await db.getMeta<SessionUser>('session');
	session.ready = true;
	performance.mark('enlace:session-ready');
	sessionWasRead();
	if (!session.user) return;
	whenIdle(() => {
		if (session.user && !loop) startSync();
	}, 2000);
}

const draftKeys = () =>
	Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).filter(
		(k): k is string => !!k?.startsWith(DRAFT_PREFIX)
	);

/** A sign-in the server accepted, before the device is handed to that user. */
export type SignIn = {
	user: SessionUser;
	/** Unsent changes (outbox, rejected list, drafts) of the device's previous user. */
	lost: number;
	previousName?: string;
};

/**
 * Checks the password with the server. Nothing on the device changes yet: when the device
 * holds another user's unsent work, the screen asks before `startSession` discards it.
 */
export async function authenticate(email: string, password: string): Promise<SignIn> {
	const { user } = await api<{ user: SessionUser }>('/api/auth/login', {
		method: 'POST',
		body: JSON.stringify({ email, password })
	});
	const owner = await db.getMeta<string>('owner');
	if (!owner || owner === user.id) return { user, lost: 0 };
	const previous = await db.getMeta<SessionUser>('ownerUser');
	const lost =
		(await db.outbox.count()) +
		(await db.rejected.count()) +
		(await db.fileUpload.count()) +
		draftKeys().length;
	return { user, lost, previousName: previous?.name };
}

/** The other user's work stays: the session just opened on the server is closed again. */
export async function abandonSignIn(): Promise<void> {
	await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
}

/**
 * The device belongs to `user` from now on. Data, outbox, rejected list and drafts belong to
 * one user: another user's are dropped first, so nothing of theirs is shown, kept or pushed
 * under this session.
 */
export async function startSession(user: SessionUser): Promise<void> {
	const owner = await db.getMeta<string>('owner');
	if (owner && owner !== user.id) {
		stopSync();
		await engine.discardAll();
		for (const k of draftKeys()) localStorage.removeItem(k);
	}
	// The next start draws this user's header, saved once it is drawn.
	clearShell();
	await db.setMeta('owner', user.id);
	await db.setMeta('ownerUser', user);
	await db.setMeta('session', user);
	session.user = user;
	startSync();
}

export async function logout(): Promise<void> {
	await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
	stopSync();
	clearShell();
	await db.meta.delete('session');
	session.user = undefined;
	await goto('/login');
}
