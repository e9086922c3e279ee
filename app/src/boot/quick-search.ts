/**
 * The boot script (see lib/boot-shell.ts): written into index.html before anything else, bundled on
 * its own (a few kilobytes, no framework, no Dexie) so it runs while the app's scripts are still
 * arriving and compiling. On a device signed in with a header saved by this build it
 *
 * - draws that header at once, its quick-search button working (Ctrl+K and "/" too);
 * - answers the quick search from the search index's snapshot (its own small database, read
 *   straight from IndexedDB) with the app's own search functions: the same customers, order,
 *   total and tab. What it reads is what a slowed phone waits for, so it reads little: the
 *   trigram postings of the query's words (search-grams.ts, a few kilobytes), then the haystacks
 *   of the parts of HIT_PART customers its candidates are in, then the parts its results are in
 *   for what they show. A query the postings cannot narrow (no word of three characters, or
 *   candidates in too many parts) reads every haystack, as a PackedColumn (no 50,000 strings
 *   built). It reads in a worker started from this same script, so the page's main thread,
 *   busy with the app's scripts, only draws the answer;
 * - hands over to the app: the app's header replaces this one, a pick made before the app runs
 *   is followed by the app's router, and a dialog the user is typing in stays until closed.
 *
 * It answers from the snapshot alone: rows changed since it was saved (at most a minute's
 * worth, or what a killed tab did not save) are found once the app's index has caught up.
 * English sessions skip it (the app waits for its English catalogue before drawing anything).
 */
import { DEVICE_DB, readShell, searchDbName, type BootHandoff } from '../lib/boot-shell';
import {
	HIT_PART,
	PackedColumn,
	QUICK_SEARCH_LIMIT,
	matchTab,
	searchHaystacks,
	type HitPart,
	type HitSetDump
} from '../lib/features/clientes/search';
import {
	gramCandidates,
	gramPlan,
	searchCandidates,
	type GramBucket
} from '../lib/features/clientes/search-grams';
import {
	FORMAT,
	HAYSTACKS,
	HEAD,
	gramsKey,
	hayPartKey,
	hitPartKey,
	type HayPart,
	type SnapshotHead
} from '../lib/features/clientes/search-index';
import { CUSTOMER_TABS } from '../lib/features/ficha/tabs';
import { APP_MAY_START_GLOBAL, HEAD_LINKS_GLOBAL, type HeadLinks } from './page';
// Spanish only (the one language this script runs in), the same texts as the app's QuickSearch.
import { t } from '../lib/i18n/plain';

type Row<T> = { rev: number; value?: T };
type Haystacks = HitSetDump['haystacks'] & { v?: number };

/**
 * The snapshot's database, open (undefined before, or once the app upgrades or deletes it), and
 * a read of some of its rows: undefined for each one missing, all undefined without the
 * database or its table.
 */
let idb: IDBDatabase | undefined;
function openSnapshots(): Promise<IDBDatabase | undefined> {
	return new Promise((resolve) => {
		const open = indexedDB.open(searchDbName(DEVICE_DB));
		// No database yet: create none (Dexie creates it with its store).
		open.onupgradeneeded = () => open.transaction?.abort();
		open.onerror = () => resolve(undefined);
		open.onsuccess = () => {
			performance.mark('enlace:boot-db-open');
			const db = open.result;
			if (!db.objectStoreNames.contains('snapshot')) {
				db.close();
				return resolve(undefined);
			}
			// A new version of the app upgrading the database (or deleting it) must not wait for
			// this reader.
			db.onversionchange = () => {
				db.close();
				idb = undefined;
			};
			resolve((idb = db));
		};
	});
}

function readRows<T>(keys: string[]): Promise<(Row<T> | undefined)[]> {
	return new Promise((resolve) => {
		const none = () => resolve(keys.map(() => undefined));
		let store: IDBObjectStore;
		try {
			if (!idb) return none();
			store = idb.transaction('snapshot').objectStore('snapshot');
		} catch {
			// Closing under us (the app upgrading or deleting the database).
			return none();
		}
		const rows: (Row<T> | undefined)[] = [];
		let left = keys.length;
		if (!left) return resolve(rows);
		// Done at the last value read, not at the transaction's 'complete': that event is another
		// task, which a main thread busy with the app's scripts ran up to 80 ms later.
		keys.forEach((key, i) => {
			const get = store.get(key);
			get.onsuccess = () => {
				rows[i] = get.result as Row<T> | undefined;
				if (--left === 0) resolve(rows);
			};
		});
		store.transaction.onerror = store.transaction.onabort = none;
	});
}

