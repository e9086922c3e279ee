import {
	COMPANY_SECTIONS,
	Company,
	formatCentsInput,
	formatDecimalInput,
	type CompanySection
} from '@enlace/shared';
import { checkWith, type FormErrors } from '$lib/forms';
import { RowEditor } from '$lib/forms/row-editor.svelte';
import { centsValue, integerValue, percentValue } from '$lib/forms/numbers';

export type ApoderadoDraft = {
	name: string;
	nif: string;
	powers: string;
	from: string;
	to: string;
};
export type SocioDraft = { name: string; nif: string; sharePercent: string };
export type ObligationDraft = { modelo: string; period: string; notes: string };
export type AccountDraft = { iban: string; bic: string; bankName: string; notes: string };

/** What the form edits: inputs as text (amounts in euros, percentages with a comma). */
export type CompanyDraft = {
	name: string;
	cif: string;
	address: string;
	postalCode: string;
	town: string;
	province: string;
	incorporationDate: string;
	shareCapital: string;
	mercantil: {
		registry: string;
		tomo: string;
		folio: string;
		hoja: string;
		inscripcion: string;
		apoderados: ApoderadoDraft[];
		socios: SocioDraft[];
	};
	fiscal: {
		vatRegime: string;
		irpfApplies: boolean;
		irpfPercent: string;
		corporateTaxRegime: string;
		corporateTaxRate: string;
		obligations: ObligationDraft[];
	};
	financiera: {
		bankAccounts: AccountDraft[];
		turnover: string;
		turnoverYear: string;
		employees: string;
		notes: string;
	};
};

export type FormSection = 'general' | CompanySection;
export const FORM_SECTIONS: { id: FormSection; label: string }[] = [
	{ id: 'general', label: 'General' },
	{ id: 'mercantil', label: 'Mercantil' },
	{ id: 'fiscal', label: 'Fiscal' },
	{ id: 'financiera', label: 'Financiera' }
];

const GENERAL_KEYS = [
	'name',
	'cif',
	'address',
	'postalCode',
	'town',
	'province',
	'incorporationDate',
	'shareCapitalCents'
] as const;

const s = (v: string | undefined) => v ?? '';

export const emptyApoderado = (): ApoderadoDraft => ({
	name: '',
	nif: '',
	powers: '',
	from: '',
	to: ''
});
export const emptySocio = (): SocioDraft => ({ name: '', nif: '', sharePercent: '' });
export const emptyObligation = (modelo = ''): ObligationDraft => ({
	modelo,
	period: '',
	notes: ''
});
export const emptyAccount = (): AccountDraft => ({ iban: '', bic: '', bankName: '', notes: '' });

export function draftOf(row?: Company): CompanyDraft {
	const m = row?.mercantil;
	const f = row?.fiscal;
	const fin = row?.financiera;
	return {
		name: s(row?.name),
		cif: s(row?.cif),
		address: s(row?.address),
		postalCode: s(row?.postalCode),
		town: s(row?.town),
		province: s(row?.province),
		incorporationDate: s(row?.incorporationDate),
		shareCapital: formatCentsInput(row?.shareCapitalCents),
		mercantil: {
			registry: s(m?.registry),
			tomo: s(m?.tomo),
			folio: s(m?.folio),
			hoja: s(m?.hoja),
			inscripcion: s(m?.inscripcion),
			apoderados: (m?.apoderados ?? []).map((a) => ({
				name: a.name,
				nif: a.nif,
				powers: s(a.powers),
				from: s(a.from),
				to: s(a.to)
			})),
			socios: (m?.socios ?? []).map((x) => ({
				name: x.name,
				nif: s(x.nif),
				sharePercent: formatDecimalInput(x.sharePercent)
			}))
		},
		fiscal: {
			vatRegime: s(f?.vatRegime),
			irpfApplies: f?.irpfApplies ?? false,
			irpfPercent: formatDecimalInput(f?.irpfPercent),
			corporateTaxRegime: s(f?.corporateTaxRegime),
			corporateTaxRate: formatDecimalInput(f?.corporateTaxRate),
			obligations: (f?.obligations ?? []).map((o) => ({
				modelo: o.modelo,
				period: s(o.period),
				notes: s(o.notes)
			}))
		},
		financiera: {
			bankAccounts: (fin?.bankAccounts ?? []).map((b) => ({
				iban: b.iban,
				bic: s(b.bic),
				bankName: s(b.bankName),
				notes: s(b.notes)
			})),
			turnover: formatCentsInput(fin?.turnoverCents),
			turnoverYear: fin?.turnoverYear === undefined ? '' : String(fin.turnoverYear),
			employees: fin?.employees === undefined ? '' : String(fin.employees),
			notes: s(fin?.notes)
		}
	};
}

type Loose = Record<string, unknown>;

