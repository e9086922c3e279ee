import fs from 'node:fs';
import { createUser } from '../../sync-server/src/auth/sessions';
import { seedCustomers, seedHistory } from './seed';
import { benchServer, diskContext } from './sync';
import type { Figures } from './report';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50_000);
const HISTORY_LINES = Number(process.env.BENCH_HISTORY_LINES ?? 3_000_000);
const PASSWORD = 'bench-password-123';
const ROUNDS = Number(process.env.BENCH_STORAGE_ROUNDS ?? 2);
const USERS = {
	office: { email: 'oficina@enlace.test', name: 'Olga Oficina', role: 'office' as const },
	technician: { email: 'tecnico@enlace.test', name: 'Tomás Técnico', role: 'technician' as const }
};

type FirstSync = { rows: number; ms: number; usage: number; history: number };

/**
 * Bounded storage on a device: an ISP of 50,000 customers without and with three years of
 * Historial (3 million lines); the first sync of an office user (of both, alternating) and of a
 * technician, each into a fresh Chromium profile, with the IndexedDB size the browser reports.
 */
export async function storageBench(log: (s: string) => void): Promise<Figures> {
	// Two servers in this process: the ISP without Historial (the baseline) and with it, so the
	// office's first syncs of both can alternate and share whatever load the machine has.
	const admin = { email: 'bench@enlace.test', password: PASSWORD };
	const bare = await benchServer(log, admin);
	const { tmp, server } = await benchServer(log, admin);
	/** One first sync as `who`, in a profile directory of its own that is deleted afterwards. */
	const firstSync = async (who: keyof typeof USERS, from = server): Promise<FirstSync> => {
		const context = await diskContext();
		try {
			const page = await context.newPage();
			await page.goto(`${from.url}/index.html`);
			type Bench = { login(e: string, p: string): Promise<void>; firstSync(): Promise<FirstSync> };
			await page.evaluate(
				([email, password]) => (window as never as { bench: Bench }).bench.login(email, password),
				[USERS[who].email, PASSWORD]
			);
			return await page.evaluate(() => (window as never as { bench: Bench }).bench.firstSync());
		} finally {
			await context.close();
		}
	};
	const show = (what: string, r: FirstSync) =>
		log(
			`  ${what}: ${r.rows.toLocaleString('es-ES')} rows (${r.history.toLocaleString('es-ES')} Historial) in ${(r.ms / 1000).toFixed(1)} s, ${(r.usage / 1e6).toFixed(1)} MB`
		);
	try {
		for (const s of [bare.server, server]) {
			for (const u of Object.values(USERS)) await createUser(s.db, { ...u, password: PASSWORD });
			log(`seeding ${CUSTOMERS.toLocaleString('es-ES')} customers…`);
			await seedCustomers(s.db, CUSTOMERS);
		}
		log(`seeding ${HISTORY_LINES.toLocaleString('es-ES')} Historial lines over three years…`);
		const t0 = performance.now();
		await seedHistory(server.db, CUSTOMERS, HISTORY_LINES);
		log(`  in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
		// Alternating, twice; the faster of each pair of runs is the one least disturbed.
		const bases: FirstSync[] = [];
		const offices: FirstSync[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			log('office first sync without Historial (baseline)…');
			bases.push(await firstSync('office', bare.server));
			show('office, no Historial', bases.at(-1)!);
			log('office first sync…');
			offices.push(await firstSync('office'));
			show('office', offices.at(-1)!);
		}
		const fastest = (runs: FirstSync[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
		const base = fastest(bases);
		const office = fastest(offices);
		log('technician first sync…');
		const tech = await firstSync('technician');
		show('technician', tech);
		const mb = (b: number) => b / (1024 * 1024);
		return {
			'storage.historyLines': HISTORY_LINES,
			'storage.baseRows': base.rows,
			'storage.baseSeconds': base.ms / 1000,
			'storage.baseMB': mb(base.usage),
			'storage.officeRows': office.rows,
			'storage.officeHistoryRows': office.history,
			'storage.officeSeconds': office.ms / 1000,
			'storage.officeMB': mb(office.usage),
			'storage.technicianRows': tech.rows,
			'storage.technicianHistoryRows': tech.history,
			'storage.technicianSeconds': tech.ms / 1000,
			'storage.technicianMB': mb(tech.usage),
			'storage.firstSyncRatio': office.ms / base.ms
		};
	} finally {
		for (const s of [bare, { tmp, server }]) {
			await s.server.close();
			fs.rmSync(s.tmp, { recursive: true, force: true });
		}
	}
}
