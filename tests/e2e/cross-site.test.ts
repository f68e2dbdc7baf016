import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pngImage } from '../fixtures/images';
import {
	DEMO_COURSE,
	DEMO_PASSWORD,
	courseNav,
	PASSWORD,
	eventually,
	launchBrowser,
	newPerson,
	reload,
	signIn,
	signUp,
	startApp,
	submit,
	uniqueEmail,
	visit,
	type App,
	type Person
} from './harness';
import { ROOT } from './server-process';

/**
 * Requests from pages of another origin. The attacker's page is served from another port of
 * the same host: another origin but the same site, so the browser sends the victim's
 * SameSite=Lax session cookie along, which is the case only an origin check stops.
 */

const SESSION_COOKIE = 'podium_session';
const REFUSED = 'Cross-site requests that change data are forbidden.';
const FIRST_SLIDE = 'Reducing memory footprint I';
const THIRD_SLIDE = 'Checkpointing in one picture';

let app: App;
/** The app as served behind a TLS proxy: it knows its https address from ORIGIN. */
let secureApp: Promise<App>;
const SECURE_ORIGIN = 'https://podium.example';
let browser: Browser;
let attacker: http.Server;
let attackerOrigin: string;
let victim: Person;
/** Path of demo lecture 1, which the instructors give. */
let lecture: string;
let courseId: string;
/** The pages the attacker's server serves, by path. */
const attackPages = new Map<string, string>();

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
	// Starts while the victim signs in; its test awaits it (and reports its failure).
	secureApp = startApp({ env: { ORIGIN: SECURE_ORIGIN } });
	secureApp.catch(() => {});
	attacker = http.createServer((request, response) => {
		const page = attackPages.get(new URL(request.url ?? '/', 'http://x').pathname);
		response.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
		response.end(page ?? 'Not found');
	});
	await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
	attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;

	victim = await newPerson(browser, app);
	await signIn(victim.page, { email: 'instructor@example.org', password: DEMO_PASSWORD });
	const a = victim.page;
	await a.getByRole('link', { name: DEMO_COURSE }).click();
	await courseNav(a, 'Schedule').click();
	await a.getByRole('link', { name: `Lecture 1: ${FIRST_SLIDE}` }).click();
	await a.getByRole('heading', { name: `Lecture 1: ${FIRST_SLIDE}`, level: 1 }).waitFor();
	lecture = new URL(a.url()).pathname;
	courseId = lecture.split('/')[2];
	await visit(a, `${lecture}/present`);
	await submit(a, a.getByRole('button', { name: /^Start (talk|again)$/ }));
	await a.getByText('Live: the class follows your slides.', { exact: true }).waitFor();
});

afterAll(async () => {
	await browser?.close();
	if (attacker) {
		// The browser keeps connections to it open, and close() waits for them.
		attacker.closeAllConnections();
		await new Promise((resolve) => attacker.close(resolve));
	}
	await Promise.all([app?.stop(), secureApp?.then((secure) => secure.stop())]);
});

/** The heading of the slide the presenter's page shows after a fresh load. */
async function presenterSlide(): Promise<string> {
	const a = victim.page;
	await visit(a, `${lecture}/present`);
	await a.getByText('Live: the class follows your slides.', { exact: true }).waitFor();
	const shown = a
		.getByRole('region', { name: 'Current slide', exact: true })
		.getByRole('heading')
		.first();
	await shown.waitFor();
	return ((await shown.textContent()) ?? '').trim();
}

async function sessionToken(person: Person): Promise<string> {
	const cookie = (await person.context.cookies()).find((c) => c.name === SESSION_COOKIE);
	if (!cookie) throw new Error('No session cookie.');
	return cookie.value;
}

/** Responses of the app to requests made by `page`, as "METHOD path status". */
function appResponses(page: Page): string[] {
	const seen: string[] = [];
	page.on('response', (response) => {
		const url = new URL(response.url());
		if (url.origin !== app.url) return;
		seen.push(`${response.request().method()} ${url.pathname}${url.search} ${response.status()}`);
	});
	return seen;
}

