import { requireUser } from '$lib/server/auth/guards';
import { getPaper } from '$lib/server/papers/service';
import { mayHear } from '$lib/server/live/bus';
import { eventStream } from '$lib/server/live/sse';
import { isStaff } from '$lib/courses/roles';
import type { RequestHandler } from './$types';

/** Live changes to the paper's annotations: ids only; the page fetches what it may see. */
export const GET: RequestHandler = async ({ locals, url, params, request }) => {
	const user = requireUser(locals, url);
	const { role, paper } = await getPaper(user, params.course, params.paper);
	const member = { userId: user.id, isStaff: isStaff(role) };
	return eventStream(`paper:${paper.id}`, (event) => mayHear(event, member), request.signal);
};
