import { searchSchema } from '$lib/papers/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { searchCourse } from '$lib/server/papers/search';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const q = url.searchParams.get('q');
	if (q === null) return { q: '', results: null, error: '' };
	const parsed = searchSchema.safeParse({ q });
	if (!parsed.success) return { q, results: null, error: parsed.error.issues[0].message };
	return { q, results: await searchCourse(user, params.course, parsed.data.q), error: '' };
};