/** A row of another save than the head read: the app saved a new snapshot meanwhile. */
const STALE = new Error('stale snapshot');

/** Reading more haystack parts than this (each about 1/100 of them all at 50,000), read them all. */
const MAX_HAY_PARTS = 16;

/** What a shown result needs of the hits' part it is in. */
type Shown = Record<'id' | 'code' | 'name' | 'taxId' | 'phone' | 'town', PackedColumn>;

/** A result as the dialog shows it: plain data, so a worker can send it. */
type ShownRow = { href: string; name: string; code: string; meta: string; tab?: string };
/** An answer: its rows, how many matched, the way it was read, and how long it took there. */
type Found = {
	rows: ShownRow[];
	total: number;
	way: 'postings' | 'haystacks';
	/** How long it took where it was read, and of that the search (the rest: the parts shown). */
	ms: number;
	searchMs: number;
};

/** Answers quick searches from the snapshot: in a worker, or in the page if none can start. */
type Searcher = {
	/** Settles once it runs (a worker started, or failed to), before it reads anything. */
	started: Promise<void>;
	/** Settles once the head is read: true if there is a snapshot to answer from. */
	ready: Promise<boolean>;
	/** Undefined when it cannot answer (no snapshot, or the app kept saving new ones). */
	answer(text: string): Promise<Found | undefined>;
};

/** A reader that lives on between pages (the service worker's): read the head again. */
type LastingSearcher = Searcher & { reload(): Promise<boolean> };

