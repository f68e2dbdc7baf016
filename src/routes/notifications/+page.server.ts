import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { listNotifications, markRead } from '$lib/server/notifications/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	notifications: await listNotifications(requireUser(locals, url))
});

export const actions: Actions = {
	markAllRead: async ({ locals, url }) => {
		await markRead(requireUser(locals, url), 'all');
		redirect(303, '/notifications');
	}
};
