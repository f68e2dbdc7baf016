import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { paperFile } from '$lib/server/papers/service';
import type { RequestHandler } from './$types';

/** The PDF, for members; the URL names the content's hash, so it never changes. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { paper, file } = await paperFile(requireUser(locals, url), params.course, params.paper);
	if (params.sha !== paper.fileSha256) error(404, 'Not found');
	const name = paper.title.replace(/[^\p{L}\p{N} ._-]+/gu, '').slice(0, 120) || 'paper';
	return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': 'application/pdf',
			'content-length': String(file.size),
			'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(name)}.pdf`,
			'cache-control': 'private, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff'
		}
	});
};
