import { requireUser } from '$lib/server/auth/guards';
import { myCourses } from '$lib/server/courses/service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	return { courses: await myCourses(user) };
};
