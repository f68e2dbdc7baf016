import { unreadCount } from '$lib/server/notifications/service';
import { newSecret } from '$lib/server/ids';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	// Reading the path makes the count load again on every navigation (one indexed count).
	void url.pathname;
	// The one-time token of this page view's create forms (SubmissionToken); new on every
	// load, so after a form succeeded the next one it renders is another submission.
	const submission = newSecret();
	if (!locals.user) return { user: null, unread: 0, submission };
	return {
		submission,
		user: { name: locals.user.name, email: locals.user.email },
		unread: await unreadCount(locals.user)
	};
};
