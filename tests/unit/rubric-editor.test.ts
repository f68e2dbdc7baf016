import { describe, expect, test } from 'vitest';
import { DEFAULT_RUBRIC, rubricSchema } from '$lib/grades/rubric';
import {
	applyCriterionEdit,
	criterionDraftsOf,
	criterionField,
	readCriterionDrafts,
	rubricOfDrafts
} from '$lib/grades/rubric-editor';

const posted = (rows: { key: string; label: string; max: string }[]) =>
	Object.fromEntries(
		rows.flatMap((row, i) =>
			Object.entries(row).map(([part, v]) => [criterionField(i, part as 'key'), v])
		)
	);

describe('the talk rubric editor', () => {
	test('round-trips the default rubric through the indexed inputs', () => {
		const drafts = readCriterionDrafts(posted(criterionDraftsOf(DEFAULT_RUBRIC)));
		expect(rubricOfDrafts(drafts)).toEqual(DEFAULT_RUBRIC);
	});

	test('a new criterion gets a key from its label, unlike the others', () => {
		const drafts = applyCriterionEdit(criterionDraftsOf(DEFAULT_RUBRIC), 'add')!;
		drafts[4] = { ...drafts[4], label: 'Delivery', max: '5' };
		drafts.push({ key: '', label: 'Delivery', max: '5' });
		const keys = (rubricOfDrafts(drafts) as { key: string }[]).map((c) => c.key);
		expect(keys.slice(4)).toEqual(['delivery_2', 'delivery_3']);
	});

	test('moves, removes, and leaves points that are not numbers to the schema', () => {
		const drafts = criterionDraftsOf(DEFAULT_RUBRIC);
		const labels = (rows: { label: string }[] | null) => rows?.map((r) => r.label[0]);
		expect(labels(applyCriterionEdit(drafts, 'up:3'))).toEqual(['C', 'A', 'H', 'D']);
		expect(labels(applyCriterionEdit(drafts, 'remove:0'))).toEqual(['A', 'D', 'H']);
		expect(applyCriterionEdit(drafts, 'save')).toBeNull();
		const bad = rubricOfDrafts([{ key: 'x', label: 'X', max: 'ten' }]);
		expect(rubricSchema.safeParse(bad).error?.issues[0].message).toBe(
			'Enter a whole number of points from 1 to 100.'
		);
	});
});
