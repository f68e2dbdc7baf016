import { redirect } from '@sveltejs/kit';
import { loginSchema } from '$lib/auth/schemas';
import { signIn } from '$lib/server/auth/accounts';
import {
	createSession,
	generateSessionToken,
	setSessionTokenCookie
} from '$lib/server/auth/session';
import { safeNext } from '$lib/server/auth/guards';
import { runAction } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
};

export const actions: Actions = {
	default: (event) =>
		runAction(event.request, loginSchema, async (input) => {
			const user = await signIn({ ...input, address: event.getClientAddress() });
			const token = generateSessionToken();
			const session = await createSession(token, user.id);
			setSessionTokenCookie(event, token, session.expiresAt);
			redirect(303, safeNext(event.url.searchParams.get('next')));
		})
};
