import { fail, redirect } from '@sveltejs/kit';
import { papersOfLecture, uploadPaper } from '$lib/server/papers/service';
import { presentersSchema, readingIdSchema, readingSchema } from '$lib/lectures/schemas';
import { presentersByLecture, setPresenters } from '$lib/server/lectures/presenters';
import { listMembers } from '$lib/server/courses/roster';
import { isStaff } from '$lib/courses/roles';
import { requireUser } from '$lib/server/auth/guards';
import { InputError, runAction, submissionKey, uploadedForm } from '$lib/server/forms';
import { pdfTooLargeMessage } from '$lib/server/papers/inspect';
import { talkLinks } from '$lib/server/talks/service';
import { hasMiniProject } from '$lib/server/grades/mini-projects';
import { addReading, getLecture, removeReading, updateReading } from '$lib/server/lectures/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const [{ lecture, readings, role }, papers, presenters, members, talk, miniProject] =
		await Promise.all([
			getLecture(user, params.course, params.lecture),
			papersOfLecture(user, params.course, params.lecture),
			presentersByLecture(user, params.course),
			listMembers(user, params.course),
			talkLinks(user, params.course, params.lecture),
			hasMiniProject(user, params.course, params.lecture)
		]);
	const paperOfReading = new Map(papers.map((p) => [p.readingId, p]));
	const mine = presenters.get(lecture.id) ?? [];
	const presenting = mine.some((p) => p.userId === user.id);
	return {
		lecture,
		readings: readings.map((r) => ({ ...r, paper: paperOfReading.get(r.id) ?? null })),
		presenters: mine,
		students: isStaff(role)
			? members.filter((m) => m.role === 'student').map((m) => ({ userId: m.userId, name: m.name }))
			: [],
		canAddPapers: isStaff(role) || presenting,
		talk,
		grading: {
			talk: !lecture.givenByInstructors && (isStaff(role) || presenting),
			miniProject
		}
	};
};

export const actions: Actions = {
	addReading: ({ locals, request, params, url }) =>
		runAction(request, readingSchema, async (input, submission) => {
			await addReading(requireUser(locals, url), params.course, params.lecture, input, submission);
			redirect(303, `/courses/${params.course}/lectures/${params.lecture}`);
		}),
	updateReading: ({ locals, request, params, url }) =>
		runAction(
			request,
			readingSchema.extend(readingIdSchema.shape),
			async ({ readingId, ...input }) => {
				await updateReading(
					requireUser(locals, url),
					params.course,
					params.lecture,
					readingId,
					input
				);
				redirect(303, `/courses/${params.course}/lectures/${params.lecture}`);
			}
		),
	uploadPaper: async ({ locals, request, params, url }) => {
		const user = requireUser(locals, url);
		const form = await uploadedForm(request);
		if (!form) return fail(413, { errors: { file: pdfTooLargeMessage() } });
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { errors: { file: 'Choose a PDF file to upload.' } });
		}
		try {
			const paper = await uploadPaper(
				user,
				params.course,
				params.lecture,
				{
					bytes: new Uint8Array(await file.arrayBuffer()),
					name: file.name
				},
				await submissionKey(url, form)
			);
			redirect(303, `/courses/${params.course}/papers/${paper.id}`);
		} catch (error) {
			if (error instanceof InputError) return fail(400, { errors: error.errors });
			throw error;
		}
	},
	setPresenters: ({ locals, request, params, url }) =>
		runAction(request, presentersSchema, async ({ userIds }) => {
			await setPresenters(requireUser(locals, url), params.course, params.lecture, userIds);
			redirect(303, `/courses/${params.course}/lectures/${params.lecture}`);
		}),
	removeReading: ({ locals, request, params, url }) =>
		runAction(request, readingIdSchema, async ({ readingId }) => {
			await removeReading(requireUser(locals, url), params.course, params.lecture, readingId);
			redirect(303, `/courses/${params.course}/lectures/${params.lecture}`);
		})
};
