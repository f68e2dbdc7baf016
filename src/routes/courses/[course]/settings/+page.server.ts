import { courseSchema } from '$lib/courses/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { requireInstructor } from '$lib/server/courses/access';
import { resetInviteLink, rotateJoinCode, updateCourse } from '$lib/server/courses/service';
import { runAction } from '$lib/server/forms';
import { timeZoneNames } from '$lib/time/zones';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { course } = await requireInstructor(requireUser(locals, url), params.course);
	return {
		settings: {
			title: course.title,
			description: course.description,
			logistics: course.logistics,
			contact: course.contact,
			gradingPolicy: course.gradingPolicy,
			timeZone: course.timeZone
		},
		joinCode: course.joinCode,
		inviteUrl: `${url.origin}/join/${course.inviteToken}`,
		timeZones: timeZoneNames()
	};
};

export const actions: Actions = {
	update: ({ locals, request, params, url }) =>
		runAction(request, courseSchema, async (input) => {
			await updateCourse(requireUser(locals, url), params.course, input);
			return { success: 'Course saved.' };
		}),
	rotateJoinCode: async ({ locals, params, url }) => {
		await rotateJoinCode(requireUser(locals, url), params.course);
		return { joinSuccess: 'New join code created; the old one no longer works.' };
	},
	resetInviteLink: async ({ locals, params, url }) => {
		await resetInviteLink(requireUser(locals, url), params.course);
		return { joinSuccess: 'New invite link created; the old one no longer works.' };
	}
};
