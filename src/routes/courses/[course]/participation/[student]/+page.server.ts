import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { addAdjustment, explainedScore } from '$lib/server/participation/service';
import { adjustmentFormSchema } from '$lib/participation/schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	return {
		score: await explainedScore(user, params.course, params.student),
		own: user.id === params.student
	};
};

export const actions: Actions = {
	adjust: ({ locals, request, params, url }) =>
		runAction(request, adjustmentFormSchema, async (input, submission) => {
			const user = requireUser(locals, url);
			await addAdjustment(user, params.course, params.student, input, submission);
			return { success: 'Adjustment saved.' };
		})
};
