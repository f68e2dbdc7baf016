import { error, redirect } from '@sveltejs/kit';
import { critiqueKindSchema, critiqueMetaSchema } from '$lib/critiques/schemas';
import type { CritiqueKind } from '$lib/critiques/forms';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { myCritique, saveCritiqueDraft, submitCritique } from '$lib/server/critiques/service';
import { evidenceSources } from '$lib/server/critiques/evidence';
import type { Actions, PageServerLoad } from './$types';

function kindOf(param: string): CritiqueKind {
	const kind = critiqueKindSchema.safeParse(param);
	if (!kind.success) error(404, 'Not found');
	return kind.data;
}

// The answers are the form's other fields, one per question: checkAnswers checks them.
const critiquePostSchema = critiqueMetaSchema.loose();

function split(data: Record<string, unknown> & { kind: CritiqueKind }, route: CritiqueKind) {
	const { kind, anonymous, paperId, ...answers } = data;
	if (kind !== route) error(400, 'This form belongs to another kind of critique.');
	return { answers, anonymous: anonymous as boolean, paperId: paperId as string | undefined };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const kind = kindOf(params.kind);
	const [mine, sources] = await Promise.all([
		myCritique(user, params.course, params.lecture, kind),
		evidenceSources(user, params.course, params.lecture)
	]);
	return { kind, ...mine, sources };
};

export const actions: Actions = {
	draft: ({ locals, request, params, url }) =>
		runAction(request, critiquePostSchema, async (data) => {
			const { savedAt } = await saveCritiqueDraft(
				requireUser(locals, url),
				params.course,
				params.lecture,
				kindOf(params.kind),
				split(data, kindOf(params.kind))
			);
			return { savedAt: savedAt.toISOString() };
		}),
	submit: ({ locals, request, params, url }) =>
		runAction(request, critiquePostSchema, async (data, submission) => {
			const { id } = await submitCritique(
				requireUser(locals, url),
				params.course,
				params.lecture,
				kindOf(params.kind),
				split(data, kindOf(params.kind)),
				undefined,
				submission
			);
			redirect(
				303,
				`/courses/${params.course}/lectures/${params.lecture}/critiques#critique-${id}`
			);
		})
};
