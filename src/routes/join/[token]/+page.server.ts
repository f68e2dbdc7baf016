import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { courseForInvite, joinWithInvite } from '$lib/server/courses/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	return { course: await courseForInvite(params.token) };
};

export const actions: Actions = {
	default: async ({ locals, url, params }) => {
		const course = await joinWithInvite(requireUser(locals, url), params.token);
		redirect(303, `/courses/${course.id}`);
	}
};
