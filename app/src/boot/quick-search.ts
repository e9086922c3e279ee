/**
 * The boot script (see lib/boot-shell.ts): written into index.html before anything else, bundled on
 * its own (a few kilobytes, no framework, no Dexie) so it runs while the app's scripts are still
 * arriving and compiling. On a device signed in with a header saved by this build it
 *
 * - draws that header at once, its quick-search button working (Ctrl+K and "/" too);
 * - reads the search index's snapshot straight from IndexedDB and answers the quick search with
 *   the app's own search functions (the same customers, order and tab) over its columns as
 *   saved (PackedColumn: no 50,000 objects built, which took a slowed phone over a second),
 *   plain DOM for the dialog, styled by the app's global `.quick-search` rules; the app's index
 *   then loads the same row without reading it again;
 * - hands over to the app: the app's header replaces this one, a pick made before the app runs
 *   is followed by the app's router, and a dialog the user is typing in stays until closed.
 *
 * It answers from the snapshot alone: rows changed since it was saved (at most a minute's
 * worth, or what a killed tab did not save) are found once the app's index has caught up.
 * English sessions skip it (the app waits for its English catalogue before drawing anything).
 */
import { DEVICE_DB, readShell, type BootHandoff } from '../lib/boot-shell';
import {
	PackedColumn,
	QUICK_SEARCH_LIMIT,
	matchTab,
	searchHaystacks,
	type HitSetDump
} from '../lib/features/clientes/search';
import { FORMAT, HITS } from '../lib/features/clientes/search-index';
import { CUSTOMER_TABS } from '../lib/features/ficha/tabs';
// Spanish only (the one language this script runs in), the same texts as the app's QuickSearch.
import { t } from '../lib/i18n/plain';

type Dump = HitSetDump['hits'] & { v?: number };

/** The snapshot's hits row, or undefined (no database yet, no snapshot, another format). */
function readSnapshot(): Promise<{ rev: number; value: Dump } | undefined> {
	return new Promise((resolve) => {
		const open = indexedDB.open(DEVICE_DB);
		// No database yet: create none (Dexie creates it with its stores).
		open.onupgradeneeded = () => open.transaction?.abort();
		open.onerror = () => resolve(undefined);
		open.onsuccess = () => {
			performance.mark('enlace:boot-db-open');
			const idb = open.result;
			// A new version of the app upgrading the database must not wait for this reader.
			idb.onversionchange = () => idb.close();
			if (!idb.objectStoreNames.contains('snapshot')) {
				idb.close();
				return resolve(undefined);
			}
			const get = idb.transaction('snapshot').objectStore('snapshot').get(HITS);
			get.onsuccess = () => {
				performance.mark('enlace:boot-snapshot-read');
				idb.close();
				const row = get.result as { rev: number; value?: Dump } | undefined;
				resolve(row?.value?.v === FORMAT ? { rev: row.rev, value: row.value } : undefined);
			};
			get.onerror = () => {
				idb.close();
				resolve(undefined);
			};
		};
	});
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

function boot() {
	performance.mark('enlace:boot');
	// The app already runs (this script came late): its own header and search are there.
	if (window.enlaceAppStarted) return;
	if (sectionOf(location.pathname) === 'login' || localStorage.getItem('enlace-lang') === 'en')
		return;
	const shell = readShell(document.documentElement.dataset.version ?? '');
	if (!shell) return;

	/** The snapshot's columns a search reads and shows, once read. */
	let columns:
		| Record<'id' | 'code' | 'name' | 'taxId' | 'phone' | 'town' | 'haystack', PackedColumn>
		| undefined;
	let header: HTMLElement | undefined;
	let dialog: HTMLDialogElement | undefined;
	let input: HTMLInputElement | undefined;
	let results: HTMLElement | undefined;
	let selected = 0;
	let rows: { href: string }[] = [];
	const closed: (() => void)[] = [];

	const handoff: BootHandoff = {
		searching: () => !!dialog?.open,
		ready: () => !!columns,
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

	const snapshot = readSnapshot().then((row) => {
		if (!row) return undefined;
		const d = row.value;
		const col = (packed: string) => new PackedColumn(packed, d.n);
		columns = {
			id: col(d.id),
			code: col(d.code),
			name: col(d.name),
			taxId: col(d.taxId),
			phone: col(d.phone),
			town: col(d.town),
			haystack: col(d.haystack)
		};
		performance.mark('enlace:search-ready', { detail: 'boot' });
		render();
		return { rev: row.rev, hits: d };
	});

	/** The results for the text typed, as the app's QuickSearch shows them. */
	function render() {
		if (!results || !input) return;
		const text = input.value;
		const out: HTMLElement[] = [];
		rows = [];
		const c = columns;
		if (!c) {
			out.push(el('p', { class: 'muted small', 'aria-busy': 'true' }, t('Cargando clientes…')));
		} else if (text.trim()) {
			const found = searchHaystacks(
				c.haystack.n,
				(i) => c.haystack.get(i),
				text,
				QUICK_SEARCH_LIMIT
			);
			if (!found.rows.length) out.push(el('p', { class: 'muted small' }, t('Sin resultados')));
			else {
				const ul = el('ul', {
					id: 'quick-search-results',
					class: 'list',
					role: 'listbox',
					'data-testid': 'quick-search-results'
				});
				found.rows.forEach((at, i) => {
					const hit = {
						id: c.id.get(at),
						name: c.name.get(at),
						code: c.code.get(at),
						taxId: c.taxId.get(at),
						phone: c.phone.get(at),
						town: c.town.get(at),
						haystack: c.haystack.get(at)
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
