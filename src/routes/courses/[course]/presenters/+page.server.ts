import { rotationSchema } from '$lib/lectures/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { listLectures } from '$lib/server/lectures/service';
import { generatePresenterRotation, presentersByLecture } from '$lib/server/lectures/presenters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const [lectures, presenters] = await Promise.all([
		listLectures(user, params.course),
		presentersByLecture(user, params.course)
	]);
	return {
		rows: lectures.map((l) => ({
			id: l.id,
			number: l.number,
			title: l.title,
			startsAt: l.startsAt,
			givenByInstructors: l.givenByInstructors,
			presenters: presenters.get(l.id) ?? []
		})),
		me: user.id
	};
};

export const actions: Actions = {
	generate: ({ locals, request, params, url }) =>
		runAction(request, rotationSchema, async (options) => {
			const { unassigned } = await generatePresenterRotation(
				requireUser(locals, url),
				params.course,
				options
			);
			return {
				success: unassigned.length
					? `Rotation generated. Without a slot (more students than lectures): ${unassigned.map((s) => s.name).join(', ')}.`
					: 'Rotation generated: every student presents.'
			};
		})
};
