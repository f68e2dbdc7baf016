import { publishSchema, saveDeckSchema, themeSchema } from '$lib/decks/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { getDeck, saveDeck, setDeckPublication, setDeckTheme } from '$lib/server/decks/service';
import { listThreadsOfLecture } from '$lib/server/decks/citations';
import { figureImages } from '$lib/server/decks/images';
import { critiquesCiting } from '$lib/server/critiques/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const { lecture, deck, editable } = await getDeck(user, params.course, params.lecture);
	// Viewers need them too: citations on the slides link back to the paper, figures show.
	const [citable, figures, citing] = await Promise.all([
		listThreadsOfLecture(user, params.course, params.lecture),
		figureImages(user, params.course, params.lecture),
		critiquesCiting(user, params.course, { lectureId: params.lecture })
	]);
	return { lecture, deck, editable, citable, figures: Object.fromEntries(figures), citing };
};

export const actions: Actions = {
	save: ({ locals, request, params, url }) =>
		runAction(request, saveDeckSchema, async (input) => ({
			outcome: await saveDeck(requireUser(locals, url), params.course, params.lecture, input)
		})),
	publish: ({ locals, request, params, url }) =>
		runAction(request, publishSchema, async ({ when }) => {
			await setDeckPublication(requireUser(locals, url), params.course, params.lecture, when);
			return {
				success:
					when === 'draft'
						? 'The deck is a draft again: only presenters and staff see it.'
						: when === 'now'
							? 'Published: the class can open the deck now.'
							: 'The class can open the deck when the lecture starts.'
			};
		}),
	theme: ({ locals, request, params, url }) =>
		runAction(request, themeSchema, async ({ theme }) => {
			await setDeckTheme(requireUser(locals, url), params.course, params.lecture, theme);
			return { success: `Theme set to ${theme}.` };
		})
};
