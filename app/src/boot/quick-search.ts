/**
 * The boot script (see lib/boot-shell.ts): written into index.html before anything else, bundled on
 * its own (a few kilobytes, no framework, no Dexie) so it runs while the app's scripts are still
 * arriving and compiling. On a device signed in with a header saved by this build it
 *
 * - draws that header at once, its quick-search button working (Ctrl+K and "/" too);
 * - reads the search index's snapshot straight from IndexedDB and answers the quick search with
 *   the app's own search functions (the same customers, order and tab) over its haystacks as
 *   saved (PackedColumn: no 50,000 objects built, which took a slowed phone over a second), then
 *   reads only the parts of the hits its results are in (HIT_PART customers each) for what they
 *   show: about half the bytes of every column, and the read is what a slowed phone waits for;
 *   plain DOM for the dialog, styled by the app's global `.quick-search` rules; the app's index
 *   then takes the haystacks without reading them again;
 * - hands over to the app: the app's header replaces this one, a pick made before the app runs
 *   is followed by the app's router, and a dialog the user is typing in stays until closed.
 *
 * It answers from the snapshot alone: rows changed since it was saved (at most a minute's
 * worth, or what a killed tab did not save) are found once the app's index has caught up.
 * English sessions skip it (the app waits for its English catalogue before drawing anything).
 */
import { DEVICE_DB, readShell, type BootHandoff } from '../lib/boot-shell';
import {
	HIT_PART,
	PackedColumn,
	QUICK_SEARCH_LIMIT,
	matchTab,
	searchHaystacks,
	type HitPart,
	type HitSetDump
} from '../lib/features/clientes/search';
import { FORMAT, HAYSTACKS, hitPartKey } from '../lib/features/clientes/search-index';
import { CUSTOMER_TABS } from '../lib/features/ficha/tabs';
// Spanish only (the one language this script runs in), the same texts as the app's QuickSearch.
import { t } from '../lib/i18n/plain';

type Row<T> = { rev: number; value?: T };
type Haystacks = HitSetDump['haystacks'] & { v?: number };

/**
 * The device database, open (undefined before, or once the app upgrades or deletes it), and a
 * read of some of its snapshot rows: undefined for each one missing, all undefined without the
 * database or its snapshot table.
 */
