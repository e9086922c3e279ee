// The only module with side effects: config → database → migrations → serve.
import { ConfigError, loadConfig, type Config } from './config';
import { startServer } from './server';

let config: Config;
try {
	config = loadConfig();
} catch (e) {
	if (!(e instanceof ConfigError)) throw e;
	// One line naming the variable, no stack: the operator has a typo to fix, not a bug to report.
	process.stderr.write(`enlace: configuración no válida: ${e.message}\n`);
	process.exit(2);
}
const server = await startServer(config);
const where = config.databaseUrl.startsWith('file:')
	? config.databaseUrl
	: config.databaseUrl.replace(/\/\/.*@/, '//***@');
console.log(`Enlace escuchando en http://localhost:${server.port}  (base de datos: ${where})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		server.close().then(
			() => process.exit(0),
			(e: unknown) => {
				console.error(e);
				process.exit(1);
			}
		);
	});
}
