import { requireUser } from '$lib/server/auth/guards';
import { critiqueHistory } from '$lib/server/critiques/service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	return { versions: await critiqueHistory(user, params.course, params.critique) };
};
