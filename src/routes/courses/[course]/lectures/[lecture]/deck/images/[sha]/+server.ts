import { requireUser } from '$lib/server/auth/guards';
import { deckImage } from '$lib/server/decks/images';
import type { RequestHandler } from './$types';

/** An image of the deck, for whoever may see the deck; the URL names the content's hash. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const file = await deckImage(requireUser(locals, url), params.course, params.lecture, params.sha);
	return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': file.contentType,
			'content-length': String(file.size),
			'cache-control': 'private, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff'
		}
	});
};
