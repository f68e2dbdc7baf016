import { changePasswordSchema } from '$lib/auth/schemas';
import { changePassword } from '$lib/server/auth/accounts';
import { requireUser } from '$lib/server/auth/guards';
import { setSessionTokenCookie } from '$lib/server/auth/session';
import { runAction } from '$lib/server/forms';
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	return { email: user.email };
};

export const actions: Actions = {
	changePassword: (event) =>
		runAction(event.request, changePasswordSchema, async (input) => {
			const { user } = event.locals;
			if (!user) error(401, 'Sign in first.');
			const { token, session } = await changePassword(user, input);
			setSessionTokenCookie(event, token, session.expiresAt);
			return { success: 'Password changed. Every other session of your account is signed out.' };
		})
};
