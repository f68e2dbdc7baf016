import { requireUser } from '$lib/server/auth/guards';
import { myCourses } from '$lib/server/courses/service';
import { myPresentations } from '$lib/server/lectures/presenters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const [courses, presentations] = await Promise.all([myCourses(user), myPresentations(user)]);
	return { courses, presentations };
};
