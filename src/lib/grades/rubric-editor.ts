/** The instructor's editor of the talk rubric: a row editor (see $lib/forms/row-editor). */
import { applyRowEdit, keyFromLabel, readRows } from '$lib/forms/row-editor';
import { MAX_CRITERIA, type RubricCriterion } from './rubric';

/** One criterion as typed: the points stay a string, so a bad number comes back as written. */
export interface CriterionDraft {
	/** Empty for a new criterion: derived from its label when saved. */
	key: string;
	label: string;
	max: string;
}

const BLANK: CriterionDraft = { key: '', label: '', max: '10' };

export const criterionDraftsOf = (rubric: RubricCriterion[]): CriterionDraft[] =>
	rubric.map((c) => ({ ...c, max: String(c.max) }));

/** The criteria of a posted editor, in order. */
export const readCriterionDrafts = (values: Record<string, unknown>): CriterionDraft[] =>
	readRows(values, 'criteria', 'label', MAX_CRITERIA, (text) => ({
		key: text('key'),
		label: text('label'),
		max: text('max')
	}));

/** Applies an editing button to the criteria; null for the save button. */
export const applyCriterionEdit = (drafts: CriterionDraft[], edit: string) =>
	applyRowEdit(drafts, edit, BLANK, MAX_CRITERIA);

/** The criteria as a rubric to save (checked by rubricSchema when saved). */
export function rubricOfDrafts(drafts: CriterionDraft[]): unknown[] {
	const taken = new Set(drafts.map((d) => d.key).filter(Boolean));
	return drafts.map((d) => ({
		key: d.key || keyFromLabel(d.label, taken, 'criterion'),
		label: d.label,
		max: d.max.trim() === '' ? NaN : Number(d.max)
	}));
}

/** The form field of a criterion's input, where the editor shows that row's error. */
export const criterionField = (index: number, part: keyof CriterionDraft) =>
	`criteria[${index}].${part}`;
