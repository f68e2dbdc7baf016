/** What the app answered, in the matrix's words. */
export type Outcome =
	| 'ok'
	| 'redirect'
	| 'login'
	| 'unauthorized'
	| 'forbidden'
	| 'not-found'
	| 'invalid'
	| 'conflict'
	| `status ${number}`;

/**
 * Every answer but these refuses the actor (sign in first, not allowed, no such thing, or
 * not with this input now): nothing may be read or changed behind a refusal.
 */
export const isRefusal = (outcome: Outcome) => outcome !== 'ok' && outcome !== 'redirect';

export type Body = FormData | { json: unknown } | undefined;

export interface Request {
	method: string;
	/** Path and query, e.g. `/courses/x?/pin`. */
	path: string;
	body?: Body;
	/** A form action: POSTed as `use:enhance` does, answered with JSON. */
	action?: boolean;
}

export interface Answer {
	outcome: Outcome;
	/** Where a redirect leads. */
	location?: string;
	/** The body as text (empty for event streams, which never end). */
	text: string;
}

/** Someone talking to the app over plain HTTP with their own session cookie (or none). */
export class Client {
	constructor(
		readonly base: string,
		public cookie: string | null = null
	) {}

	async send(request: Request): Promise<Answer> {
		const headers: Record<string, string> = { origin: this.base };
		if (this.cookie) headers.cookie = this.cookie;
		if (request.action) {
			headers.accept = 'application/json';
			headers['x-sveltekit-action'] = 'true';
		}
		let body: BodyInit | undefined;
		if (request.body instanceof FormData) body = request.body;
		else if (request.body) {
			body = JSON.stringify(request.body.json);
			headers['content-type'] = 'application/json';
		}
		const response = await fetch(this.base + request.path, {
			method: request.method,
			headers,
			body,
			redirect: 'manual'
		});
		const type = response.headers.get('content-type') ?? '';
		let text = '';
		if (type.startsWith('text/event-stream')) await response.body?.cancel();
		else text = await response.text();
		if (request.action && type.includes('application/json')) {
			return classifyAction(response.status, text);
		}
		const location = response.headers.get('location') ?? undefined;
		return { ...classify(response.status, location), text };
	}

	/** Signs in with the login form and keeps the session cookie. */
	async signIn(email: string, password: string): Promise<void> {
		const form = new FormData();
		form.set('email', email);
		form.set('password', password);
		await this.keepSession(await this.post('/login', form));
	}

	async signUp(name: string, email: string, password: string): Promise<void> {
		const form = new FormData();
		form.set('name', name);
		form.set('email', email);
		form.set('password', password);
		await this.keepSession(await this.post('/signup', form));
	}

	private post(path: string, body: FormData) {
		return fetch(this.base + path, {
			method: 'POST',
			headers: { origin: this.base, accept: 'text/html' },
			body,
			redirect: 'manual'
		});
	}

	private async keepSession(response: Response) {
		const session = response.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('podium_session=') && c !== 'podium_session=');
		if (response.status !== 303 || !session) {
			throw new Error(`Signing in failed (${response.status}): ${await response.text()}`);
		}
		this.cookie = session;
	}
}

function classify(status: number, location?: string): Omit<Answer, 'text'> {
	if (status >= 300 && status < 400) {
		// Guards send to /login?next=…; signing out lands on plain /login.
		const outcome = location?.startsWith('/login?') ? 'login' : 'redirect';
		return { outcome, location };
	}
	return { outcome: byStatus(status) };
}

function byStatus(status: number): Outcome {
	if (status >= 200 && status < 300) return 'ok';
	const named: Record<number, Outcome> = {
		400: 'invalid',
		401: 'unauthorized',
		403: 'forbidden',
		404: 'not-found',
		409: 'conflict'
	};
	return named[status] ?? `status ${status}`;
}

/**
 * SvelteKit's answer to an enhanced form post: `{type, status, location?}`; an error
 * carries its status on the response only.
 */
function classifyAction(status: number, text: string): Answer {
	const result = JSON.parse(text) as { type: string; status?: number; location?: string };
	if (result.type === 'success') return { outcome: 'ok', text };
	if (result.type === 'redirect') return { ...classify(303, result.location), text };
	return { outcome: byStatus(result.status ?? status), text };
}
