/**
 * `npm run demo`: Enlace with everything to try every button. It builds the app (npm script),
 * then starts in one process:
 *
 *   - a fake MikroTik router (RouterOS 7.18 API) on 127.0.0.1:8728, or a free port if taken;
 *   - the sync-server on :8787 over $DATA_DIR/demo (./data/demo), wiped each run (DEMO_DATA_DIR to
 *     choose another directory: it is only wiped when a previous demo made it);
 *   - sample data (demo/sample-data.ts) written through the real mutators (POST /api/sync/push as
 *     the admin): 20 customers with valid NIFs, addresses and contacts, three tariffs, an IP pool
 *     and an offline pool, PPPoE accounts for some customers;
 *   - an edge agent (in-process) with a fresh agent token, pointed at the fake router;
 *   - every ~20 s a random customer connects or disconnects on the fake router, so the
 *     "CMI activo" badge moves on its own.
 *
 * Ctrl+C stops everything. Settings: the server's (PORT, HOST, DATA_DIR…) and demo/settings.ts,
 * all in README's configuration table.
 */
import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../edge-agent/src/config';
import { startAgent } from '../edge-agent/src/runner';
import { ConfigError } from '../sync-server/src/config';
import { startServer, type RunningServer } from '../sync-server/src/server';
import { startFakeRouter, type FakeRouter } from '../tests/fake-router/fake-router';
import { madridTime } from '@enlace/shared';
import {
	CONTRACT_CASES,
	SAMPLES,
	TARIFFS,
	sampleContracts,
	sampleCustomers
} from './demo/sample-data';
import { client, push, rows, waitFor } from './demo/server-api';
import { demoConfig } from './demo/settings';

const ADMIN = { email: 'admin@enlace.demo', password: 'demo-enlace' };
const ROUTER = { name: 'nodo-centro', user: 'admin', password: 'admin' };
/** Marks a directory this script made, so a second run may wipe it without asking. */
const MARKER = '.enlace-demo';

const env = process.env;

function readDemoConfig() {
	try {
		return demoConfig(env, ADMIN);
	} catch (e) {
		if (!(e instanceof ConfigError)) throw e;
		process.stderr.write(`enlace demo: configuración no válida: ${e.message}\n`);
		process.exit(2);
	}
}

const { server: config, demo } = readDemoConfig();
const { port } = config;
const dataDir = demo.dataDir;

function step(text: string) {
	console.log(`  · ${text}`);
}

