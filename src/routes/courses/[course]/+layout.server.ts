import { requireUser } from '$lib/server/auth/guards';
import { getCourse } from '$lib/server/courses/service';
import { isStaff } from '$lib/courses/roles';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const { course, role } = await getCourse(user, params.course);
	return {
		course: { id: course.id, title: course.title, timeZone: course.timeZone },
		role,
		isStaff: isStaff(role),
		isInstructor: role === 'instructor'
	};
};
