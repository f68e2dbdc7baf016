import { redirect } from '@sveltejs/kit';
import { restoreSchema } from '$lib/decks/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { deckHistory, getDeck, restoreRevision } from '$lib/server/decks/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const [{ lecture }, revisions] = await Promise.all([
		getDeck(user, params.course, params.lecture),
		deckHistory(user, params.course, params.lecture)
	]);
	return { lecture, revisions };
};

export const actions: Actions = {
	restore: ({ locals, request, params, url }) =>
		runAction(request, restoreSchema, async ({ number }) => {
			await restoreRevision(requireUser(locals, url), params.course, params.lecture, number);
			redirect(303, `/courses/${params.course}/lectures/${params.lecture}/deck`);
		})
};
