import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { annotationHistory } from '$lib/server/annotations/service';
import type { RequestHandler } from './$types';

/** Earlier versions of an annotation: for its author and for staff. */
export const GET: RequestHandler = async ({ locals, url, params }) =>
	json(
		await annotationHistory(
			requireUser(locals, url),
			params.course,
			params.paper,
			params.annotation
		),
		{ headers: { 'cache-control': 'no-store' } }
	);
