/**
 * `npm run reset-password -- <email>`: a new password for a user, for when the first-start
 * administrator password (or any other) is lost. It prints a generated one, or takes
 * ENLACE_NEW_PASSWORD; the user's sessions end everywhere. It reads the server's settings
 * (DATA_DIR, DATABASE_URL, DATABASE_AUTH_TOKEN), and works with the server stopped or running.
 */
import fs from 'node:fs';
import { Password } from '@enlace/shared';
import { generatePassword } from '../sync-server/src/auth/password';
import { resetPassword } from '../sync-server/src/auth/sessions';
import { ConfigError, loadConfig, type Config } from '../sync-server/src/config';
import { openDb } from '../sync-server/src/db/client';

function fail(message: string, status = 2): never {
	process.stderr.write(`reset-password: ${message}\n`);
	process.exit(status);
}

const email = process.argv[2]?.trim();
if (!email || process.argv.length > 3) fail('uso: npm run reset-password -- <correo del usuario>');

let config: Config;
try {
	config = loadConfig();
} catch (e) {
	if (!(e instanceof ConfigError)) throw e;
	fail(`configuración no válida: ${e.message}`);
}

const given = process.env.ENLACE_NEW_PASSWORD || undefined;
const password = given ?? generatePassword();
const checked = Password.safeParse(password);
if (!checked.success) fail(`ENLACE_NEW_PASSWORD: ${checked.error.issues[0].message}`);

// Opening a missing file would create an empty database: a mistyped DATA_DIR must say so instead.
const file = config.databaseUrl.startsWith('file:') ? config.databaseUrl.slice('file:'.length) : '';
if (file && !fs.existsSync(file))
	fail(`no existe la base de datos ${file}: ¿DATA_DIR o DATABASE_URL?`);

const db = openDb(config.databaseUrl, config.databaseAuthToken);
try {
	// A running server may hold the write lock for a moment: wait for it rather than fail.
	if (!db.remote) await db.client.execute('PRAGMA busy_timeout = 5000');
	const done = await resetPassword(db, email, password).catch((e: unknown) => {
		if (/no such table/i.test(String(e))) {
			fail(`${config.databaseUrl} no tiene usuarios todavía: arranque el servidor una vez`);
		}
		throw e;
	});
	if (!done) fail(`no hay ningún usuario con el correo ${email}`, 1);
	const shown = given ? '(la de ENLACE_NEW_PASSWORD)' : password;
	console.log(
		`Contraseña nueva de ${done.user.email}: ${shown}\n` +
			`Sesiones cerradas: ${done.sessionsEnded}.` +
			(done.user.active
				? ''
				: ' El usuario está desactivado: actívelo en Configuración › Usuarios.')
	);
} finally {
	db.close();
}
