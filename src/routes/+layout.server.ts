import { unreadCount } from '$lib/server/notifications/service';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	// Reading the path makes the count load again on every navigation (one indexed count).
	void url.pathname;
	if (!locals.user) return { user: null, unread: 0 };
	return {
		user: { name: locals.user.name, email: locals.user.email },
		unread: await unreadCount(locals.user)
	};
};
