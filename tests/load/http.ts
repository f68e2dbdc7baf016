/**
 * What a browser does, over plain HTTP: a cookie jar of one session, page and JSON
 * requests, and enhanced form-action posts (`x-sveltekit-action`, as `use:enhance` sends
 * them). Every request's latency and outcome goes to a Recorder.
 */

export const SESSION_COOKIE = 'podium_session';

/** What became of one request. `ok` only when the app answered success. */
export interface Outcome {
	ok: boolean;
	/** HTTP status, or 0 when no answer came (timeout, connection error). */
	status: number;
	/** For failures: "http 500", "failure 400", "timeout", "network". */
	error?: string;
	/** The app's message for a failure, or the client's. */
	message?: string;
	/** An action's result data (devalue text) or a JSON body. */
	body?: string;
	location?: string;
}

export interface Sample {
	kind: string;
	startedAt: number;
	endedAt: number;
	outcome: Outcome;
}

/** Every request of a run, for the report and for classifying the outage. */
export class Recorder {
	readonly samples: Sample[] = [];

	add(sample: Sample): void {
		this.samples.push(sample);
	}
}

export class Session {
	cookie = '';

	constructor(
		readonly base: string,
		private readonly recorder: Recorder | null,
		private readonly timeoutMs: number
	) {}

	private async send(kind: string, path: string, init: RequestInit): Promise<Outcome> {
		const startedAt = performance.now();
		const outcome = await this.exchange(path, init);
		this.recorder?.add({ kind, startedAt, endedAt: performance.now(), outcome });
		return outcome;
	}

	private async exchange(path: string, init: RequestInit): Promise<Outcome> {
		let response: Response;
		let text: string;
		try {
			response = await fetch(`${this.base}${path}`, {
				...init,
				redirect: 'manual',
				headers: { ...(init.headers as Record<string, string>), cookie: this.cookie },
				signal: AbortSignal.timeout(this.timeoutMs)
			});
			for (const c of response.headers.getSetCookie()) {
				const pair = c.split(';')[0];
				if (pair.startsWith(`${SESSION_COOKIE}=`)) this.cookie = pair;
			}
			text = await response.text();
		} catch (error) {
			const e = error as Error;
			const timeout = e.name === 'TimeoutError' || e.name === 'AbortError';
			return {
				ok: false,
				status: 0,
				error: timeout ? 'timeout' : 'network',
				message: timeout ? `no answer within ${this.timeoutMs} ms` : String(e.cause ?? e.message)
			};
		}
		const isJson = (response.headers.get('content-type') ?? '').includes('json');
		if (!response.ok) {
			return {
				ok: false,
				status: response.status,
				error: `http ${response.status}`,
				message: errorMessage(text, isJson)
			};
		}
		return { ok: true, status: response.status, body: text };
	}

	/** A GET of a page, a file or a JSON endpoint; 2xx is success. */
	get(kind: string, path: string): Promise<Outcome> {
		return this.send(kind, path, { method: 'GET' });
	}

	/**
	 * An enhanced form post to `?/<action>` (or the default action when `action` is null).
	 * Success is SvelteKit's `success` or `redirect` result; `failure` (a refusal with a
	 * message next to a field) and `error` are not.
	 */
	async action(
		kind: string,
		path: string,
		action: string | null,
		fields: Record<string, string>
	): Promise<Outcome> {
		const outcome = await this.send(kind, `${path}${action ? `?/${action}` : ''}`, {
			method: 'POST',
			headers: {
				accept: 'application/json',
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true',
				// SvelteKit's CSRF check compares it with ORIGIN.
				origin: this.base
			},
			body: new URLSearchParams(fields).toString()
		});
		if (!outcome.ok) return outcome;
		const result = JSON.parse(outcome.body ?? '{}') as {
			type: string;
			status?: number;
			data?: string;
			location?: string;
			error?: { message?: string };
		};
		if (result.type === 'success') return { ...outcome, body: result.data };
		if (result.type === 'redirect')
			return { ...outcome, body: undefined, location: result.location };
		return {
			ok: false,
			status: result.status ?? outcome.status,
			error: `${result.type} ${result.status ?? ''}`.trim(),
			message: result.error?.message ?? result.data ?? ''
		};
	}
}

function errorMessage(text: string, isJson: boolean): string {
	if (isJson) {
		try {
			const parsed = JSON.parse(text) as { message?: string; error?: { message?: string } };
			return parsed.error?.message ?? parsed.message ?? text.slice(0, 200);
		} catch {
			// not JSON after all
		}
	}
	// An error page: its heading (the status) and the message below it.
	const heading = /<h1[^>]*>([^<]*)<\/h1>\s*<p[^>]*>([^<]*)<\/p>/i.exec(text);
	if (heading) return `${heading[1].trim()}: ${heading[2].trim()}`;
	return (/<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? text.slice(0, 200)).trim();
}

/** The string under `key` in a devalue-encoded action result (`{ created: id }`). */
export function resultValue(body: string | undefined, key: string): string | undefined {
	if (!body) return undefined;
	// devalue.stringify flattens { created: "abc" } to [{"created":1},"abc"].
	const flat = JSON.parse(body) as unknown[];
	const root = flat[0] as Record<string, number>;
	const value = flat[root?.[key]];
	return typeof value === 'string' ? value : undefined;
}
