import { gradeSettingsSchema } from '$lib/grades/final';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { gradebook, myGrades, setGradeSettings } from '$lib/server/grades/gradebook';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params, parent }) => {
	const user = requireUser(locals, url);
	const { isStaff } = await parent();
	return isStaff
		? { book: await gradebook(user, params.course), mine: null }
		: { book: null, mine: await myGrades(user, params.course) };
};

export const actions: Actions = {
	settings: ({ locals, request, params, url }) =>
		runAction(request, gradeSettingsSchema, async (input) => {
			await setGradeSettings(requireUser(locals, url), params.course, input);
			return { success: 'Grade settings saved.' };
		})
};
