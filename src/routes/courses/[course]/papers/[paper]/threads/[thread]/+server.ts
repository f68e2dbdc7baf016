import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { getThread } from '$lib/server/annotations/service';
import type { RequestHandler } from './$types';

/** One thread as the member may see it (404 once it is gone or out of their sight). */
export const GET: RequestHandler = async ({ locals, url, params }) =>
	json(await getThread(requireUser(locals, url), params.course, params.paper, params.thread), {
		headers: { 'cache-control': 'no-store' }
	});
