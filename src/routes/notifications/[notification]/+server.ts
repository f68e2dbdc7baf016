import { redirect } from '@sveltejs/kit';
import { requireUser, safeNext } from '$lib/server/auth/guards';
import { openNotification } from '$lib/server/notifications/service';
import type { RequestHandler } from './$types';

/**
 * Following a notification marks it read, then goes where it points. An endpoint rather
 * than a page: the app preloads pages on hover, which must not mark anything read.
 */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const target = await openNotification(requireUser(locals, url), params.notification);
	// Stored urls are paths the app wrote; checked anyway, so a notice never leads off-site.
	redirect(303, safeNext(target));
};
