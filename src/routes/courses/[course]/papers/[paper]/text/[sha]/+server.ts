import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { paperText } from '$lib/server/papers/service';
import type { RequestHandler } from './$types';

/**
 * The text of every page, which the browser anchors annotations against. Keyed by the
 * file's hash like the PDF, so it is fetched once and then comes from the cache.
 */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { paper, pages } = await paperText(requireUser(locals, url), params.course, params.paper);
	if (params.sha !== paper.fileSha256) error(404, 'Not found');
	return json(pages, { headers: { 'cache-control': 'private, max-age=31536000, immutable' } });
};
