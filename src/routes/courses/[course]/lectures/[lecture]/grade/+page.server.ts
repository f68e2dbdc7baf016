import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { adjustPresenter, courseRubric, gradeTalk, talkGrade } from '$lib/server/grades/talks';
import { lectureCritiques } from '$lib/server/critiques/service';
import { listQuestions } from '$lib/server/talks/service';
import { talkGradeSchema } from '$lib/grades/rubric';
import { adjustmentSchema } from '$lib/grades/schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	// The grade check runs first: only staff and the pair get past it.
	const talk = await talkGrade(user, params.course, params.lecture);
	const [critiques, questions] = await Promise.all([
		lectureCritiques(user, params.course, params.lecture, 'presentation'),
		listQuestions(user, params.course, params.lecture)
	]);
	return { talk, critiques: critiques.critiques, questions };
};

const back = (params: { course: string; lecture: string }) =>
	redirect(303, `/courses/${params.course}/lectures/${params.lecture}/grade`);

export const actions: Actions = {
	grade: async ({ locals, request, params, url }) => {
		const user = requireUser(locals, url);
		const rubric = await courseRubric(user, params.course);
		return runAction(request, talkGradeSchema(rubric), async (input) => {
			await gradeTalk(user, params.course, params.lecture, input);
			back(params);
		});
	},
	adjust: ({ locals, request, params, url }) =>
		runAction(request, adjustmentSchema, async ({ userId, ...input }) => {
			await adjustPresenter(requireUser(locals, url), params.course, params.lecture, userId, input);
			back(params);
		})
};
