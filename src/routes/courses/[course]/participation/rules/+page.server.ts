import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { getRules, setRules } from '$lib/server/participation/service';
import { rulesFormSchema } from '$lib/participation/schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) =>
	getRules(requireUser(locals, url), params.course);

export const actions: Actions = {
	default: ({ locals, request, params, url }) =>
		runAction(request, rulesFormSchema, async (rules) => {
			await setRules(requireUser(locals, url), params.course, rules);
			return { success: 'Rules saved: everyone’s participation now follows them.' };
		})
};
