/**
 * Contract templates (Configuración › Contratos): the body is plain text with `{{placeholders}}`
 * replaced, when a contract is made from it, by the customer's, the operator contract's and the
 * tariffs' data. Unlike mail templates, a placeholder not in this list is refused when the
 * template is saved (`unknownPlaceholders`): a contract must never print a `{{typo}}`.
 */
export const CONTRACT_PLACEHOLDERS = {
	'cliente.nombre': 'Nombre o razón social del cliente',
	'cliente.nif': 'NIF / documento del cliente',
	'cliente.direccion': 'Dirección fiscal del cliente',
	'cliente.codigo': 'Código del cliente',
	'cliente.email': 'Correo electrónico del cliente',
	'cliente.telefono': 'Teléfono del cliente',
	'contrato.nombre': 'Nombre del contrato de operadora enlazado',
	'contrato.desde': 'Fecha de inicio del contrato de operadora (dd/mm/aaaa)',
	'contrato.hasta': 'Fecha de fin del contrato de operadora (vacío si no tiene)',
	tarifas: 'Tarifas del contrato: una línea por tarifa, con precio mensual',
	empresa: 'Nombre de la empresa',
	fecha: 'Fecha del contrato (dd/mm/aaaa)'
} as const;

export type ContractPlaceholder = keyof typeof CONTRACT_PLACEHOLDERS;
export type ContractValues = Partial<Record<ContractPlaceholder, string>>;

// `{{ name }}` with letters, digits, dots and underscores; anything else between braces is text.
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

const known = (name: string): name is ContractPlaceholder =>
	Object.hasOwn(CONTRACT_PLACEHOLDERS, name);

/** The placeholders of `body` that are not in the list, each once, in order of appearance. */
export function unknownPlaceholders(body: string): string[] {
	const out: string[] = [];
	for (const m of body.matchAll(PLACEHOLDER)) {
		if (!known(m[1]) && !out.includes(m[1])) out.push(m[1]);
	}
	return out;
}

/** The template's text with every placeholder replaced; one without a value prints empty. */
export function fillContractTemplate(body: string, values: ContractValues): string {
	return body.replace(PLACEHOLDER, (whole, name: string) =>
		known(name) ? (values[name] ?? '') : whole
	);
}