let idb: IDBDatabase | undefined;
function openDevice(): Promise<IDBDatabase | undefined> {
	return new Promise((resolve) => {
		const open = indexedDB.open(DEVICE_DB);
		// No database yet: create none (Dexie creates it with its stores).
		open.onupgradeneeded = () => open.transaction?.abort();
		open.onerror = () => resolve(undefined);
		open.onsuccess = () => {
			performance.mark('enlace:boot-db-open');
			const db = open.result;
			if (!db.objectStoreNames.contains('snapshot')) {
				db.close();
				return resolve(undefined);
			}
			// A new version of the app upgrading the database (or signing out, deleting it) must
			// not wait for this reader.
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

/** What a shown result needs of the hits' part it is in. */
type Shown = Record<'id' | 'code' | 'name' | 'taxId' | 'phone' | 'town', PackedColumn>;

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

function boot() {
	performance.mark('enlace:boot');
	// The app already runs (this script came late): its own header and search are there.
	if (window.enlaceAppStarted) return;
	if (sectionOf(location.pathname) === 'login' || localStorage.getItem('enlace-lang') === 'en')
		return;
	const shell = readShell(document.documentElement.dataset.version ?? '');
	if (!shell) return;

	/** The snapshot's haystacks, once read: what a search reads. */
	let haystacks: { rev: number; column: PackedColumn } | undefined;
	/** The parts of the hits read so far, by number: what the results shown read. */
	const parts = new Map<number, Shown>();
	/** Parts being read (the next render waits for them). */
	let reading: Promise<unknown> | undefined;
	let header: HTMLElement | undefined;
	let dialog: HTMLDialogElement | undefined;
	let input: HTMLInputElement | undefined;
	let results: HTMLElement | undefined;
	let selected = 0;
	let rows: { href: string }[] = [];
	const closed: (() => void)[] = [];

	const handoff: BootHandoff = {
		searching: () => !!dialog?.open,
		ready: () => !!haystacks,
		text: () => input?.value ?? '',
		snapshot: () => snapshot,
		onClose: (fn) => void closed.push(fn),
		removeHeader() {
			header?.remove();
			header = undefined;
			removeEventListener('keydown', globalKey);
		},
		close
	};
	window.enlaceBoot = handoff;

	/** Read the haystacks row (again after the app saved a newer snapshot: see readParts). */
	const loadHaystacks = () =>
		readRows<Haystacks>([HAYSTACKS]).then(([row]) => {
			performance.mark('enlace:boot-snapshot-read');
			const d = row?.value;
			parts.clear();
			haystacks =
				row && d?.v === FORMAT
					? { rev: row.rev, column: new PackedColumn(d.haystack, d.n) }
					: undefined;
			return haystacks && d ? { rev: row!.rev, haystacks: d } : undefined;
		});
	const snapshot = openDevice()
		.then(loadHaystacks)
		.then((loaded) => {
			if (loaded) performance.mark('enlace:search-ready', { detail: 'boot' });
			render();
			return loaded;
		});
	let reloads = 0;

	/**
	 * Read the parts these results are in. A part of another rev means the app saved a new
	 * snapshot since the haystacks were read: they are read again (a few times at most; then the
	 * boot search stops and the app's, once it runs, answers).
	 */
	function readParts(wanted: number[]): Promise<unknown> {
		const at = haystacks!.rev;
		return readRows<HitPart>(wanted.map(hitPartKey)).then((got) => {
			got.forEach((row, i) => {
				const p = row?.value;
				if (!row || !p || row.rev !== at) return;
				const col = (packed: string) => new PackedColumn(packed, p.n);
				parts.set(wanted[i], {
					id: col(p.id),
					code: col(p.code),
					name: col(p.name),
					taxId: col(p.taxId),
					phone: col(p.phone),
					town: col(p.town)
				});
			});
			if (wanted.every((k) => parts.has(k))) return;
			haystacks = undefined;
			if (reloads++ < 3) return loadHaystacks();
		});
	}

	/** The results for the text typed, as the app's QuickSearch shows them. */
	function render() {
		if (!results || !input) return;
		const text = input.value;
		const out: HTMLElement[] = [];
		rows = [];
		const hay = haystacks?.column;
		if (!hay) {
			out.push(el('p', { class: 'muted small', 'aria-busy': 'true' }, t('Cargando clientes…')));
		} else if (text.trim()) {
			const found = searchHaystacks(hay.n, (i) => hay.get(i), text, QUICK_SEARCH_LIMIT);
			const wanted = [...new Set(found.rows.map((at) => Math.floor(at / HIT_PART)))].filter(
				(k) => !parts.has(k)
			);
			if (wanted.length) {
				// A few small rows: the results follow in a moment, for whatever is typed by then.
				reading ??= readParts(wanted).finally(() => {
					reading = undefined;
					render();
				});
				return;
			}
			if (!found.rows.length) out.push(el('p', { class: 'muted small' }, t('Sin resultados')));
			else {
				const ul = el('ul', {
					id: 'quick-search-results',
					class: 'list',
					role: 'listbox',
					'data-testid': 'quick-search-results'
				});
				found.rows.forEach((at, i) => {
					const part = parts.get(Math.floor(at / HIT_PART))!;
					const k = at % HIT_PART;
					const hit = {
						id: part.id.get(k),
						name: part.name.get(k),
						code: part.code.get(k),
						taxId: part.taxId.get(k),
						phone: part.phone.get(k),
						town: part.town.get(k),
						haystack: hay.get(at)
					};
					const tab = CUSTOMER_TABS.find((x) => x.slug === matchTab(hit, text))!;
					const href = `/clientes/${hit.id}/${tab.slug}`;
					rows.push({ href });
					const li = el('li', { role: 'option', 'aria-selected': String(i === selected) });
					li.classList.toggle('selected', i === selected);
					const a = el('a', { href });
					a.append(
						el('span', { class: 'name' }, hit.name),
						el('span', { class: 'code' }, hit.code),
						el(
							'span',
							{ class: 'meta muted small' },
							[hit.taxId, hit.phone, hit.town].filter(Boolean).join(' · ')
						)
					);
					if (tab.slug !== 'general')
						a.append(
							el('span', { class: 'badge blue', 'data-testid': 'quick-search-tab' }, tab.label)
						);
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
		input.focus();
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
}

boot();
