import { json, text } from '@sveltejs/kit';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const MESSAGE = 'Cross-site requests that change data are forbidden.';

/**
 * Whether `request` may change something and was sent by a page of another origin.
 *
 * SvelteKit refuses cross-origin form posts (urlencoded, multipart, text/plain) itself and
 * lets every other request through: a POST without a body, which a page of another origin
 * can send with the session cookie and without a CORS preflight (a sibling origin of the
 * same site gets even the Lax cookie along), and bodies of other types, kept out today only
 * by the browser's preflight, which any endpoint answering CORS would open. So every unsafe
 * method is checked here, whatever its body, and no `+server.ts` depends on either.
 *
 * A request without an Origin header is let through: every current browser sends Origin on
 * POST, PUT, PATCH and DELETE, so its absence means a client that is not a browser (curl, a
 * script), which carries no victim's cookies and so cannot be forged into acting for them.
 * (SvelteKit still refuses form bodies without Origin.) Sec-Fetch-Site catches a browser
 * that names the request cross-site even where it withheld or nulled the Origin.
 */
export function isCrossOriginWrite(request: Request, origin: string): boolean {
	if (!UNSAFE_METHODS.has(request.method)) return false;
	const from = request.headers.get('origin');
	if (from !== null && from !== origin) return true;
	return request.headers.get('sec-fetch-site') === 'cross-site';
}

/** The 403 for a cross-origin write, as JSON when the client asked for JSON. */
export function crossOriginRefusal(request: Request): Response {
	const accept = request.headers.get('accept') ?? '';
	return accept.includes('application/json')
		? json({ message: MESSAGE }, { status: 403 })
		: text(MESSAGE, { status: 403 });
}