describe("a page of another origin, opened in the victim's browser", () => {
	test('cannot move the running talk or add an image with fetch', async () => {
		const position = `${app.url}${lecture}/present/position`;
		const images = `${app.url}${lecture}/deck/images`;
		const moveTo = JSON.stringify({ h: 2, v: 0, f: -1 });
		attackPages.set(
			'/fetch.html',
			`<!doctype html><title>Cute cats</title><script type="module">
			const attempts = {
				// Neither a body without a type nor text/plain needs a CORS preflight.
				untyped: () => fetch(${JSON.stringify(position)}, { method: 'POST', mode: 'no-cors',
					credentials: 'include', body: new Blob([${JSON.stringify(moveTo)}]) }),
				text: () => fetch(${JSON.stringify(position)}, { method: 'POST', mode: 'no-cors',
					credentials: 'include', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(moveTo)} }),
				json: () => fetch(${JSON.stringify(position)}, { method: 'POST', credentials: 'include',
					headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(moveTo)} }),
				image: () => {
					const body = new FormData();
					body.append('file', new Blob([new Uint8Array(${JSON.stringify(Array.from(pngImage(4, 4)))})],
						{ type: 'image/png' }), 'cat.png');
					return fetch(${JSON.stringify(images)}, { method: 'POST', mode: 'no-cors',
						credentials: 'include', body });
				}
			};
			const results = {};
			for (const [name, attempt] of Object.entries(attempts)) {
				try {
					const response = await attempt();
					results[name] = response.type;
				} catch (error) {
					results[name] = error.name;
				}
			}
			document.body.dataset.results = JSON.stringify(results);
			document.title = 'done';
			</script>`
		);
		const page = await victim.context.newPage();
		const responses = appResponses(page);
		await page.goto(`${attackerOrigin}/fetch.html`);
		await page.waitForFunction(() => document.title === 'done');
		const results = JSON.parse((await page.locator('body').getAttribute('data-results')) ?? '{}');
		// The JSON request with its type fails its CORS preflight: it is never sent.
		expect(results).toEqual({
			untyped: 'opaque',
			text: 'opaque',
			json: 'TypeError',
			image: 'opaque'
		});
		// The others reach the server, cookie included, and are refused.
		await eventually(() => responses.length).toBe(3);
		expect(responses.sort()).toEqual([
			`POST ${lecture}/deck/images 403`,
			`POST ${lecture}/present/position 403`,
			`POST ${lecture}/present/position 403`
		]);
		await page.close();
		expect(await presenterSlide()).toBe(FIRST_SLIDE);
		const sha = createHash('sha256').update(pngImage(4, 4)).digest('hex');
		const image = await victim.context.request.get(`${lecture}/deck/images/${sha}`);
		expect(image.status()).toBe(404);
	});

	test.each(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'])(
		'cannot end the talk with an auto-submitting %s form',
		async (enctype) => {
			attackPages.set(
				'/form.html',
				`<!doctype html><title>You won!</title>
			<form method="post" enctype="${enctype}" action="${app.url}${lecture}/present?/end">
				<input type="hidden" name="prize" value="1">
			</form>
			<script>document.forms[0].submit();</script>`
			);
			const page = await victim.context.newPage();
			const [answer] = await Promise.all([
				page.waitForResponse((r) => r.url().startsWith(app.url) && r.request().method() === 'POST'),
				page.goto(`${attackerOrigin}/form.html`)
			]);
			expect(answer.status()).toBe(403);
			expect(await answer.text()).toBe('Cross-site POST form submissions are forbidden');
			await page.close();
			expect(await presenterSlide()).toBe(FIRST_SLIDE);
		}
	);

	test("the presenter page's own request still moves the talk", async () => {
		// The control: the write the attacker tried is one the presenter's own page makes.
		const status = await victim.page.evaluate(
			async (path) =>
				(
					await fetch(path, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ h: 2, v: 0, f: -1 })
					})
				).status,
			`${lecture}/present/position`
		);
		expect(status).toBe(204);
		expect(await presenterSlide()).toBe(THIRD_SLIDE);
	});
});

