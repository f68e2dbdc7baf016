import { requireUser } from '$lib/server/auth/guards';
import { exportAnnotations } from '$lib/server/annotations/exchange';
import type { RequestHandler } from './$types';

/** The annotations the member may see, as a W3C Web Annotation collection (JSON-LD). */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const collection = await exportAnnotations(
		requireUser(locals, url),
		params.course,
		params.paper,
		url.origin
	);
	return new Response(JSON.stringify(collection, null, 2), {
		headers: {
			'content-type': 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
			'content-disposition': `attachment; filename="annotations-${params.paper}.jsonld"`,
			'cache-control': 'no-store'
		}
	});
};