/** The snapshot read from IndexedDB, a little at a time (no DOM: it runs in a worker). */
function readingSearcher(): LastingSearcher {
	/**
	 * What has been read of one save of the snapshot (its head's rev), by bucket or part number.
	 * Reading the head again starts a new one: an answer being read keeps the one it began with.
	 */
	type Save = {
		rev: number;
		buckets: Map<number, GramBucket>;
		hays: Map<number, PackedColumn>;
		parts: Map<number, Shown>;
		/** Every haystack (a query the postings cannot narrow), once asked for. */
		full?: Promise<Row<Haystacks> | undefined>;
	};
	/** The save last read (undefined without a usable snapshot). */
	let save: Save | undefined;

	const loadHead = () =>
		readRows<SnapshotHead>([HEAD]).then(([row]) => {
			if (row?.value?.v !== FORMAT) save = undefined;
			// The same save as read before (the service worker, a page later): what was read of it
			// still holds.
			else if (row.rev !== save?.rev)
				save = { rev: row.rev, buckets: new Map(), hays: new Map(), parts: new Map() };
			return !!save;
		});
	const ready = openSnapshots().then(loadHead);

	/** Read the rows of `keys` not read yet into `into`, each of `at`'s save (else STALE). */
	async function load<T>(
		at: Save,
		wanted: number[],
		key: (k: number) => string,
		into: Map<number, T>,
		make: (value: never) => T
	): Promise<void> {
		const missing = [...new Set(wanted)].filter((k) => !into.has(k));
		if (!missing.length) return;
		const got = await readRows(missing.map(key));
		got.forEach((row, i) => {
			if (!row?.value || row.rev !== at.rev) throw STALE;
			into.set(missing[i], make(row.value as never));
		});
	}
	const partOf = (k: number) => Math.floor(k / HIT_PART);
	const loadHays = (at: Save, wanted: number[]) =>
		load(at, wanted, hayPartKey, at.hays, (p: HayPart) => new PackedColumn(p.haystack, p.n));
	const loadParts = (at: Save, wanted: number[]) =>
		load(at, wanted, hitPartKey, at.parts, (p: HitPart) => {
			const col = (packed: string) => new PackedColumn(packed, p.n);
			return {
				id: col(p.id),
				code: col(p.code),
				name: col(p.name),
				taxId: col(p.taxId),
				phone: col(p.phone),
				town: col(p.town)
			};
		});

	/** The positions found for `text` and their haystacks, from `at`'s save (else STALE). */
	async function find(at: Save, text: string) {
		const plan = gramPlan(text);
		if (plan) {
			await load(at, plan.buckets, gramsKey, at.buckets, (b: GramBucket) => b);
			const candidates = gramCandidates(plan, (b) => at.buckets.get(b)!);
			const wanted = [...new Set(candidates.map(partOf))];
			if (wanted.length <= MAX_HAY_PARTS) {
				// A few parts: what the results show is read with their haystacks.
				await Promise.all([loadHays(at, wanted), wanted.length <= 3 && loadParts(at, wanted)]);
				const haystack = (k: number) => at.hays.get(partOf(k))!.get(k % HIT_PART);
				const found = searchCandidates(candidates, haystack, text, QUICK_SEARCH_LIMIT);
				return { ...found, haystack, way: 'postings' as const };
			}
		}
		at.full ??= readRows<Haystacks>([HAYSTACKS]).then(([row]) => row);
		const row = await at.full;
		if (!row?.value || row.rev !== at.rev) throw STALE;
		const column = new PackedColumn(row.value.haystack, row.value.n);
		const haystack = (i: number) => column.get(i);
		const found = searchHaystacks(column.n, haystack, text, QUICK_SEARCH_LIMIT);
		return { ...found, haystack, way: 'haystacks' as const };
	}

	/** The results for `text` as the app's QuickSearch shows them. */
	async function show(at: Save, text: string): Promise<Found> {
		const started = performance.now();
		const found = await find(at, text);
		const searched = performance.now();
		await loadParts(at, found.rows.map(partOf));
		const rows = found.rows.map((k): ShownRow => {
			const part = at.parts.get(partOf(k))!;
			const n = k % HIT_PART;
			const id = part.id.get(n);
			const tab = CUSTOMER_TABS.find(
				(x) => x.slug === matchTab({ haystack: found.haystack(k) }, text)
			)!;
			return {
				href: `/clientes/${id}/${tab.slug}`,
				name: part.name.get(n),
				code: part.code.get(n),
				meta: [part.taxId.get(n), part.phone.get(n), part.town.get(n)].filter(Boolean).join(' · '),
				tab: tab.slug === 'general' ? undefined : tab.label
			};
		});
		const ms = performance.now() - started;
		return { rows, total: found.total, way: found.way, ms, searchMs: searched - started };
	}

	/** The last read of the head (the first, or one again): an answer asked waits for it. */
	let headRead = ready;
	return {
		started: Promise.resolve(),
		ready,
		// The database again if it was closed under it (the app upgraded or deleted it).
		reload: () => (headRead = (idb ? Promise.resolve(idb) : openSnapshots()).then(loadHead)),
		/**
		 * A row of another save means the app saved a new snapshot since the head was read: it is
		 * read again (a few times at most; then the boot search stops answering and the app's,
		 * once it runs, does).
		 */
		async answer(text) {
			await headRead;
			for (let reloads = 0; save && reloads < 3; reloads++) {
				try {
					return await show(save, text);
				} catch (e) {
					if (e !== STALE) throw e;
					await loadHead();
				}
			}
			return undefined;
		}
	};
}

/** A worker's messages: it runs, the head read, and each answer by the number of its question. */
type FromWorker = { up: true } | { ready: boolean } | { q: number; found?: Found };

/**
 * This script again, as a worker that reads the snapshot: the page's main thread is taken by
 * the app's scripts arriving and running, and every IndexedDB read it made waited its turn
 * behind them (150–250 ms from asking to the answer at 50,000 customers, a slowed phone). The
 * worker opens the database at once and sends each answer in one message. Undefined where no
 * worker starts.
 */
function workerSearcher(source: string): Searcher | undefined {
	let worker: Worker;
	if (!source || typeof Worker === 'undefined') return undefined;
	try {
		worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), {
			name: 'enlace-boot-search'
		});
	} catch {
		return undefined;
	}
	const questions = numberedQuestions((q, text) => worker.postMessage({ q, text }));
	let isReady: (ready: boolean) => void = () => undefined;
	let isUp: () => void = () => undefined;
	const ready = new Promise<boolean>((resolve) => (isReady = resolve));
	const started = new Promise<void>((resolve) => (isUp = resolve));
	worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
		if ('up' in data) return isUp();
		if ('ready' in data) return isReady(data.ready);
		questions.answered(data.q, data.found);
	};
	// A worker that fails (a browser refusing it, a script error) answers nothing: the app's
	// search takes over once it runs.
	worker.onerror = () => {
		isUp();
		isReady(false);
		questions.failed();
		worker.terminate();
	};
	return { started, ready, answer: questions.ask };
}

