import { formatEuros } from './money';

/**
 * Mail templates (Configuración › Plantillas de correo): `{{variable}}` in the subject and body is
 * replaced by the customer's or the document's value when the template is chosen in "Enviar
 * Email". A variable without a value is left out (an empty string), one not in the list stays as
 * typed so the writer sees it.
 */
export const MAIL_TEMPLATE_VARIABLES = {
	cliente: 'Nombre del cliente',
	codigo: 'Código del cliente',
	documento: 'Número del documento adjunto',
	importe: 'Importe total del documento',
	empresa: 'Nombre de la empresa'
} as const;

export type MailTemplateVariable = keyof typeof MAIL_TEMPLATE_VARIABLES;

export function fillTemplate(
	text: string,
	values: Partial<Record<MailTemplateVariable, string>>
): string {
	return text.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (whole, name: string) =>
		Object.hasOwn(MAIL_TEMPLATE_VARIABLES, name)
			? (values[name as MailTemplateVariable] ?? '')
			: whole
	);
}

/** The variables' values for a customer and the first attached document (app and server alike). */
export function templateValues(
	customer: { name?: string; code?: string } | undefined,
	doc: { number?: string; totals?: { totalCents: number } } | undefined,
	company: string | undefined
): Record<MailTemplateVariable, string> {
	return {
		cliente: customer?.name ?? '',
		codigo: customer?.code ?? '',
		documento: doc?.number ?? '',
		importe: doc?.totals ? formatEuros(doc.totals.totalCents) : '',
		empresa: company ?? ''
	};
}