/** A fresh data directory: ours from a previous run, or empty. Anything else is left alone. */
function freshDataDir() {
	if (fs.existsSync(dataDir)) {
		const entries = fs.readdirSync(dataDir);
		if (entries.length && !entries.includes(MARKER)) {
			throw new Error(
				`${dataDir} no está vacío y no es de una demo anterior: elija otro DEMO_DATA_DIR`
			);
		}
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
	fs.mkdirSync(dataDir, { recursive: true });
	fs.writeFileSync(
		path.join(dataDir, MARKER),
		'Datos de `npm run demo`: se borran en cada arranque.\n'
	);
}

async function startRouter(): Promise<FakeRouter> {
	const options = {
		version: '7.18' as const,
		users: [{ name: ROUTER.user, password: ROUTER.password }],
		identity: 'NodoCentro',
		// A demo ping should feel like a router's, not like a unit test's.
		pingIntervalMs: 300,
		// Secrets someone made by hand in Winbox: "Comprobar router" reports them as unknown.
		seed: {
			'/ppp/secret': [
				{ name: 'prueba-tecnico', password: 'prueba123', profile: 'default' },
				{ name: 'antiguo-bar-sol', password: 'sol2019', profile: 'default' }
			]
		}
	};
	const wanted = demo.routerPort;
	try {
		return await startFakeRouter({ ...options, port: wanted });
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
		step(`el puerto ${wanted} está ocupado: el router falso usa otro`);
		return startFakeRouter({ ...options, port: 0 });
	}
}

// ---------------------------------------------------------------------------------------------

type Stoppable = { stop(): Promise<void> | void };

async function main() {
	console.log('\nEnlace — demo\n');
	freshDataDir();

	const router = await startRouter();
	step(`router MikroTik falso (RouterOS 7.18) en ${router.host}:${router.port}`);

	let server: RunningServer;
	try {
		server = await startServer(config);
	} catch (e) {
		await router.close();
		if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
			throw new Error(`El puerto ${port} está ocupado: pruebe con PORT=${port + 1} npm run demo`);
		throw e;
	}
	const base = `http://127.0.0.1:${server.port}`;
	const shown = path.relative(process.cwd(), dataDir);
	step(`servidor en ${base} (datos en ${shown && !shown.startsWith('..') ? shown : dataDir})`);

	let agent: Stoppable | undefined;
	let ticker: NodeJS.Timeout | undefined;
	let stopping = false;
	const stop = async (code = 0) => {
		if (stopping) return;
		stopping = true;
		console.log('\nParando la demo…');
		clearInterval(ticker);
		await Promise.allSettled([agent?.stop()]);
		await Promise.allSettled([server.close(), router.close()]);
		process.exit(code);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());

	try {
		const login = await fetch(`${base}/api/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(ADMIN)
		});
		const { token } = (await login.json()) as { token: string };
		const api = client(base, token);

		// Customers, addresses and contacts through the real mutators.
		const { mutations, customerIds: ids, tariffIds } = sampleCustomers();
		await push(api, mutations);
		step(`${SAMPLES.length} clientes con dirección y contactos, ${TARIFFS.length} tarifas`);

		// The agent, with a token made the way an admin makes one.
		const made = await api.post<{ agent: { id: string }; token: string }>('/api/agents', {
			name: 'agente-demo'
		});
		const running = startAgent(
			parseConfig({
				serverUrl: base,
				token: made.token,
				statusIntervalSeconds: 2,
				logLevel: demo.agentLog,
				routers: [
					{
						name: ROUTER.name,
						host: router.host,
						port: router.port,
						tls: false,
						user: ROUTER.user,
						password: ROUTER.password
					}
				]
			})
		);
		agent = running;
		await running.ready;
		const declared = await waitFor('el agente declare su router', async () =>
			(await rows<{ id: string; name: string }>(api, 'router')).find((r) => r.name === ROUTER.name)
		);
		step(`agente en marcha: router «${declared.name}» declarado`);

		// Pools, then PPPoE accounts for most customers (by their server-made codes).
		await push(api, [
			{
				name: 'ipPool.create',
				args: {
					id: randomUUID(),
					routerId: declared.id,
					name: 'pool-clientes',
					ranges: '100.64.10.2-100.64.10.254',
					isOffline: false
				}
			},
			{
				name: 'ipPool.create',
				args: {
					id: randomUUID(),
					routerId: declared.id,
					name: 'pool-sin-conexion',
					ranges: '100.64.250.2-100.64.250.254',
					isOffline: true
				}
			}
		]);
		const customers = await rows<{ id: string; code: string; name: string }>(api, 'customer');
		const byId = new Map(customers.map((c) => [c.id, c]));
		const accounts: { username: string; customer: string }[] = [];
		const saves: { name: string; args: unknown }[] = [];
		ids.slice(0, 14).forEach((id, i) => {
			const c = byId.get(id);
			if (!c) return;
			const username = c.code.toLowerCase();
			accounts.push({ username, customer: c.name });
			saves.push({
				name: 'pppoe.save',
				args: {
					id: randomUUID(),
					customerId: id,
					routerId: declared.id,
					username,
					password: randomUUID().replace(/-/g, '').slice(0, 12),
					tariffId: tariffIds[i % tariffIds.length],
					// One business with a fixed address, as they usually have.
					...(i === 3 ? { staticIp: '100.64.10.200' } : {})
				}
			});
		});
		await push(api, saves);
		await waitFor(
			'las cuentas lleguen al router',
			async () =>
				router.state.rows('/ppp/secret').length >= accounts.length + 2 ? true : undefined,
			30_000
		);
		step(`${accounts.length} cuentas PPPoE creadas en el router por el agente`);

		// Their contracts and tariffs, the internet tariff linked to the account.
		const contracts = sampleContracts({
			accounts: await rows<{ id: string; customerId: string; tariffId?: string }>(
				api,
				'pppoeAccount'
			),
			addresses: await rows<{ id: string; customerId: string }>(api, 'address'),
			customerIds: ids,
			tariffIds,
			today: madridTime(new Date().toISOString()).day
		});
		await push(api, contracts);
		step(
			`${contracts.filter((m) => m.name === 'contract.create').length} contratos con sus tarifas (Contratos Op., Asignación de tarifas)`
		);

		// Someone "fixed" a password in Winbox: Comprobar router finds it, Reaplicar repairs it.
		const tampered = router.state.tables['/ppp/secret'].find(
			(s) => s.name === accounts[5]?.username
		);
		if (tampered) tampered.password = 'cambiada-en-winbox';

		// Some customers online now; then one connects or disconnects every ~20 s.
		const online = new Set<string>();
		let next = 0;
		const connect = (username: string) => {
			next += 1;
			router.addActiveSession({
				name: username,
				address: `100.64.10.${10 + (next % 200)}`,
				callerId:
					`4C:5E:0C:${randomInt(16, 255).toString(16)}:${randomInt(16, 255).toString(16)}:${randomInt(16, 255).toString(16)}`.toUpperCase(),
				service: 'pppoe'
			});
			online.add(username);
		};
		for (const a of accounts.slice(0, 6)) connect(a.username);
		ticker = setInterval(() => {
			const offline = accounts.filter((a) => !online.has(a.username));
			const goOnline = online.size === 0 || (offline.length > 0 && Math.random() < 0.5);
			if (goOnline) {
				const a = offline[randomInt(offline.length)];
				connect(a.username);
				console.log(`  ↑ ${a.username} (${a.customer}) se conecta`);
			} else {
				const names = [...online];
				const name = names[randomInt(names.length)];
				router.removeActiveSession(name);
				online.delete(name);
				console.log(`  ↓ ${name} se desconecta`);
			}
		}, 20_000);

		const first = accounts[0];
		const upgrade = SAMPLES[CONTRACT_CASES.upgrade].name;
		const secondLine = SAMPLES[CONTRACT_CASES.secondLine].name;
		console.log(`
Listo. Abra http://localhost:${server.port}

  Usuario:     ${ADMIN.email}
  Contraseña:  ${ADMIN.password}

Qué probar:
  · Clientes › «${first?.customer}» › Info Mikrotik PPPoE: el distintivo CMI, Ping, Reiniciar
    sesión, Suspender servicio y Reactivar servicio, Guardar Secret con otra tarifa o IP fija.
  · Un cliente sin cuenta (p. ej. «${SAMPLES[16].name}»): dé de alta su secret.
  · Ctrl+K (o /) desde cualquier pantalla: busque por nombre, NIF, teléfono, usuario PPPoE o IP.
  · «${upgrade}» › Asignación de tarifas: Fibra 100 hasta fin de mes y Fibra 300 desde el 1
    (el router cambia ese día); el previo del próximo periodo. Cambie la tarifa de internet y
    mire el perfil del secret en Info Mikrotik PPPoE.
  · «${secondLine}» › Asignación de tarifas: una segunda línea que empieza a mitad del periodo,
    prorrateada en el previo.
  · Datos generales › Cambiar estado a «Cortado» y de vuelta a «Alta»: la cuenta pasa al pool
    sin conexión y vuelve; «Baja» termina las tarifas y elimina el secret.
  · Clientes: filtros por estado, tarifa, router, conectados ahora y población; exportar a CSV.
  · Routers › Comprobar router: una contraseña cambiada a mano y dos secrets desconocidos;
    Reaplicar lo arregla.
  · Configuración › Tarifas, Routers (pools) y Agentes (token de un agente nuevo).
  · Sin red (DevTools › Network › Offline): Guardar Secret queda en cola y se envía al volver.
  · Cada ~20 s un cliente se conecta o se desconecta en el router falso.

Ctrl+C para parar.
`);
	} catch (e) {
		console.error(`\nLa demo no pudo arrancar: ${e instanceof Error ? e.message : String(e)}`);
		await stop(1);
	}
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
