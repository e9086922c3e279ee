import { z } from 'zod';
import { Id, IsoDateTime, requiredText } from './common';
import { CalendarDate } from './finance';

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'list'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export const CUSTOM_FIELD_TYPE_LABELS: Record<CustomFieldType, string> = {
	text: 'Texto',
	number: 'Número',
	date: 'Fecha',
	boolean: 'Sí / no',
	list: 'Lista'
};

/**
 * Field ids are short so a value's id, `${customerId}:${fieldId}`, fits the 64 characters of an
 * id with a UUID customer (36 + 1 + 27).
 */
export const CustomFieldId = z
	.string()
	.regex(
		/^[A-Za-z0-9_-]{1,27}$/,
		'Identificador de campo no válido (hasta 27 letras, cifras, - o _)'
	);

const MAX_OPTIONS = 50;

/** What a field describes: the customer (its Otros tab) or each installed device (Equipamiento). */
export const CUSTOM_FIELD_TARGETS = ['customer', 'equipment'] as const;
export type CustomFieldTarget = (typeof CUSTOM_FIELD_TARGETS)[number];
export const CUSTOM_FIELD_TARGET_LABELS: Record<CustomFieldTarget, string> = {
	customer: 'Clientes',
	equipment: 'Equipos'
};
/** A field's target; absent (every field made before equipment had fields) is the customer. */
export const fieldTarget = (f: { target?: CustomFieldTarget }): CustomFieldTarget =>
	f.target ?? 'customer';

/** What an admin edits in Configuración › Campos personalizados. */
export const CustomFieldFields = z.object({
	name: requiredText(80, 'Indique el nombre del campo'),
	type: z.enum(CUSTOM_FIELD_TYPES),
	/** The choices of a `list` field, in order. */
	options: z
		.array(z.string().trim().min(1, 'Hay una opción vacía').max(80, 'Máximo 80 caracteres'))
		.max(MAX_OPTIONS, `Como máximo ${MAX_OPTIONS} opciones`)
		.optional(),
	required: z.boolean(),
	/**
	 * Values only office and admin devices receive (stored with scope `finance`); absent: false.
	 * Changing it re-scopes the values already stored (docs/roles-and-scopes.md).
	 */
	officeOnly: z.boolean().optional(),
	/** Absent: a customer field. Fixed once the field exists (its values live in other rows). */
	target: z.enum(CUSTOM_FIELD_TARGETS).optional(),
	order: z.number().int().min(0).max(100000),
	active: z.boolean()
});

export const CustomFieldObject = CustomFieldFields.extend({
	id: CustomFieldId,
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});

export function checkCustomField(f: z.infer<typeof CustomFieldObject>, ctx: z.RefinementCtx): void {
	if (f.officeOnly && f.target === 'equipment') {
		// An equipment's values are stored in its row, which every technician's device receives.
		ctx.addIssue({
			code: 'custom',
			path: ['officeOnly'],
			message: 'Los campos de equipos no pueden ser solo de oficina'
		});
	}
	if (f.type === 'list') {
		if (!f.options?.length) {
			ctx.addIssue({
				code: 'custom',
				path: ['options'],
				message: 'Una lista necesita al menos una opción'
			});
		} else {
			const seen = new Set<string>();
			for (const o of f.options) {
				const key = o.trim().toLocaleLowerCase('es');
				if (seen.has(key)) {
					ctx.addIssue({
						code: 'custom',
						path: ['options'],
						message: `La opción «${o}» está repetida`
					});
					break;
				}
				seen.add(key);
			}
		}
	} else if (f.options !== undefined) {
		ctx.addIssue({ code: 'custom', path: ['options'], message: 'Solo las listas tienen opciones' });
	}
}

/** A custom customer field defined in Configuración (global). */
export const CustomField = CustomFieldObject.superRefine(checkCustomField);
export type CustomField = z.infer<typeof CustomField>;

/** A stored value: its JSON type follows the field's type (see `customValueIssue`). */
export const CustomValue = z.union([
	z.string().max(1000, 'Máximo 1000 caracteres'),
	z.number(),
	z.boolean()
]);
export type CustomValue = z.infer<typeof CustomValue>;

export const customValueId = (customerId: string, fieldId: string) => `${customerId}:${fieldId}`;

/** One value of one custom field for one customer; id = `${customerId}:${fieldId}`. */
export const CustomFieldValue = z
	.object({
		id: z.string().min(1).max(64, 'Identificador demasiado largo'),
		customerId: Id,
		fieldId: CustomFieldId,
		value: CustomValue,
		createdAt: IsoDateTime.optional(),
		updatedAt: IsoDateTime.optional()
	})
	.refine((v) => v.id === customValueId(v.customerId, v.fieldId), {
		message: 'El identificador del valor no corresponde al cliente y al campo',
		path: ['id']
	});
export type CustomFieldValue = z.infer<typeof CustomFieldValue>;

/**
 * Why a value does not fit its field's type, or null when it does: text (non-blank), number
 * (finite), date (ISO `AAAA-MM-DD`), yes/no (boolean), list (one of the options; `keep` is the
 * value already stored, still valid after the option was retired).
 */
export function customValueIssue(
	field: Pick<CustomField, 'type' | 'options'>,
	value: unknown,
	keep?: unknown
): string | null {
	switch (field.type) {
		case 'text':
			if (typeof value !== 'string' || !value.trim()) return 'Escriba un texto';
			return value.length > 1000 ? 'Máximo 1000 caracteres' : null;
		case 'number':
			return typeof value === 'number' && Number.isFinite(value) ? null : 'Escriba un número';
		case 'date':
			return typeof value === 'string' && CalendarDate.safeParse(value).success
				? null
				: 'Fecha no válida (AAAA-MM-DD)';
		case 'boolean':
			return typeof value === 'boolean' ? null : 'Elija sí o no';
		case 'list':
			return typeof value === 'string' && (field.options?.includes(value) || value === keep)
				? null
				: 'Elija una de las opciones de la lista';
	}
}

export const CUSTOM_FIELD_LABELS: Record<string, string> = {
	value: 'Valor',
	fieldId: 'Campo personalizado'
};