/** Every unsafe method a `+server.ts` under src/routes exports, as "METHOD route". */
function unsafeEndpoints(): string[] {
	const found: string[] = [];
	const routes = path.join(ROOT, 'src', 'routes');
	for (const file of readdirSync(routes, { recursive: true, encoding: 'utf8' })) {
		if (path.basename(file) !== '+server.ts') continue;
		const source = readFileSync(path.join(routes, file), 'utf8');
		const route = `/${path.dirname(file).split(path.sep).join('/')}`;
		for (const [, method] of source.matchAll(
			/export\s+(?:const|(?:async\s+)?function)\s+(POST|PUT|PATCH|DELETE)\b/g
		)) {
			found.push(`${method} ${route}`);
		}
	}
	return found.sort();
}

describe('direct requests with a foreign Origin', () => {
	type Write = { method: string; path: () => string; type?: string; body?: () => BodyInit };
	const json = JSON.stringify({ h: 1, v: 0, f: -1 });
	const imageForm = () => {
		const form = new FormData();
		form.append('file', new Blob([Buffer.from(pngImage(4, 4))], { type: 'image/png' }), 'a.png');
		return form;
	};
	/** Every unsafe +server.ts handler of the app, with a request it would act on. */
	const endpoints: Record<string, Write> = {
		'POST /courses/[course]/lectures/[lecture]/present/position': {
			method: 'POST',
			path: () => `${lecture}/present/position`,
			type: 'application/json',
			body: () => json
		},
		'POST /courses/[course]/lectures/[lecture]/deck/images': {
			method: 'POST',
			path: () => `${lecture}/deck/images`,
			body: imageForm
		}
	};
	/** Form actions, with bodies of several types (SvelteKit checks only the form types). */
	const actions: Record<string, Write> = {
		'end the talk (urlencoded)': {
			method: 'POST',
			path: () => `${lecture}/present?/end`,
			type: 'application/x-www-form-urlencoded',
			body: () => ''
		},
		'post an announcement (multipart)': {
			method: 'POST',
			path: () => `/courses/${courseId}?/postAnnouncement`,
			body: () => {
				const form = new FormData();
				form.append('title', 'Class cancelled');
				form.append('body', 'Stay home.');
				return form;
			}
		},
		'change the password (JSON)': {
			method: 'POST',
			path: () => '/account?/changePassword',
			type: 'application/json',
			body: () => JSON.stringify({ currentPassword: DEMO_PASSWORD, newPassword: 'pwned pwned' })
		},
		'DELETE the position': { method: 'DELETE', path: () => `${lecture}/present/position` },
		'PUT the position': {
			method: 'PUT',
			path: () => `${lecture}/present/position`,
			type: 'application/json',
			body: () => json
		},
		'PATCH the lecture page': {
			method: 'PATCH',
			path: () => lecture,
			type: 'application/json',
			body: () => json
		}
	};

	async function send(write: Write, headers: Record<string, string>) {
		const response = await fetch(`${app.url}${write.path()}`, {
			method: write.method,
			redirect: 'manual',
			headers: {
				cookie: `${SESSION_COOKIE}=${await sessionToken(victim)}`,
				...(write.type ? { 'content-type': write.type } : {}),
				...headers
			},
			body: write.body?.()
		});
		return { status: response.status, body: await response.text() };
	}

	test('the list covers every unsafe +server.ts handler of the app', () => {
		expect(unsafeEndpoints()).toEqual(Object.keys(endpoints).sort());
	});

	test.each(Object.entries({ ...endpoints, ...actions }))('%s: 403', async (_, write) => {
		// SvelteKit refuses form bodies before the app's own check sees them.
		const form = write.body && write.type !== 'application/json';
		const message = form ? `Cross-site ${write.method} form submissions are forbidden` : REFUSED;
		for (const origin of [attackerOrigin, 'https://evil.example', 'null']) {
			const refused = await send(write, { origin });
			expect(refused.status, origin).toBe(403);
			expect(refused.body, origin).toBe(message);
		}
		// A browser that says the request is cross-site is refused even without an Origin.
		const flagged = await send(write, { 'sec-fetch-site': 'cross-site' });
		expect(flagged.status).toBe(403);
	});

	test('nothing changed, and the same requests from the app origin or a script still work', async () => {
		expect(await presenterSlide()).toBe(THIRD_SLIDE);
		const home = await victim.context.request.get(`/courses/${courseId}`);
		expect(await home.text()).not.toContain('Class cancelled');

		const move = endpoints['POST /courses/[course]/lectures/[lecture]/present/position'];
		expect((await send(move, { origin: app.url, 'sec-fetch-site': 'same-origin' })).status).toBe(
			204
		);
		expect(await presenterSlide()).toBe('Where the memory goes');
		// Without Origin the client is not a browser and carries no victim's cookie by accident.
		const script = await send({ ...move, body: () => JSON.stringify({ h: 0, v: 0, f: -1 }) }, {});
		expect(script.status).toBe(204);
		expect(await presenterSlide()).toBe(FIRST_SLIDE);
		const image = await send(endpoints['POST /courses/[course]/lectures/[lecture]/deck/images'], {
			origin: app.url
		});
		expect(image.status).toBe(201);
	});
});

