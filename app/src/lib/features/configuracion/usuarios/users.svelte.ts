import type { User, UserCreate, UserUpdate } from '@enlace/shared';
import { onDataChange } from '$lib/app.svelte';
import { requestErrors } from '$lib/forms/request-errors';
import { api } from '$lib/sync/http-transport';

export const OFFLINE_MESSAGE = 'La gestión de usuarios necesita conexión';

export const userErrors = (e: unknown) => requestErrors(e, OFFLINE_MESSAGE);

/**
 * Configuración › Usuarios: the server's list (plain HTTP, admin only, not sync, so passwords
 * never travel through the outbox). Re-read when users change through sync (another admin).
 */
export class UsersApi {
	users = $state<User[] | undefined>();
	loading = $state(false);
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	/** The last load failed because the server could not be reached. */
	unreachable = $state(false);
	error = $state('');

	/** Listen to connectivity and to synced user changes; returns the clean-up. */
	start(): () => void {
		const up = () => {
			this.online = true;
			void this.load();
		};
		const down = () => (this.online = false);
		window.addEventListener('online', up);
		window.addEventListener('offline', down);
		const off = onDataChange((entities) => {
			if (entities.has('user') && this.online && !this.loading) void this.load();
		});
		void this.load();
		return () => {
			window.removeEventListener('online', up);
			window.removeEventListener('offline', down);
			off();
		};
	}

	get offline() {
		return !this.online || this.unreachable;
	}

	async load() {
		if (!this.online) return;
		this.loading = true;
		this.error = '';
		try {
			const { users } = await api<{ users: User[] }>('/api/users');
			this.users = users;
			this.unreachable = false;
		} catch (e) {
			if (e instanceof TypeError) this.unreachable = true;
			else this.error = userErrors(e)._ ?? String(e);
		} finally {
			this.loading = false;
		}
	}

	private put(user: User) {
		const list = this.users ?? [];
		this.users = list.some((u) => u.id === user.id)
			? list.map((u) => (u.id === user.id ? user : u))
			: [...list, user];
	}

	async create(input: UserCreate): Promise<User> {
		const { user } = await api<{ user: User }>('/api/users', {
			method: 'POST',
			body: JSON.stringify(input)
		});
		this.put(user);
		return user;
	}

	async update(id: string, patch: UserUpdate): Promise<User> {
		const { user } = await api<{ user: User }>(`/api/users/${encodeURIComponent(id)}`, {
			method: 'PATCH',
			body: JSON.stringify(patch)
		});
		this.put(user);
		return user;
	}
}
