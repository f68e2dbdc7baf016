import { fail, redirect } from '@sveltejs/kit';
import {
	annotationEditSchema,
	annotationIdSchema,
	annotationSchema,
	flagSchema,
	replySchema,
	voteSchema,
	VISIBILITIES
} from '$lib/annotations/schemas';
import { z } from 'zod';
import { paperDetailsSchema } from '$lib/papers/schemas';
import { requireUser } from '$lib/server/auth/guards';
import {
	createAnnotation,
	deleteAnnotation,
	editAnnotation,
	listThreads,
	reply,
	setStaffFlag,
	setVote
} from '$lib/server/annotations/service';
import { importAnnotations } from '$lib/server/annotations/exchange';
import { getPaper, updatePaperDetails } from '$lib/server/papers/service';
import { citingSlides } from '$lib/server/decks/citations';
import { runAction, submissionKey, uploadedForm } from '$lib/server/forms';
import { critiquesCiting } from '$lib/server/critiques/service';
import { isStaff } from '$lib/courses/roles';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const [{ paper, lecture, role }, threads, slides, citing] = await Promise.all([
		getPaper(user, params.course, params.paper),
		listThreads(user, params.course, params.paper),
		citingSlides(user, params.course, params.paper),
		critiquesCiting(user, params.course, { paperId: params.paper })
	]);
	return {
		paper: {
			id: paper.id,
			title: paper.title,
			authors: paper.authors,
			year: paper.year,
			venue: paper.venue,
			pageCount: paper.pageCount,
			sha256: paper.fileSha256
		},
		lecture,
		threads,
		citingSlides: slides,
		citing,
		me: { name: user.name, isStaff: isStaff(role) }
	};
};

// Also the answer when the upload is over the server's body size limit, whatever that is.
const IMPORT_TOO_LARGE =
	'The file is larger than the upload limit; annotation files can be at most 20 MB.';

export const actions: Actions = {
	annotate: ({ locals, request, params, url }) =>
		runAction(request, annotationSchema, async (input, submission) => {
			const id = await createAnnotation(
				requireUser(locals, url),
				params.course,
				params.paper,
				input,
				submission
			);
			return { created: id };
		}),
	reply: ({ locals, request, params, url }) =>
		runAction(request, replySchema, async ({ parentId, body }, submission) => {
			const user = requireUser(locals, url);
			await reply(user, params.course, params.paper, parentId, body, submission);
			return { replied: parentId };
		}),
	edit: ({ locals, request, params, url }) =>
		runAction(request, annotationEditSchema, async ({ annotationId, ...input }) => {
			await editAnnotation(
				requireUser(locals, url),
				params.course,
				params.paper,
				annotationId,
				input
			);
			return { edited: annotationId };
		}),
	delete: ({ locals, request, params, url }) =>
		runAction(request, annotationIdSchema, async ({ annotationId }) => {
			await deleteAnnotation(requireUser(locals, url), params.course, params.paper, annotationId);
			return { deleted: annotationId };
		}),
	vote: ({ locals, request, params, url }) =>
		runAction(request, voteSchema, async ({ annotationId, kind, on }) => {
			await setVote(requireUser(locals, url), params.course, params.paper, annotationId, kind, on);
			return {};
		}),
	endorse: ({ locals, request, params, url }) =>
		runAction(request, flagSchema, async ({ annotationId, on }) => {
			const user = requireUser(locals, url);
			await setStaffFlag(user, params.course, params.paper, annotationId, 'endorsed', on);
			return {};
		}),
	hide: ({ locals, request, params, url }) =>
		runAction(request, flagSchema, async ({ annotationId, on }) => {
			const user = requireUser(locals, url);
			await setStaffFlag(user, params.course, params.paper, annotationId, 'hidden', on);
			return {};
		}),
	details: ({ locals, request, params, url }) =>
		runAction(request, paperDetailsSchema, async (details) => {
			await updatePaperDetails(requireUser(locals, url), params.course, params.paper, details);
			redirect(303, `/courses/${params.course}/papers/${params.paper}`);
		}),
	import: async ({ locals, request, params, url }) => {
		const user = requireUser(locals, url);
		const form = await uploadedForm(request);
		if (!form) return fail(413, { importError: IMPORT_TOO_LARGE });
		const file = form.get('file');
		const visibility = z.enum(VISIBILITIES).safeParse(form.get('visibility'));
		if (!visibility.success)
			return fail(400, { importError: 'Choose who can see the imported annotations.' });
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { importError: 'Choose a W3C annotation JSON-LD file.' });
		}
		if (file.size > 20 * 1024 * 1024) {
			return fail(400, { importError: IMPORT_TOO_LARGE });
		}
		const result = await importAnnotations(
			user,
			params.course,
			params.paper,
			await file.text(),
			visibility.data,
			await submissionKey(url, form)
		);
		if (!result.ok) return fail(400, { importError: result.message });
		return { imported: result.count };
	}
};