describe('the session cookie', () => {
	/** Signs up by a plain POST as `origin`'s page would, and returns the Set-Cookie header. */
	async function signUpCookie(url: string, origin: string): Promise<string> {
		const response = await fetch(`${url}/signup`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({
				name: 'Cookie Checker',
				email: uniqueEmail('cookie'),
				password: PASSWORD
			}).toString()
		});
		expect(response.status).toBe(303);
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
		if (!cookie) throw new Error('Signing up set no session cookie.');
		return cookie;
	}

	const attributes = (cookie: string) =>
		cookie
			.split(';')
			.slice(1)
			.map((part) => part.trim().split('=')[0].toLowerCase())
			.sort();

	test('is HttpOnly, SameSite=Lax, Path=/, expires in 30 days, and hidden from scripts', async () => {
		const cookie = (await victim.context.cookies()).find((c) => c.name === SESSION_COOKIE);
		expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
		const days = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 86_400_000;
		expect(days).toBeGreaterThan(29);
		expect(days).toBeLessThanOrEqual(30);
		await visit(victim.page, `/courses/${courseId}`);
		expect(await victim.page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);

		const header = await signUpCookie(app.url, app.url);
		expect(attributes(header)).toEqual(['expires', 'httponly', 'path', 'samesite']);
		expect(header).toMatch(/; Path=\/(;|$)/);
		expect(header).toMatch(/; SameSite=Lax(;|$)/);
	});

	test('is Secure when the app is served over https', async () => {
		const header = await signUpCookie((await secureApp).url, SECURE_ORIGIN);
		expect(attributes(header)).toEqual(['expires', 'httponly', 'path', 'samesite', 'secure']);
	});
});

test('a stolen session ends when its owner changes the password; the owner stays', async () => {
	const email = uniqueEmail('vera');
	const owner = await newPerson(browser, app);
	await signUp(owner.page, { name: 'Vera Victim', email });
	const thief = await newPerson(browser, app);
	await thief.context.addCookies(
		(await owner.context.cookies()).filter((c) => c.name === SESSION_COOKIE)
	);
	await visit(thief.page, '/account');
	await thief.page.getByRole('heading', { name: 'Your account' }).waitFor();
	expect(await thief.page.getByRole('main').textContent()).toContain(`Signed in as ${email}`);

	const a = owner.page;
	await visit(a, '/account');
	await a.getByLabel('Current password').fill(PASSWORD);
	await a.getByLabel('New password').fill('a fresh passphrase');
	await submit(a, a.getByRole('button', { name: 'Change password' }));
	await eventually(() => a.getByRole('status').textContent()).toBe(
		'Password changed. Every other session of your account is signed out.'
	);

	// The thief's next request finds no session.
	await reload(thief.page);
	await thief.page.getByRole('heading', { name: 'Sign in' }).waitFor();
	expect(new URL(thief.page.url()).pathname).toBe('/login');
	expect((await thief.context.cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);

	await reload(a);
	expect(await a.getByRole('main').textContent()).toContain(`Signed in as ${email}`);
	expect(owner.pageErrors).toEqual([]);
	await Promise.all([owner.context.close(), thief.context.close()]);
});

test("no page error in the victim's pages but the refusals the attacks met", () => {
	// The attacks' own tabs: the attacker's pages and the refusals they landed on.
	const attacks = (e: string) => e.startsWith(attackerOrigin) || e.includes('/present?/end: ');
	expect(victim.pageErrors.filter((e) => !attacks(e))).toEqual([]);
});
