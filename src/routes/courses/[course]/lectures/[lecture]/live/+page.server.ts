import { questionSchema, voteSchema } from '$lib/talks/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { askQuestion, setQuestionVote, talkPage } from '$lib/server/talks/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	depends('talk:questions');
	const user = requireUser(locals, url);
	return talkPage(user, params.course, params.lecture, 'audience');
};

export const actions: Actions = {
	ask: ({ locals, request, params, url }) =>
		runAction(request, questionSchema, async (input, submission) => {
			const user = requireUser(locals, url);
			await askQuestion(user, params.course, params.lecture, input, submission);
			return { success: 'Question sent to the presenters.' };
		}),
	vote: ({ locals, request, params, url }) =>
		runAction(request, voteSchema, async ({ questionId, on }) => {
			await setQuestionVote(
				requireUser(locals, url),
				params.course,
				params.lecture,
				questionId,
				on
			);
		})
};