/**
 * Questions sent to another thread (a worker, the service worker) by number, and its answers
 * matched back to them: an answer's number is its question's.
 */
function numberedQuestions(send: (q: number, text: string) => void) {
	let asked = 0;
	const waiting = new Map<number, { text: string; done: (found: Found | undefined) => void }>();
	return {
		ask: (text: string) =>
			new Promise<Found | undefined>((done) => {
				waiting.set(++asked, { text, done });
				send(asked, text);
			}),
		answered(q: number, found: Found | undefined) {
			waiting.get(q)?.done(found);
			waiting.delete(q);
		},
		/**
		 * The other thread will not answer: every question waiting goes to `ask` instead (or is
		 * answered with nothing), and what the other thread sends later is not listened to.
		 */
		failed(ask?: (text: string) => Promise<Found | undefined>) {
			for (const { text, done } of waiting.values())
				void (ask ? ask(text) : Promise.resolve(undefined)).then(done);
			waiting.clear();
		}
	};
}

/**
 * The service worker's messages carry this key with this value: a worker of another build that
 * speaks otherwise is not answered, nor listened to (the page starts a worker of its own).
 */
const SW_KEY = 'enlaceBootSearch';
const SW_PROTOCOL = 1;
/**
 * The longest the page waits for the service worker to say it has read the head. Its reply came
 * within 50 ms; a slowed main thread drawing the first frame read it up to 250 ms after this
 * script ran, and a timer due first would start a worker for nothing. (A service worker of
 * another build is rare: it serves its own build's page.)
 */
const SW_REPLY_MS = 400;

type ToServiceWorker = { hello: true } | { q: number; text: string };

/**
 * The service worker as the snapshot's reader: it is already running when the page loads (it
 * served it), keeps its database open between pages, and imports this same script
 * (vite.config.ts). Undefined where no service worker controls the page; where it does not
 * answer in SW_REPLY_MS (another build's), `fallback` reads instead.
 */
function serviceWorkerSearcher(fallback: () => Searcher): Searcher | undefined {
	const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
	const controller = container?.controller;
	if (!container || !controller) return undefined;
	let replied: (ready: boolean) => void = () => undefined;
	const hello = new Promise<boolean>((resolve) => (replied = resolve));
	const post = (message: ToServiceWorker) =>
		controller.postMessage({ [SW_KEY]: SW_PROTOCOL, ...message });
	const questions = numberedQuestions((q, text) => post({ q, text }));
	container.addEventListener('message', ({ data }: MessageEvent) => {
		if (data?.[SW_KEY] !== SW_PROTOCOL) return;
		const message = data as FromWorker;
		if ('ready' in message) return replied(message.ready);
		if ('q' in message) questions.answered(message.q, message.found);
	});
	// Its messages are held until the page has loaded unless asked for now.
	container.startMessages();
	post({ hello: true });
	let other: Searcher | undefined;
	const ready = Promise.race([
		hello,
		new Promise<undefined>((resolve) => setTimeout(resolve, SW_REPLY_MS))
	]).then((answered) => {
		if (answered !== undefined) return answered;
		other = fallback();
		questions.failed(other.answer);
		return other.ready;
	});
	return {
		started: ready.then(() => other?.started),
		ready,
		// Asked at once, not once its reply to the hello is read: a page's main thread busy with
		// the first frame read that reply 100-200 ms after it came (a slowed phone), and the
		// service worker reads the head before it answers.
		answer: (text) => (other ? other.answer(text) : questions.ask(text))
	};
}

