import { requireUser } from '$lib/server/auth/guards';
import { listLectures } from '$lib/server/lectures/service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => ({
	lectures: await listLectures(requireUser(locals, url), params.course)
});
