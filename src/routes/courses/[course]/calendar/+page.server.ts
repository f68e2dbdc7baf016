import { requireUser } from '$lib/server/auth/guards';
import { calendarToken, resetCalendarToken } from '$lib/server/calendar/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const token = await calendarToken(requireUser(locals, url), params.course);
	return { feedUrl: `${url.origin}/calendar/${token}.ics` };
};

export const actions: Actions = {
	reset: async ({ locals, params, url }) => {
		await resetCalendarToken(requireUser(locals, url), params.course);
		return { success: 'New calendar address created; the old one no longer works.' };
	}
};
