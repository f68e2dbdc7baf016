import { redirect } from '@sveltejs/kit';
import { courseSchema } from '$lib/courses/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { createCourse } from '$lib/server/courses/service';
import { runAction } from '$lib/server/forms';
import { timeZoneNames } from '$lib/time/zones';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	requireUser(locals, url);
	return { timeZones: timeZoneNames() };
};

export const actions: Actions = {
	default: ({ locals, request, url }) =>
		runAction(request, courseSchema, async (input, submission) => {
			const course = await createCourse(requireUser(locals, url), input, submission);
			redirect(303, `/courses/${course.id}`);
		})
};