/** Drop empty values: '' and undefined leave the key out, an empty object or list leaves it out. */
function clean(o: Loose): Loose | undefined {
	const out: Loose = {};
	for (const [k, v] of Object.entries(o)) {
		if (v === undefined || v === '' || v === false) continue;
		if (typeof v === 'string') {
			const t = v.trim();
			if (t) out[k] = t;
		} else if (Array.isArray(v)) {
			if (v.length) out[k] = v;
		} else out[k] = v;
	}
	return Object.keys(out).length ? out : undefined;
}

/** A list without the rows the user added and left blank. */
function rows<T extends Loose>(list: T[], convert: (x: T) => Loose): Loose[] {
	return list.map((x) => clean(convert(x))).filter((x): x is Loose => x !== undefined);
}

/** The draft as the mutation's fields, numbers parsed (NaN when unreadable: the schema says so). */
export function valuesOfDraft(d: CompanyDraft): Loose {
	const m = d.mercantil;
	const f = d.fiscal;
	const fin = d.financiera;
	return {
		...clean({
			name: d.name,
			cif: d.cif,
			address: d.address,
			postalCode: d.postalCode,
			town: d.town,
			province: d.province,
			incorporationDate: d.incorporationDate,
			shareCapitalCents: centsValue(d.shareCapital)
		}),
		// A required field left empty must still reach the schema to get its message.
		name: d.name,
		cif: d.cif,
		mercantil: clean({
			registry: m.registry,
			tomo: m.tomo,
			folio: m.folio,
			hoja: m.hoja,
			inscripcion: m.inscripcion,
			apoderados: rows(m.apoderados, (a) => ({ ...a })),
			socios: rows(m.socios, (x) => ({ ...x, sharePercent: percentValue(x.sharePercent) }))
		}),
		fiscal: clean({
			vatRegime: f.vatRegime,
			// Only a "yes" is worth storing; unticked is the same as never set.
			irpfApplies: f.irpfApplies || undefined,
			irpfPercent: f.irpfApplies ? percentValue(f.irpfPercent) : undefined,
			corporateTaxRegime: f.corporateTaxRegime,
			corporateTaxRate: percentValue(f.corporateTaxRate),
			obligations: rows(f.obligations, (o) => ({ ...o }))
		}),
		financiera: clean({
			bankAccounts: rows(fin.bankAccounts, (b) => ({ ...b })),
			turnoverCents: centsValue(fin.turnover),
			turnoverYear: integerValue(fin.turnoverYear),
			employees: integerValue(fin.employees),
			notes: fin.notes
		})
	};
}

export const sectionOf = (errorKey: string): FormSection => {
	const first = errorKey.split('.')[0];
	return (COMPANY_SECTIONS as readonly string[]).includes(first)
		? (first as CompanySection)
		: 'general';
};

/** The fields and sections that differ from the stored row: a section travels whole. */
export function companyPatch(original: Company, next: Company): Loose {
	const patch: Loose = {};
	for (const k of [...GENERAL_KEYS, ...COMPANY_SECTIONS]) {
		const before = original[k];
		const after = next[k];
		if (JSON.stringify(before) !== JSON.stringify(after)) patch[k] = after ?? null;
	}
	return patch;
}

/**
 * One company being created or edited at a time (the kit's row editor), plus which of the four
 * sections is shown: after a refused save it is the section of the first error.
 */
export class CompanyEditor extends RowEditor<Company, CompanyDraft> {
	section = $state<FormSection>('general');
	/** The name of the company just saved, for the confirmation. */
	saved = $state('');

	constructor(customerId: string) {
		super({
			entity: 'company',
			keys: [...GENERAL_KEYS, ...COMPANY_SECTIONS],
			toDraft: draftOf,
			toRow: (d, id) => checkWith(Company, { id, customerId, ...valuesOfDraft(d) }),
			patch: (original, row) => companyPatch(original as Company, row as Company),
			draftKey: `company:${customerId}`
		});
	}

	startNew() {
		super.startNew();
		this.section = 'general';
		this.saved = '';
	}

	startEdit(row: Company) {
		super.startEdit(row);
		this.section = 'general';
		this.saved = '';
	}

	sectionHasErrors(section: FormSection): boolean {
		return hasSectionErrors(this.errors, section);
	}

	/** Validate everything, then one `company.create` or one `company.update` with the changes. */
	async save(): Promise<string | undefined> {
		this.saved = '';
		const name = this.draft.name.trim();
		const id = await super.save();
		if (id) this.saved = name;
		else {
			const first = Object.keys(this.errors).find((k) => k !== '_' && this.errors[k]);
			if (first && !this.sectionHasErrors(this.section)) this.section = sectionOf(first);
		}
		return id;
	}
}

export const hasSectionErrors = (errors: FormErrors, section: FormSection) =>
	Object.entries(errors).some(([k, v]) => v && k !== '_' && sectionOf(k) === section);
