import { calendarFeed } from '$lib/server/calendar/service';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) =>
	new Response(await calendarFeed(params.token, url.origin), {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'cache-control': 'private, max-age=300'
		}
	});
