import { fail } from '@sveltejs/kit';
import { gradeSettingsSchema } from '$lib/grades/final';
import { DEFAULT_RUBRIC } from '$lib/grades/rubric';
import {
	applyCriterionEdit,
	criterionDraftsOf,
	readCriterionDrafts,
	rubricOfDrafts
} from '$lib/grades/rubric-editor';
import { formValues } from '$lib/validation';
import { requireUser } from '$lib/server/auth/guards';
import { requireInstructor } from '$lib/server/courses/access';
import { InputError, runAction } from '$lib/server/forms';
import { gradebook, myGrades, setGradeSettings } from '$lib/server/grades/gradebook';
import { courseRubric, setRubric } from '$lib/server/grades/talks';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params, parent }) => {
	const user = requireUser(locals, url);
	const { isStaff, isInstructor } = await parent();
	if (!isStaff) return { book: null, mine: await myGrades(user, params.course), rubric: null };
	return {
		book: await gradebook(user, params.course),
		mine: null,
		rubric: isInstructor ? criterionDraftsOf(await courseRubric(user, params.course)) : null
	};
};

export const actions: Actions = {
	settings: ({ locals, request, params, url }) =>
		runAction(request, gradeSettingsSchema, async (input) => {
			await setGradeSettings(requireUser(locals, url), params.course, input);
			return { success: 'Grade settings saved.' };
		}),
	/** Saves the talk rubric, or applies one of the editor's add/remove/move buttons unsaved. */
	rubric: async ({ locals, request, params, url }) => {
		const user = requireUser(locals, url);
		await requireInstructor(user, params.course);
		const values = formValues(await request.formData());
		const drafts = readCriterionDrafts(values);
		const edited = applyCriterionEdit(drafts, String(values.edit ?? ''));
		if (edited) return { rubric: { criteria: edited } };
		try {
			await setRubric(user, params.course, rubricOfDrafts(drafts));
		} catch (e) {
			if (!(e instanceof InputError)) throw e;
			return fail(400, { rubric: { criteria: drafts, errors: e.errors } });
		}
		return { rubricSaved: 'Talk rubric saved.' };
	},
	restoreRubric: async ({ locals, params, url }) => {
		await setRubric(requireUser(locals, url), params.course, DEFAULT_RUBRIC);
		return { rubricSaved: 'Talk rubric restored to the default.' };
	}
};
