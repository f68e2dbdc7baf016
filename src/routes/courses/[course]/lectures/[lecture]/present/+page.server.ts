import { z } from 'zod';
import { answerSchema } from '$lib/talks/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { endTalk, markAnswered, startTalk, talkPage } from '$lib/server/talks/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	depends('talk:questions');
	const user = requireUser(locals, url);
	return talkPage(user, params.course, params.lecture, 'presenter');
};

const noFields = z.object({});

export const actions: Actions = {
	start: ({ locals, request, params, url }) =>
		runAction(request, noFields, async () => {
			await startTalk(requireUser(locals, url), params.course, params.lecture);
			return { success: 'The talk is live: the class follows your slides.' };
		}),
	end: ({ locals, request, params, url }) =>
		runAction(request, noFields, async () => {
			await endTalk(requireUser(locals, url), params.course, params.lecture);
			return { success: 'The talk has ended.' };
		}),
	answer: ({ locals, request, params, url }) =>
		runAction(request, answerSchema, async ({ questionId }) => {
			await markAnswered(requireUser(locals, url), params.course, params.lecture, questionId);
		})
};
