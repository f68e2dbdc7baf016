import { describe, expect, it } from 'vitest';
import { critiqueSettingsOf, setCritiqueForm, setRevealRule } from '$lib/server/critiques/service';
import { applyEdit, draftsOf, fieldsOfDrafts } from '$lib/critiques/form-editor';
import { DEFAULT_FORMS } from '$lib/critiques/forms';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	makeCourse
} from './helpers';

describe('critique settings as the settings page saves them', () => {
	it('saves an edited form: a changed scale, a new field with its own key, a moved row', async () => {
		const { course, instructor } = await makeCourse();
		let drafts = draftsOf(DEFAULT_FORMS.presentation);
		drafts = drafts.map((d) => (d.key === 'delivery' ? { ...d, min: '0', max: '10' } : d));
		drafts = applyEdit(drafts, 'add')!;
		drafts[drafts.length - 1] = { ...drafts.at(-1)!, label: 'Slides', type: 'score' };
		drafts = applyEdit(drafts, 'up:0')!;
		drafts = applyEdit(drafts, 'down:0')!;
		await setCritiqueForm(instructor, course.id, 'presentation', fieldsOfDrafts(drafts));

		const { forms } = await critiqueSettingsOf(instructor, course.id);
		expect(forms.presentation.map((f) => f.key)).toEqual([
			'weaknesses',
			'strengths',
			'questions',
			'explanation',
			'assessment',
			'delivery',
			'slides'
		]);
		expect(forms.presentation.find((f) => f.key === 'delivery')).toMatchObject({
			min: 0,
			max: 10
		});
		// The other kind keeps the default.
		expect(forms.paper).toEqual(DEFAULT_FORMS.paper);
	});

	it('refuses a bad form with the row to fix, and saves nothing', async () => {
		const { course, instructor } = await makeCourse();
		const drafts = draftsOf(DEFAULT_FORMS.paper).map((d, i) =>
			i === 5 ? { ...d, min: '4', max: '2' } : i === 1 ? { ...d, label: ' ' } : d
		);
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				setCritiqueForm(instructor, course.id, 'paper', fieldsOfDrafts(drafts)),
				'fields'
			);
			expect(errors.fields).toContain('Field 2: Every field needs a label.');
			expect(errors.fields).toContain('Field 6: A scale must end above where it starts.');
			const blank = fieldsOfDrafts([{ ...draftsOf(DEFAULT_FORMS.paper)[5], min: '' }]);
			expect(
				(await expectInputError(setCritiqueForm(instructor, course.id, 'paper', blank), 'fields'))
					.fields
			).toContain('Field 1: A scale starts and ends at whole numbers.');
		});
	});

	it('lets only the instructor change forms and the reveal rule', async () => {
		const { course, instructor } = await makeCourse();
		const ta = await asTaOf(course);
		const student = await asStudentOf(course);
		await expectNothingWritten(async () => {
			await expectHttpError(setRevealRule(ta, course.id, 'after_deadline'), 403);
			await expectHttpError(setCritiqueForm(student, course.id, 'paper', DEFAULT_FORMS.paper), 403);
		});
		await setRevealRule(instructor, course.id, 'after_deadline');
		expect((await critiqueSettingsOf(student, course.id)).reveal).toBe('after_deadline');
	});
});
