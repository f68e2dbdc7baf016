import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, PARTICIPATION_ITEMS } from '$lib/participation/rules';
import { adjustmentFormSchema, rulesFormSchema } from '$lib/participation/schemas';
import { reasonText } from '$lib/participation/explain';

/** The rules form as a browser posts the defaults: ticked boxes send "on", numbers text. */
function defaultsForm(): Record<string, string> {
	const form: Record<string, string> = {
		capPerLecture: String(DEFAULT_RULES.capPerLecture),
		minLength: String(DEFAULT_RULES.minLength),
		fullLength: String(DEFAULT_RULES.fullLength),
		latePenalty: String(DEFAULT_RULES.latePenalty)
	};
	for (const item of PARTICIPATION_ITEMS) {
		if (DEFAULT_RULES.items[item].counts) form[`${item}_counts`] = 'on';
		form[`${item}_points`] = String(DEFAULT_RULES.items[item].points);
	}
	return form;
}

describe('the rules form', () => {
	it('reads back the rules it shows', () => {
		expect(rulesFormSchema.parse(defaultsForm())).toEqual(DEFAULT_RULES);
	});

	it('reads an unticked box as "does not count"', () => {
		const form = defaultsForm();
		delete form.reply_counts;
		expect(rulesFormSchema.parse(form).items.reply).toEqual({ counts: false, points: 0.5 });
	});

	it('names the field of a bad value in plain words', () => {
		const check = (field: string, value: string) => {
			const result = rulesFormSchema.safeParse({ ...defaultsForm(), [field]: value });
			expect(result.success).toBe(false);
			return result.error!.issues[0];
		};
		expect(check('capPerLecture', '-2')).toMatchObject({
			path: ['capPerLecture'],
			message: 'The cap per lecture must be above zero.'
		});
		expect(check('minLength', '').message).toBe(
			'The minimum length must be a number of characters.'
		);
		expect(check('annotation_points', '-1')).toMatchObject({
			path: ['items', 'annotation', 'points'],
			message: 'Points cannot be negative.'
		});
	});
});

describe('the adjustment form', () => {
	it('takes signed points and a reason', () => {
		expect(adjustmentFormSchema.parse({ points: '-1.5', reason: ' Late talk. ' })).toEqual({
			points: -1.5,
			reason: 'Late talk.',
			lectureId: undefined
		});
	});

	it('refuses points out of range, zero, words and a missing reason', () => {
		const fails = (values: Record<string, string>) =>
			adjustmentFormSchema.safeParse(values).error?.issues.map((i) => i.path[0]);
		expect(fails({ points: '101', reason: 'x' })).toEqual(['points']);
		expect(fails({ points: '0', reason: 'x' })).toEqual(['points']);
		expect(fails({ points: 'two', reason: 'x' })).toEqual(['points']);
		expect(fails({ points: '', reason: 'x' })).toEqual(['points']);
		expect(fails({ points: '2', reason: '' })).toEqual(['reason']);
	});
});

describe('reasons', () => {
	it('quote the course’s own limits', () => {
		const rules = { ...DEFAULT_RULES, minLength: 50, capPerLecture: 4.5, latePenalty: 25 };
		expect(reasonText('too_short', rules)).toBe('Earns nothing: shorter than 50 characters.');
		expect(reasonText('over_cap', rules)).toBe('Over the cap of 4.5 points for this lecture.');
		expect(reasonText('late', rules)).toBe('Late: loses 25 % of its points.');
		expect(reasonText('hidden', rules)).toBe('Earns nothing: hidden by an instructor.');
	});
});
