import { redirect } from '@sveltejs/kit';
import { joinSchema } from '$lib/courses/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { joinWithCode } from '$lib/server/courses/service';
import { runAction } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	requireUser(locals, url);
};

export const actions: Actions = {
	default: ({ locals, request, url }) =>
		runAction(request, joinSchema, async ({ code }) => {
			const course = await joinWithCode(requireUser(locals, url), code);
			redirect(303, `/courses/${course.id}`);
		})
};
