import { redirect } from '@sveltejs/kit';
import { announcementSchema } from '$lib/announcements/schemas';
import { editAnnouncement, getAnnouncement } from '$lib/server/announcements/service';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const a = await getAnnouncement(requireUser(locals, url), params.course, params.announcement);
	return { announcement: { title: a.title, body: a.body, pinned: a.pinned } };
};

export const actions: Actions = {
	default: ({ locals, request, params, url }) =>
		runAction(request, announcementSchema, async (input) => {
			await editAnnouncement(requireUser(locals, url), params.course, params.announcement, input);
			redirect(303, `/courses/${params.course}`);
		})
};
