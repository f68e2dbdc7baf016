import { requireUser } from '$lib/server/auth/guards';
import { myCourses } from '$lib/server/courses/service';
import { myPresentations } from '$lib/server/lectures/presenters';
import { dueText, myDueCritiques } from '$lib/server/critiques/due';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const now = new Date();
	const [courses, presentations, due] = await Promise.all([
		myCourses(user),
		myPresentations(user),
		myDueCritiques(user, now)
	]);
	return {
		courses,
		presentations,
		// Phrased here: "before Thursday 16:00" depends on the server's now, not the browser's.
		due: due.map((d) => ({ courseId: d.courseId, url: d.url, text: dueText(d, now) }))
	};
};
