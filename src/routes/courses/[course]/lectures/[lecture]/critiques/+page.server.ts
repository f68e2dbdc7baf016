import {
	critiqueReplySchema,
	helpfulSchema,
	replyTargetSchema,
	staffFlagSchema
} from '$lib/critiques/schemas';
import { CRITIQUE_KINDS } from '$lib/critiques/forms';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import {
	lectureCritiques,
	markAnswerRead,
	myCritique,
	replyToCritique,
	setCritiqueFlag,
	setCritiqueHelpful
} from '$lib/server/critiques/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const sections = await Promise.all(
		CRITIQUE_KINDS.map(async (kind) => {
			const [mine, read] = await Promise.all([
				myCritique(user, params.course, params.lecture, kind),
				lectureCritiques(user, params.course, params.lecture, kind)
			]);
			const own = mine.critique;
			return {
				kind,
				lecture: mine.lecture,
				refusal: mine.refusal,
				mine: own && { submitted: own.submittedAt !== null, late: own.late, version: own.version },
				...read
			};
		})
	);
	return { lecture: sections[0].lecture, sections };
};

export const actions: Actions = {
	reply: ({ locals, request, params, url }) =>
		runAction(request, critiqueReplySchema, async (input, submission) => {
			await replyToCritique(requireUser(locals, url), params.course, input, submission);
			return { replied: input.critiqueId };
		}),
	helpful: ({ locals, request, params, url }) =>
		runAction(request, helpfulSchema, async ({ critiqueId, on }) => {
			await setCritiqueHelpful(requireUser(locals, url), params.course, critiqueId, on);
			return {};
		}),
	flag: ({ locals, request, params, url }) =>
		runAction(request, staffFlagSchema, async (input) => {
			await setCritiqueFlag(requireUser(locals, url), params.course, input);
			return {};
		}),
	read: ({ locals, request, params, url }) =>
		runAction(request, replyTargetSchema, async ({ replyId }) => {
			await markAnswerRead(requireUser(locals, url), params.course, replyId);
			return {};
		})
};
