import { requireUser } from '$lib/server/auth/guards';
import { reportFile } from '$lib/server/grades/mini-projects';
import type { RequestHandler } from './$types';

/** A report's PDF, for its author and for staff (the service refuses anyone else). */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { fileName, file } = await reportFile(
		requireUser(locals, url),
		params.course,
		params.lecture,
		params.submission
	);
	const name = fileName.replace(/[^\p{L}\p{N} ._-]+/gu, '').slice(0, 120) || 'report.pdf';
	return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': 'application/pdf',
			'content-length': String(file.size),
			'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
