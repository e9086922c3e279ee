import type { JobKind, PppoeAccount, RouterJob } from '@enlace/shared';
import { db } from '$lib/app.svelte';
import { live } from '$lib/live.svelte';
import { jobView, latestByKind, mutationsFor, type JobView } from '$lib/router-work/jobs';
import {
	RequestTracker,
	useConnectivity,
	useLocalMutations,
	useNow
} from '$lib/router-work/live.svelte';

/** Which screen request each job kind answers (several buttons may end in one kind). */
const REQUEST_KEYS: Record<string, readonly string[]> = {
	'secret.ensure': ['save', 'offline'],
	'secret.remove': ['delete'],
	'session.kick': ['kick'],
	ping: ['ping']
};

/**
 * Everything Info Mikrotik PPPoE shows, live from Dexie: the customer's account, the routers with
 * their pools, tariffs, the account's jobs and CMI status, and what this device still has to send.
 */
export function usePppoeTab(customerId: () => string) {
	const customer = live(() => db.customer.get(customerId()), customerId);
	const routers = live(() => db.router.toArray());
	const pools = live(() => db.ipPool.toArray());
	const tariffs = live(() => db.tariff.toArray());
	const accounts = live(
		() => db.pppoeAccount.where('customerId').equals(customerId()).toArray(),
		customerId
	);
	const jobs = live(
		() => db.routerJob.where('customerId').equals(customerId()).toArray(),
		customerId
	);
	const cmi = live(
		() => db.cmiStatus.where('customerId').equals(customerId()).toArray(),
		customerId
	);
	const local = useLocalMutations();
	const net = useConnectivity();
	const now = useNow();
	const tracker = new RequestTracker();
	let selectedId = $state<string | null>(null);
	let lastRequestedAccount = $state<string | undefined>();

	const sortedAccounts = $derived(
		[...(accounts.current ?? [])].sort((a, b) =>
			(a.createdAt ?? '') < (b.createdAt ?? '') ? -1 : 1
		)
	);
	const account = $derived<PppoeAccount | undefined>(
		sortedAccounts.find((a) => a.id === selectedId) ?? sortedAccounts[0]
	);
	const router = $derived(routers.current?.find((r) => r.id === account?.routerId));
	/**
	 * The account's jobs. With no account (just deleted) only the customer's removals: what was
	 * saved or pinged before belongs to a secret that is no longer on the router.
	 */
	const accountJobs = $derived<RouterJob[]>(
		(jobs.current ?? []).filter((j) =>
			account ? !j.accountId || j.accountId === account.id : j.kind === 'secret.remove'
		)
	);
	const latest = $derived(latestByKind(accountJobs));
	const status = $derived(
		(cmi.current ?? []).find(
			(s) =>
				!!account &&
				(s.accountId === account.id ||
					(s.routerId === account.routerId && s.username === account.username))
		)
	);

	function view(kind: JobKind): JobView {
		// No account: nothing is on the router to save, ping or kick; only its removal shows.
		if (!account && kind !== 'secret.remove') return { phase: 'none' };
		// After a delete the account is gone: its mutations are still keyed by its id.
		const accountId = account?.id ?? lastRequestedAccount;
		const requests = (REQUEST_KEYS[kind] ?? [])
			.map((k) => tracker.get(k))
			.filter((r) => r !== undefined)
			.sort((a, b) => b.at - a.at);
		return jobView({
			latest: latest.get(kind),
			pending: mutationsFor(local.pending, kind, 'id', accountId),
			rejected: mutationsFor(local.rejected, kind, 'id', accountId) as never,
			request: requests[0],
			now: now.value
		});
	}

	return {
		customer,
		routers,
		pools,
		tariffs,
		accounts,
		tracker,
		get online() {
			return net.online;
		},
		get now() {
			return now.value;
		},
		get sortedAccounts() {
			return sortedAccounts;
		},
		get account() {
			return account;
		},
		get router() {
			return router;
		},
		get status() {
			return status;
		},
		get jobs() {
			return accountJobs;
		},
		latest: (kind: JobKind) => latest.get(kind),
		view,
		select(id: string) {
			selectedId = id;
		},
		/** Drop this screen's requests (a deleted account's, so a new one does not inherit them). */
		forget(...keys: string[]) {
			tracker.requests = Object.fromEntries(
				Object.entries(tracker.requests).filter(([k]) => !keys.includes(k))
			);
		},
		/** Remember the account a request was about, for its state after the row is gone. */
		touch(accountId: string) {
			lastRequestedAccount = accountId;
			selectedId = accountId;
		},
		/** Unsent changes of this customer's PPPoE rows (the account is saved on this device only). */
		get unsent() {
			return local.pending.some(
				(m) =>
					m.name.startsWith('pppoe.') &&
					sortedAccounts.some((a) => (m.args as { id?: string } | undefined)?.id === a.id)
			);
		}
	};
}

export type PppoeTab = ReturnType<typeof usePppoeTab>;
