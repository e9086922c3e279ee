import {
	customValueIssue,
	formatDecimal,
	formatDecimalInput,
	parseDecimal,
	type CustomField,
	type CustomFieldValue,
	type CustomValue
} from '@enlace/shared';

/**
 * Custom field values between their stored JSON type and the text of a form input: numbers are
 * typed with a decimal comma, yes/no is a select of 'si' / 'no', dates are the date input's ISO.
 */
export function toInput(field: Pick<CustomField, 'type'>, value: CustomValue | undefined): string {
	if (value === undefined) return '';
	if (field.type === 'boolean') return value === true ? 'si' : value === false ? 'no' : '';
	if (field.type === 'number' && typeof value === 'number') return formatDecimalInput(value);
	return String(value);
}

export type Parsed = { value: CustomValue | null } | { error: string };

/** The input's text as the value to store (null: no value), or why it cannot be one. */
export function fromInput(
	field: Pick<CustomField, 'type' | 'options' | 'required' | 'name'>,
	text: string,
	stored?: CustomValue
): Parsed {
	const s = text.trim();
	if (!s) return field.required ? { error: `«${field.name}» es obligatorio` } : { value: null };
	let value: CustomValue = s;
	if (field.type === 'number') {
		const parsed = parseDecimal(s);
		// Text that is not a number is NaN, so the error below is shared's, the one the server gives.
		value = parsed.ok && parsed.value !== null ? parsed.value : Number.NaN;
	} else if (field.type === 'boolean') {
		value = s === 'si';
	}
	const issue = customValueIssue(field, value, stored);
	return issue ? { error: issue } : { value };
}

/** How a value reads in a list. */
export function showValue(field: Pick<CustomField, 'type'>, value: CustomValue): string {
	if (typeof value === 'boolean') return value ? 'Sí' : 'No';
	if (typeof value === 'number') return formatDecimal(value);
	if (field.type === 'date') {
		const [y, m, d] = value.split('-');
		return `${d}/${m}/${y}`;
	}
	return value;
}

/** The values that changed, by field id, for `customFieldValue.save`; or the errors by field. */
export function changedValues(
	fields: CustomField[],
	stored: Map<string, CustomFieldValue>,
	draft: Record<string, string>
): { values: Record<string, CustomValue | null>; errors: Record<string, string> } {
	const values: Record<string, CustomValue | null> = {};
	const errors: Record<string, string> = {};
	for (const f of fields) {
		const before = stored.get(f.id)?.value;
		const text = draft[f.id] ?? '';
		if (text === toInput(f, before) && !(f.required && before === undefined)) continue;
		const parsed = fromInput(f, text, before);
		if ('error' in parsed) errors[f.id] = parsed.error;
		else if (parsed.value !== (before ?? null)) values[f.id] = parsed.value;
	}
	return { values, errors };
}