/** In the service worker: answer the pages' questions, the snapshot read as they ask. */
function serveServiceWorker() {
	let searcher: LastingSearcher | undefined;
	type Message = { data: unknown; source: { postMessage(m: unknown): void } | null };
	const scope = self as unknown as {
		addEventListener(
			type: 'message',
			fn: (e: Message & { waitUntil(p: Promise<unknown>): void }) => void
		): void;
	};
	scope.addEventListener('message', (e) => {
		const data = e.data as ({ [SW_KEY]?: number } & ToServiceWorker) | null;
		if (data?.[SW_KEY] !== SW_PROTOCOL) return;
		const reply = (message: FromWorker) =>
			e.source?.postMessage({ [SW_KEY]: SW_PROTOCOL, ...message });
		// A page opened: the head it reads is the one saved last.
		if ('hello' in data) {
			const first = !searcher;
			searcher ??= readingSearcher();
			e.waitUntil((first ? searcher.ready : searcher.reload()).then((ready) => reply({ ready })));
			return;
		}
		const reader = (searcher ??= readingSearcher());
		e.waitUntil(
			reader
				.answer(data.text)
				.catch(() => undefined)
				.then((found) => reply({ q: data.q, found }))
		);
	});
}

/** In the worker: answer the page's questions. */
function serveWorker() {
	const scope = self as unknown as {
		postMessage(message: FromWorker): void;
		onmessage: (e: MessageEvent<{ q: number; text: string }>) => void;
	};
	// First: the page waits for this to start the app (see APP_START_WAIT_MS).
	scope.postMessage({ up: true });
	const searcher = readingSearcher();
	void searcher.ready.then((ready) => scope.postMessage({ ready }));
	scope.onmessage = ({ data }) =>
		void searcher
			.answer(data.text)
			.catch(() => undefined)
			.then((found) => scope.postMessage({ q: data.q, found }));
}

const el = <K extends keyof HTMLElementTagNameMap>(
	tag: K,
	props: Partial<Record<string, string>> = {},
	text?: string
) => {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
	if (text !== undefined) e.textContent = text;
	return e;
};

const sectionOf = (path: string) => path.split('/')[1] ?? '';

/**
 * Draws the header and serves its search (when there is a saved header for this build); settles
 * when the app may start (page.ts): at once when there is nothing to draw, else once the reader
 * runs (the service worker replied, or a worker started), the page has had an idle moment and no
 * answer asked for is being read — or APP_START_WAIT_MS after this script started, whichever is
 * first.
 */
