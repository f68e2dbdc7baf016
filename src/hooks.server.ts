import { error, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { startPodium } from '$lib/server/startup';
import { track } from '$lib/server/inflight';
import { crossOriginRefusal, isCrossOriginWrite } from '$lib/server/auth/origin';
import { isDatabaseUnavailable } from '$lib/server/db/errors';
import {
	SESSION_COOKIE,
	deleteSessionTokenCookie,
	setSessionTokenCookie,
	validateSessionToken
} from '$lib/server/auth/session';

export const init: ServerInit = async () => {
	try {
		await startPodium();
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	}
};

export const handle: Handle = ({ event, resolve }) =>
	track(async () => {
		if (isCrossOriginWrite(event.request, event.url.origin)) {
			return crossOriginRefusal(event.request);
		}
		// Ids in the path go into queries; PostgreSQL text cannot hold NUL, so no such page.
		if (Object.values(event.params).some((value) => value?.includes('\0'))) {
			error(404, 'Not found');
		}
		const response = await authenticate({ event, resolve });
		// No response (JSON, exports, files) is ever read as another type, such as HTML.
		response.headers.set('x-content-type-options', 'nosniff');
		return response;
	});

const authenticate: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) {
		event.locals.user = null;
		event.locals.session = null;
		return resolve(event);
	}
	const { session, user } = await validateSessionToken(token);
	if (session) setSessionTokenCookie(event, token, session.expiresAt);
	else deleteSessionTokenCookie(event);
	event.locals.user = user;
	event.locals.session = session;
	return resolve(event);
};

/** As SvelteKit's default (log, "Internal Error"), but says so when the database is away. */
export const handleError: HandleServerError = ({ error, status, message }) => {
	console.error(error);
	if (status === 500 && isDatabaseUnavailable(error)) {
		return { message: 'The database cannot be reached right now. Try again in a few seconds.' };
	}
	return { message };
};
