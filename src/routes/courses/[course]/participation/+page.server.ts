import { requireUser } from '$lib/server/auth/guards';
import { explainedScore, participationOverview } from '$lib/server/participation/service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params, parent }) => {
	const user = requireUser(locals, url);
	const { isStaff } = await parent();
	if (isStaff) return { students: await participationOverview(user, params.course) };
	return { score: await explainedScore(user, params.course, user.id) };
};
