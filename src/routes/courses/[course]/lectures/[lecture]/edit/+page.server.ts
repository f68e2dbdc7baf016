import { redirect } from '@sveltejs/kit';
import { lectureSchema } from '$lib/lectures/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { deleteLecture, getLecture, updateLecture } from '$lib/server/lectures/service';
import { requireStaff } from '$lib/server/courses/access';
import { utcToZonedLocal } from '$lib/time/zones';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	await requireStaff(user, params.course);
	const { lecture, course } = await getLecture(user, params.course, params.lecture);
	const zonedOrEmpty = (instant: Date | null) =>
		instant ? utcToZonedLocal(instant, course.timeZone) : '';
	return {
		lecture: {
			id: lecture.id,
			number: lecture.number,
			title: lecture.title,
			topic: lecture.topic,
			description: lecture.description,
			startsAt: utcToZonedLocal(lecture.startsAt, course.timeZone),
			endsAt: utcToZonedLocal(lecture.endsAt, course.timeZone),
			room: lecture.room,
			givenByInstructors: lecture.givenByInstructors,
			paperCritiqueDueAt: zonedOrEmpty(lecture.paperCritiqueDueAt),
			presentationCritiqueDueAt: zonedOrEmpty(lecture.presentationCritiqueDueAt)
		}
	};
};

export const actions: Actions = {
	update: ({ locals, request, params, url }) =>
		runAction(request, lectureSchema, async (input) => {
			await updateLecture(requireUser(locals, url), params.course, params.lecture, input);
			redirect(303, `/courses/${params.course}/lectures/${params.lecture}`);
		}),
	delete: async ({ locals, params, url }) => {
		await deleteLecture(requireUser(locals, url), params.course, params.lecture);
		redirect(303, `/courses/${params.course}/lectures`);
	}
};
