import { redirect } from '@sveltejs/kit';
import { lectureSchema } from '$lib/lectures/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { createLecture, suggestedLectureNumber } from '$lib/server/lectures/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => ({
	number: await suggestedLectureNumber(requireUser(locals, url), params.course)
});

export const actions: Actions = {
	default: ({ locals, request, params, url }) =>
		runAction(request, lectureSchema, async (input, submission) => {
			const id = await createLecture(requireUser(locals, url), params.course, input, submission);
			redirect(303, `/courses/${params.course}/lectures/${id}`);
		})
};
