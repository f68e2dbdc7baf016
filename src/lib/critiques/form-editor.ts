/** The instructor's editor of a critique form: a row editor (see $lib/forms/row-editor). */
import { applyRowEdit, keyFromLabel, readRows } from '$lib/forms/row-editor';
import { MAX_FIELDS, type CritiqueField } from './forms';

/** One row as typed: strings, so a bad number comes back as the person wrote it. */
export interface FieldDraft {
	type: 'text' | 'score';
	/** Empty for a new field: derived from its label when saved. */
	key: string;
	label: string;
	help: string;
	required: boolean;
	evidence: boolean;
	min: string;
	max: string;
	lowLabel: string;
	highLabel: string;
}

const BLANK: FieldDraft = {
	type: 'text',
	key: '',
	label: '',
	help: '',
	required: false,
	evidence: false,
	min: '1',
	max: '4',
	lowLabel: '',
	highLabel: ''
};

export function draftsOf(fields: CritiqueField[]): FieldDraft[] {
	return fields.map((f) =>
		f.type === 'text'
			? { ...BLANK, ...f }
			: { ...BLANK, ...f, min: String(f.min), max: String(f.max) }
	);
}

/** The rows of a posted editor, in order. */
export function readDrafts(values: Record<string, unknown>): FieldDraft[] {
	return readRows(values, 'fields', 'type', MAX_FIELDS, (text) => ({
		type: text('type') === 'score' ? 'score' : 'text',
		key: text('key'),
		label: text('label'),
		help: text('help'),
		required: text('required') === 'on',
		evidence: text('evidence') === 'on',
		min: text('min'),
		max: text('max'),
		lowLabel: text('lowLabel'),
		highLabel: text('highLabel')
	}));
}

/** Applies an editing button to the rows; null for the save button. */
export const applyEdit = (drafts: FieldDraft[], edit: string) =>
	applyRowEdit(drafts, edit, BLANK, MAX_FIELDS);

/** The rows as a form to save (checked by critiqueFormSchema when saved). */
export function fieldsOfDrafts(drafts: FieldDraft[]): unknown[] {
	const taken = new Set(drafts.map((d) => d.key).filter(Boolean));
	const number = (v: string) => (/^-?\d+$/.test(v.trim()) ? Number(v) : NaN);
	return drafts.map((d) => {
		const key = d.key || keyFromLabel(d.label, taken, 'field');
		const common = { key, label: d.label, help: d.help, required: d.required };
		return d.type === 'text'
			? { type: 'text', ...common, evidence: d.evidence }
			: {
					type: 'score',
					...common,
					min: number(d.min),
					max: number(d.max),
					lowLabel: d.lowLabel,
					highLabel: d.highLabel
				};
	});
}
