import { requireUser } from '$lib/server/auth/guards';
import { exportCourse } from '$lib/server/transfer/service';
import type { RequestHandler } from './$types';

/** The whole course as one file, for an import here or on another Podium. Instructors only. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const file = await exportCourse(requireUser(locals, url), params.course);
	return new Response(file.body, {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename="${file.fileName}"`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
