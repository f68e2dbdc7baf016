import { requireUser } from '$lib/server/auth/guards';
import { eventStream } from '$lib/server/live/sse';
import { getTalk, talkChannel } from '$lib/server/talks/service';
import type { RequestHandler } from './$types';

/** The talk's moves (with the position) and changes to its questions, for whoever may see the deck. */
export const GET: RequestHandler = async ({ locals, url, params, request }) => {
	const user = requireUser(locals, url);
	const { lecture } = await getTalk(user, params.course, params.lecture);
	return eventStream(talkChannel(lecture.id), () => true, request.signal);
};
