import { error, json } from '@sveltejs/kit';
import { positionSchema } from '$lib/talks/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { InputError } from '$lib/server/forms';
import { moveTalk } from '$lib/server/talks/service';
import { toFieldErrors } from '$lib/validation';
import type { RequestHandler } from './$types';

/** The presenter's slide and fragment, POSTed as JSON `{h, v, f}` on every move. */
export const POST: RequestHandler = async ({ locals, url, params, request }) => {
	const user = requireUser(locals, url);
	const body: unknown = await request.json().catch(() => error(400, 'Send JSON: {h, v, f}.'));
	const parsed = positionSchema.safeParse(body);
	if (!parsed.success) return json({ errors: toFieldErrors(parsed.error) }, { status: 400 });
	try {
		await moveTalk(user, params.course, params.lecture, parsed.data);
	} catch (e) {
		if (e instanceof InputError) return json({ errors: e.errors }, { status: 409 });
		throw e;
	}
	return new Response(null, { status: 204 });
};
