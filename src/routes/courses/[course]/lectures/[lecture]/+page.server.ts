import { redirect } from '@sveltejs/kit';
import { readingIdSchema, readingSchema } from '$lib/lectures/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { addReading, getLecture, removeReading, updateReading } from '$lib/server/lectures/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { lecture, readings } = await getLecture(
		requireUser(locals, url),
		params.course,
		params.lecture
	);
	return { lecture, readings };
};

export const actions: Actions = {
	addReading: ({ locals, request, params, url }) =>
		runAction(request, readingSchema, async (input) => {
			await addReading(requireUser(locals, url), params.course, params.lecture, input);
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
	removeReading: ({ locals, request, params, url }) =>
		runAction(request, readingIdSchema, async ({ readingId }) => {
			await removeReading(requireUser(locals, url), params.course, params.lecture, readingId);
			redirect(303, `/courses/${params.course}/lectures/${params.lecture}`);
		})
};
