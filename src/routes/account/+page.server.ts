import { changePasswordSchema } from '$lib/auth/schemas';
import { changePassword } from '$lib/server/auth/accounts';
import { requireUser } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	return { email: user.email };
};

export const actions: Actions = {
	changePassword: ({ locals, request }) =>
		runAction(request, changePasswordSchema, async (input) => {
			if (!locals.user || !locals.session) error(401, 'Sign in first.');
			await changePassword(locals.user, locals.session.id, input);
			return { success: 'Password changed. Every other session of your account is signed out.' };
		})
};
