import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { exportDeck } from '$lib/server/decks/export';
import { isExportFormat } from '$lib/decks/export';
import type { RequestHandler } from './$types';

/** The deck as a download: `?format=html` (self-contained reveal.js) or `?format=md`. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const format = url.searchParams.get('format') ?? 'html';
	if (!isExportFormat(format)) error(400, 'Choose format=html or format=md.');
	const file = await exportDeck(user, params.course, params.lecture, format, url.origin);
	return new Response(file.body, {
		headers: {
			'content-type': `${file.contentType}; charset=utf-8`,
			'content-disposition': `attachment; filename="${file.filename}"`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
