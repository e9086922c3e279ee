// The only module with side effects: config → database → migrations → serve.
import { loadConfig } from './config';
import { startServer } from './server';

const config = loadConfig();
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
