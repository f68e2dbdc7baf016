import { redirect } from '@sveltejs/kit';
import { announcementIdSchema, announcementSchema } from '$lib/announcements/schemas';
import {
	deleteAnnouncement,
	listAnnouncements,
	postAnnouncement,
	setPinned
} from '$lib/server/announcements/service';
import { requireUser } from '$lib/server/auth/guards';
import { getCourse } from '$lib/server/courses/service';
import { nextLecture } from '$lib/server/lectures/service';
import { runAction } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const [{ course }, announcements, next] = await Promise.all([
		getCourse(user, params.course),
		listAnnouncements(user, params.course, { markSeen: true }),
		nextLecture(user, params.course)
	]);
	return {
		home: {
			descriptionHtml: course.descriptionHtml,
			logisticsHtml: course.logisticsHtml,
			contactHtml: course.contactHtml,
			gradingPolicyHtml: course.gradingPolicyHtml
		},
		announcements,
		next
	};
};

export const actions: Actions = {
	postAnnouncement: ({ locals, request, params, url }) =>
		runAction(request, announcementSchema, async (input, submission) => {
			await postAnnouncement(requireUser(locals, url), params.course, input, submission);
			redirect(303, `/courses/${params.course}`);
		}),
	pin: ({ locals, request, params, url }) =>
		runAction(request, announcementIdSchema, async ({ id }) => {
			await setPinned(requireUser(locals, url), params.course, id, true);
			redirect(303, `/courses/${params.course}`);
		}),
	unpin: ({ locals, request, params, url }) =>
		runAction(request, announcementIdSchema, async ({ id }) => {
			await setPinned(requireUser(locals, url), params.course, id, false);
			redirect(303, `/courses/${params.course}`);
		}),
	deleteAnnouncement: ({ locals, request, params, url }) =>
		runAction(request, announcementIdSchema, async ({ id }) => {
			await deleteAnnouncement(requireUser(locals, url), params.course, id);
			redirect(303, `/courses/${params.course}`);
		})
};
