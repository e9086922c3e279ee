/**
 * Texts still waiting for their English or for `t()`, allowed by `catalog.test.ts` until they are
 * done. Only texts under `app/src/lib/features/` belong here, while that folder is being reorganised;
 * an entry no longer needed fails the test, so the list only shrinks. Keep it empty otherwise.
 */
export const PENDING_TEXTS: string[] = [
	// Configuración, being reworked on another branch.
	'Intro',
	'Este usuario ya no existe',
	'Indique el correo electrónico',
	'`Usuario «${created.name}» (${created.email}) creado.`',
	'`Nueva contraseña de «${user.name}» guardada.`',
	'`Ya existe «${twin.name}» en esta lista`',
	'Este valor ya no existe (puede que otra persona lo haya eliminado)',
	'Si lo elimina, esos registros se quedarán sin este valor.\n\n',
	'Es mejor desactivarlo: deja de ofrecerse en los formularios y los clientes que ya lo tienen lo conservan.\n\n',
	'¿Eliminarlo de todas formas?',
	'Si alguna vez se ha usado, es mejor desactivarlo: deja de ofrecerse en los formularios y los clientes que ya lo tienen lo conservan.',
	'`${OFFLINE_MESSAGE}: no se ha podido contactar con el servidor`',
	"`¿Eliminar el campo «${f.name}»? Se borrará su valor en ${n} ${n === 1 ? 'cliente' : 'clientes'}. Para conservarlos, desactívelo en lugar de eliminarlo.`",
	'`¿Eliminar el campo «${f.name}»?`',
	'pool-clientes',
	'Importe no válido (p. ej. 29,90)',
	'Indique los Mb de bajada (número entero)',
	'Indique los Mb de subida (número entero)'
];
