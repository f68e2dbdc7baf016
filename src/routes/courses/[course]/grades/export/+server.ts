import { error } from '@sveltejs/kit';
import { EXPORT_FORMATS, type ExportFormat } from '$lib/grades/final';
import { requireUser } from '$lib/server/auth/guards';
import { exportGradebook } from '$lib/server/grades/gradebook';
import type { RequestHandler } from './$types';

const isFormat = (f: string): f is ExportFormat =>
	(EXPORT_FORMATS as readonly string[]).includes(f);

/** The gradebook as a download: `?format=moodle`, `canvas` (CSV) or `json`. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const format = url.searchParams.get('format') ?? 'moodle';
	if (!isFormat(format)) error(400, 'Choose format=moodle, format=canvas or format=json.');
	const file = await exportGradebook(user, params.course, format);
	return new Response(file.body, {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename="${file.fileName}"`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