function boot(source: string): Promise<void> {
	performance.mark('enlace:boot');
	const now = Promise.resolve();
	// The app already runs (this script came late): its own header and search are there.
	if (window.enlaceAppStarted) return now;
	if (sectionOf(location.pathname) === 'login' || localStorage.getItem('enlace-lang') === 'en')
		return now;
	const shell = readShell(document.documentElement.dataset.version ?? '');
	if (!shell) return now;

	let reader: 'service-worker' | 'worker' | 'page' = 'service-worker';
	const ownWorker = () => {
		const worker = workerSearcher(source);
		reader = worker ? 'worker' : 'page';
		return worker ?? readingSearcher();
	};
	const searcher = serviceWorkerSearcher(ownWorker) ?? ownWorker();
	void searcher.started.then(() => performance.mark('enlace:boot-worker-up'));
	let ready = false;
	let header: HTMLElement | undefined;
	let dialog: HTMLDialogElement | undefined;
	let input: HTMLInputElement | undefined;
	let results: HTMLElement | undefined;
	let selected = 0;
	let rows: { href: string }[] = [];
	/** Counts renders: an answer is drawn only if no later text asked since. */
	let asked = 0;
	/** Answers being read, and who waits for there to be none (the app's start). */
	let reading = 0;
	let idle: (() => void)[] = [];
	const closed: (() => void)[] = [];

	const handoff: BootHandoff = {
		searching: () => !!dialog?.open,
		ready: () => ready,
		text: () => input?.value ?? '',
		settled: () => new Promise((resolve) => (reading ? idle.push(resolve) : resolve())),
		onClose: (fn) => void closed.push(fn),
		removeHeader() {
			header?.remove();
			header = undefined;
			removeEventListener('keydown', globalKey);
		},
		close
	};
	window.enlaceBoot = handoff;

	// A question asked before this is already on its way (render).
	void searcher.ready.then((found) => {
		performance.mark('enlace:boot-snapshot-read', { detail: reader });
		ready = found;
		if (ready) performance.mark('enlace:search-ready', { detail: 'boot' });
	});

	/** The results for the text typed, as the app's QuickSearch shows them (once read). */
	function render() {
		if (!results || !input) return;
		const text = input.value;
		const mine = ++asked;
		if (!text.trim()) {
			rows = [];
			results.replaceChildren();
			return;
		}
		// Asked at once, also before the snapshot's head is read (its reader answers once it is).
		// The last answer stays while this one is read; a first one says it is coming.
		if (!results.childElementCount)
			results.replaceChildren(
				el('p', { class: 'muted small', 'aria-busy': 'true' }, t('Cargando clientes…'))
			);
		reading++;
		void searcher.answer(text).then((found) => {
			if (mine === asked && found) {
				// How each answer was read, and how long that took where it was read.
				performance.mark(`enlace:boot-answer-${found.way}`, {
					detail: { ms: found.ms, searchMs: found.searchMs }
				});
				draw(found);
			}
			// Whoever waits goes on in a task of its own: the answer is painted first.
			if (--reading === 0) {
				const waiting = idle;
				idle = [];
				setTimeout(() => waiting.forEach((go) => go()));
			}
		});
	}

	function draw(found: Found) {
		if (!results) return;
		const out: HTMLElement[] = [];
		rows = found.rows;
		if (!found.rows.length) out.push(el('p', { class: 'muted small' }, t('Sin resultados')));
		else {
			const ul = el('ul', {
				id: 'quick-search-results',
				class: 'list',
				role: 'listbox',
				'data-testid': 'quick-search-results'
			});
			found.rows.forEach((row, i) => {
				const li = el('li', { role: 'option', 'aria-selected': String(i === selected) });
				li.classList.toggle('selected', i === selected);
				const a = el('a', { href: row.href });
				a.append(
					el('span', { class: 'name' }, row.name),
					el('span', { class: 'code' }, row.code),
					el('span', { class: 'meta muted small' }, row.meta)
				);
				if (row.tab)
					a.append(el('span', { class: 'badge blue', 'data-testid': 'quick-search-tab' }, row.tab));
				a.addEventListener('click', (e) => {
					e.preventDefault();
					go(i);
				});
				a.addEventListener('mouseenter', () => select(i));
				li.append(a);
				ul.append(li);
			});
			out.push(ul);
			if (found.total > found.rows.length)
				out.push(
					el(
						'p',
						{ class: 'muted small' },
						t('Se muestran {n} de {total}: escriba más para afinar.', {
							n: found.rows.length,
							total: found.total.toLocaleString('es-ES')
						})
					)
				);
		}
		results.replaceChildren(...out);
	}

	function select(i: number) {
		selected = Math.max(0, Math.min(i, rows.length - 1));
		results?.querySelectorAll('li').forEach((li, k) => {
			li.classList.toggle('selected', k === selected);
			li.setAttribute('aria-selected', String(k === selected));
		});
	}

	function go(i: number) {
		const row = rows[i];
		if (!row) return;
		close();
		if (handoff.navigate) handoff.navigate(row.href);
		else handoff.pending = row.href;
	}

	function close() {
		if (!dialog) return;
		dialog.close();
		dialog.remove();
		dialog = input = results = undefined;
		for (const fn of closed.splice(0)) fn();
	}

	function show() {
		if (dialog) return;
		dialog = el('dialog', {
			class: 'card quick-search',
			'aria-label': t('Búsqueda rápida de clientes'),
			'data-testid': 'quick-search'
		}) as HTMLDialogElement;
		input = el('input', {
			type: 'search',
			autocomplete: 'off',
			placeholder: t('Nombre, código, NIF, teléfono, usuario PPPoE, IP, serie ONT…'),
			'aria-label': t('Buscar clientes'),
			'aria-controls': 'quick-search-results',
			'data-testid': 'quick-search-input'
		});
		results = el('div');
		const hint = el('p', { class: 'muted small hint' });
		hint.innerHTML =
			'<kbd>↑</kbd><kbd>↓</kbd> moverse · <kbd>Intro</kbd> abrir · <kbd>Esc</kbd> cerrar';
		dialog.append(input, results, hint);
		input.addEventListener('input', () => {
			selected = 0;
			render();
		});
		input.addEventListener('keydown', (e) => {
			if (e.key === 'ArrowDown') select(selected + 1);
			else if (e.key === 'ArrowUp') select(selected - 1);
			else if (e.key === 'Enter') go(selected);
			else if (e.key === 'Escape') close();
			else return;
			e.preventDefault();
		});
		dialog.addEventListener('click', (e) => {
			if (e.target === dialog) close();
		});
		// Esc closes a modal dialog by itself too: tell the app the same way.
		dialog.addEventListener('cancel', (e) => {
			e.preventDefault();
			close();
		});
		document.body.append(dialog);
		dialog.showModal();
		input.focus({ preventScroll: true });
		render();
	}

	function globalKey(e: KeyboardEvent) {
		if (dialog) return;
		const typing = (e.target as HTMLElement | null)?.closest?.(
			'input, textarea, select, [contenteditable]'
		);
		if (((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') || (e.key === '/' && !typing)) {
			e.preventDefault();
			show();
		}
	}

	/** The saved header, its section marked for this page, its search button working. */
	function drawHeader() {
		if (window.enlaceAppStarted) return;
		const box = document.createElement('div');
		box.innerHTML = shell!.html;
		const h = box.firstElementChild as HTMLElement | null;
		if (!h) return;
		h.dataset.boot = '';
		const section = sectionOf(location.pathname);
		for (const a of h.querySelectorAll('nav a'))
			a.classList.toggle('active', a.getAttribute('href') === `/${section}`);
		// Only the search works before the app: a tap elsewhere reaches nothing (not a dead
		// control, nor a page load).
		const search = h.querySelector<HTMLElement>('[data-testid=quick-search-open]');
		h.style.pointerEvents = 'none';
		if (search) {
			search.style.pointerEvents = 'auto';
			search.addEventListener('click', show);
		}
		document.body.prepend(h);
		header = h;
		performance.mark('enlace:boot-header');
		addEventListener('keydown', globalKey);
	}

	// Run from the head: the body is not parsed yet.
	if (document.body) drawHeader();
	else
		new MutationObserver((_, watch) => {
			if (!document.body) return;
			watch.disconnect();
			drawHeader();
		}).observe(document.documentElement, { childList: true });

	// The app starts once the reader runs, in a moment the page is idle (the header drawn, what
	// the user does first handled), and with no answer the user asked for being read.
	return Promise.race([
		searcher.started.then(whenIdle).then(handoff.settled),
		new Promise<void>((resolve) => setTimeout(resolve, APP_START_WAIT_MS))
	]);
}

/** Settles in the page's next idle moment (or its next task, where there is no such API). */
const whenIdle = () =>
	new Promise<void>((resolve) => {
		if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve());
		else setTimeout(resolve);
	});

/**
 * The longest the app's start waits for the boot search (from this script's start). Starting a
 * worker takes the page's main thread a few tasks, which the app's scripts arriving (their
 * requests, compiling, running) kept from it: 70 ms after `new Worker` on a quiet page slowed 4×,
 * 200 ms and more beside the app; and the requests of the app's first scripts took a slowed main
 * thread 60–70 ms, which an answer arriving meanwhile waited for.
 */
const APP_START_WAIT_MS = 400;

/**
 * The head's stylesheets and modulepreloads, moved into this script (page.ts) so the browser
 * does not request them all before it runs: the stylesheets written back where they were,
 * parser-inserted as before (they still hold the first paint); the modulepreloads once the app
 * may start (its start waits for the same).
 */
function writeHeadLinks(mayStart: Promise<void>) {
	const scope = globalThis as { [HEAD_LINKS_GLOBAL]?: HeadLinks };
	const links = scope[HEAD_LINKS_GLOBAL];
	scope[HEAD_LINKS_GLOBAL] = undefined;
	if (!links) return;
	if (links.styles) document.write(links.styles);
	void mayStart.then(() => {
		for (const href of links.modules) {
			const link = document.createElement('link');
			link.rel = 'modulepreload';
			link.href = href;
			document.head.append(link);
		}
	});
}

// The same script runs as the page's boot script (written into index.html, whose text it passes
// on to start its worker) and as that worker. Whatever boot() did (drew nothing, or threw), the
// page gets its links and the app its start.
if (typeof document === 'undefined') {
	if ('ServiceWorkerGlobalScope' in globalThis) serveServiceWorker();
	else serveWorker();
} else {
	let mayStart = Promise.resolve();
	try {
		mayStart = boot(document.currentScript?.textContent ?? '');
	} finally {
		(window as unknown as Record<string, Promise<void>>)[APP_MAY_START_GLOBAL] = mayStart;
		writeHeadLinks(mayStart);
	}
}
