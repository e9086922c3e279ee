/**
 * The tabs of the customer file: Resumen first, then in the order ERPs of the trade show them,
 * with Info Mikrotik PPPoE moved up beside Información general (a technician's first stop).
 * `ready` tabs are built; the others say plainly which work brings them.
 */
export type CustomerTab = { slug: string; label: string; ready: boolean; comes?: string };

export const CUSTOMER_TABS: CustomerTab[] = [
	// The customer at a glance opens first; PPPoE, what a technician comes for, right after the file.
	{ slug: 'resumen', label: 'Resumen', ready: true },
	{ slug: 'general', label: 'Información general', ready: true },
	{ slug: 'mikrotik', label: 'Info Mikrotik PPPoE', ready: true },
	{ slug: 'contactos', label: 'Persona de contacto', ready: true },
	{ slug: 'financieros', label: 'Datos financieros', ready: true },
	{ slug: 'sociedades', label: 'Sociedades', ready: true },
	{ slug: 'oportunidades', label: 'Oportunidades', ready: true },
	{ slug: 'operadora', label: 'Datos operadora', ready: true },
	{ slug: 'contratos', label: 'Contratos', ready: true },
	{ slug: 'renovaciones', label: 'Renovaciones', ready: true },
	{ slug: 'equipamiento', label: 'Equipamiento', ready: true },
	{ slug: 'tarifas', label: 'Asignación de tarifas', ready: true },
	{ slug: 'contratos-op', label: 'Contratos Op.', ready: true },
	{ slug: 'otros', label: 'Otros', ready: true },
	{ slug: 'historial', label: 'Historial', ready: true },
	{ slug: 'documentos', label: 'Documentos', ready: true },
	{ slug: 'monedero', label: 'Monedero', ready: true },
	{ slug: 'repositorio', label: 'Repositorio', ready: true },
	{ slug: 'correo', label: 'Correo', ready: true }
];
