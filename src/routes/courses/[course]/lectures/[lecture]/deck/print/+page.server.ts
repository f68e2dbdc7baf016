import { requireUser } from '$lib/server/auth/guards';
import { exportedDeck } from '$lib/server/decks/export';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const { lecture, theme, sections } = await exportedDeck(
		user,
		params.course,
		params.lecture,
		url.origin
	);
	return {
		courseId: params.course,
		lecture,
		theme,
		sections,
		notes: url.searchParams.get('notes') === '1'
	};
};
