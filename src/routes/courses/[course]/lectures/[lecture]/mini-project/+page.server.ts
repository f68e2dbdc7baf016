import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { InputError, runAction, submissionKey, uploadedForm } from '$lib/server/forms';
import { pdfTooLargeMessage } from '$lib/server/papers/inspect';
import {
	allSubmissions,
	gradeReport,
	miniProjectOf,
	mySubmissions,
	publishMiniProject,
	submitReport
} from '$lib/server/grades/mini-projects';
import { miniProjectSchema, reportGradeSchema } from '$lib/grades/schemas';
import { utcToZonedLocal } from '$lib/time/zones';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const view = await miniProjectOf(user, params.course, params.lecture);
	const mp = view.miniProject;
	return {
		lecture: view.lecture,
		due: view.due,
		miniProject: mp && {
			title: mp.title,
			descriptionHtml: mp.descriptionHtml,
			maxPoints: mp.maxPoints
		},
		// The edit form's values, as wall-clock time in the course's zone.
		editable: view.staff
			? {
					title: mp?.title ?? '',
					description: mp?.description ?? '',
					dueAt: mp?.dueAt ? utcToZonedLocal(mp.dueAt, view.course.timeZone) : '',
					maxPoints: mp?.maxPoints ?? 100
				}
			: null,
		submissions: view.staff ? await allSubmissions(user, params.course, params.lecture) : [],
		mine: view.staff ? null : await mySubmissions(user, params.course, params.lecture)
	};
};

const here = (params: { course: string; lecture: string }) =>
	`/courses/${params.course}/lectures/${params.lecture}/mini-project`;

export const actions: Actions = {
	publish: ({ locals, request, params, url }) =>
		runAction(request, miniProjectSchema, async (input) => {
			await publishMiniProject(requireUser(locals, url), params.course, params.lecture, input);
			redirect(303, here(params));
		}),
	submit: async ({ locals, request, params, url }) => {
		const user = requireUser(locals, url);
		const form = await uploadedForm(request);
		if (!form) return fail(413, { errors: { file: pdfTooLargeMessage() } });
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { errors: { file: 'Choose a PDF file to upload.' } });
		}
		try {
			const { submission, warning } = await submitReport(
				user,
				params.course,
				params.lecture,
				{ bytes: new Uint8Array(await file.arrayBuffer()), name: file.name },
				undefined,
				await submissionKey(url, form)
			);
			// Not a redirect: the warning about a long report must reach the page.
			return { success: `Report uploaded (version ${submission.version}).`, warning };
		} catch (error) {
			if (error instanceof InputError) return fail(400, { errors: error.errors });
			throw error;
		}
	},
	grade: ({ locals, request, params, url }) =>
		runAction(request, reportGradeSchema, async ({ studentId, ...input }) => {
			await gradeReport(requireUser(locals, url), params.course, params.lecture, studentId, input);
			redirect(303, here(params));
		})
};
