import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseDevalue } from 'devalue';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validateDeck } from '$lib/decks/dialect';
import { isAllowedIframeSrc } from '$lib/decks/attributes';
import {
	XSS_HOST,
	XSS_PAYLOADS,
	payloadDocuments,
	payloadsOf,
	type XssPayload
} from '../fixtures/xss-payloads';
import {
	launchBrowser,
	newPerson,
	signIn,
	signUp,
	startApp,
	uniqueEmail,
	visit,
	type App,
	type Person,
	DEMO_PASSWORD,
	DEMO_COURSE
} from './harness';

let app: App;
let browser: Browser;
let downloads: string;

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
	downloads = mkdtempSync(path.join(os.tmpdir(), 'podium-xss-'));
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	if (downloads) rmSync(downloads, { recursive: true, force: true });
});

const INSTRUCTOR = { email: 'instructor@example.org', password: DEMO_PASSWORD };
// Emil and Farah present lecture 4, which is still ahead; Julia is their classmate.
const EMIL = { email: 'emil@example.org', password: DEMO_PASSWORD };
const JULIA = { email: 'julia@example.org', password: DEMO_PASSWORD };
const LECTURE = 'Lecture 4: Parallelism II';
const PAPER = 'Study Notes: Sharding Optimizer State, Gradients and Parameters';

/** What a watched browser context saw that it should not have. */
interface Findings {
	/** Marker calls (`__xss(n)`, or a write to `__xss`), with the page they happened on. */
	markers: string[];
	dialogs: string[];
	/** Requests that left the app's origin (refused). */
	outside: string[];
	/** securitypolicyviolation events: something on the page tried what the CSP forbids. */
	violations: string[];
	pageErrors: string[];
}

const findings: Findings = {
	markers: [],
	dialogs: [],
	outside: [],
	violations: [],
	pageErrors: []
};

/**
 * Runs in every frame before the page's own scripts: `__xss` reports any call or write,
 * and every CSP violation is reported with what was blocked.
 */
const TRAPS = `(() => {
	const report = (kind, detail) => window.__xssReport?.(kind, String(detail));
	Object.defineProperty(window, '__xss', {
		configurable: false,
		get: () => (n) => report('marker', n),
		set: (v) => report('marker', 'write ' + v)
	});
	document.addEventListener('securitypolicyviolation', (e) => {
		// DOMPurify parses what it cleans with DOMParser: that inert document inherits the
		// page's CSP, and Chromium reports the handlers and <base> in it, which never run or
		// apply there: at that document, or for handlers at the page's document without an
		// element. A handler on an element of the page is reported with its element.
		const target = e.target;
		const owner = target instanceof Document ? target : target && target.ownerDocument;
		if (owner !== document) return;
		// Handlers and <base> come without their element from that parse too: liveDomProblems
		// looks for them in the page itself instead.
		const unplaced = e.effectiveDirective === 'script-src-attr' || e.effectiveDirective === 'base-uri';
		if (unplaced && !(target instanceof Element)) return;
		const element = target instanceof Element ? ' ' + target.outerHTML.slice(0, 200) : '';
		report('violation', e.effectiveDirective + ' ' + e.blockedURI + element);
	});
})();`;

/** Allowed beyond the app: the embed pages of videos the deck dialect lets slides show. */
function allowedOutside(url: string): boolean {
	return isAllowedIframeSrc(url);
}

/**
 * Watches a context: init-script traps, dialogs, uncaught errors, and every request that
 * is not for `origin` (nor data:/blob:/file: when `origin` is 'file:') is recorded and
 * refused.
 */
async function watch(context: BrowserContext, origin: string): Promise<void> {
	await context.exposeBinding('__xssReport', ({ frame }, kind: string, detail: string) => {
		const where = frame.url();
		if (kind === 'marker') findings.markers.push(`${detail} on ${where}`);
		else findings.violations.push(`${detail} on ${where}`);
	});
	await context.addInitScript(TRAPS);
	await context.route('**/*', (route) => {
		const url = route.request().url();
		const local = origin === 'file:' ? url.startsWith('file:') : new URL(url).origin === origin;
		if (local || /^(data|blob):/.test(url)) return route.continue();
		findings.outside.push(url);
		return route.abort();
	});
	const onPage = (page: Page) => {
		page.on('dialog', (dialog) => {
			findings.dialogs.push(`${dialog.type()} "${dialog.message()}" on ${page.url()}`);
			void dialog.dismiss();
		});
		page.on('pageerror', (error) => findings.pageErrors.push(`${page.url()}: ${error.message}`));
	};
	context.on('page', onPage);
	for (const page of context.pages()) onPage(page);
}

async function watchedPerson(): Promise<Person> {
	const person = await newPerson(browser, app);
	await watch(person.context, new URL(app.url).origin);
	// newPerson opened its page before the watch: start again on a watched page.
	await person.page.close();
	person.page = await person.context.newPage();
	return person;
}

/**
 * What the page's own document holds that sanitized text must never put there: event
 * handler attributes, <base>, meta refresh, javascript: links.
 */
function liveDomProblems(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const problems: string[] = [];
		for (const element of Array.from(document.querySelectorAll('*'))) {
			const handlers = Array.from(element.attributes).filter((a) => /^on/i.test(a.name));
			const dangerous =
				handlers.length > 0 ||
				element.matches('base, meta[http-equiv], object, embed, iframe[srcdoc]') ||
				(element.matches('a, area') &&
					/^\s*(javascript|vbscript|data):/i.test(element.getAttribute('href') ?? ''));
			if (dangerous) problems.push(element.outerHTML.slice(0, 160));
		}
		return problems;
	});
}

/** Lets the page run a moment (lazy images, reveal.js backgrounds, timers) before checking. */
async function settle(page: Page): Promise<void> {
	await page.waitForLoadState('networkidle').catch(() => undefined);
	await page.waitForTimeout(300);
}

/**
 * Asserts that nothing ran, opened, loaded from outside or was refused by the CSP since
 * the last check.
 */
function expectClean(where: string): void {
	const outside = findings.outside.filter((url) => !allowedOutside(url));
	const seen = structuredClone({ where, ...findings, outside });
	for (const list of Object.values(findings)) list.length = 0;
	expect(seen).toEqual({
		where,
		markers: [],
		dialogs: [],
		outside: [],
		violations: [],
		pageErrors: []
	});
}

interface ActionResult {
	type: 'success' | 'failure' | 'redirect' | 'error';
	status: number;
	location?: string;
	data?: Record<string, unknown>;
}

/**
 * Posts a form action from inside the page, as `use:enhance` does. With `form` (the
 * action's name on a form of the current page), the form's current values are sent with
 * `fields` replacing some: a whole form without typing it.
 */
async function act(
	page: Page,
	pathname: string,
	action: string,
	fields: Record<string, string | string[] | undefined>,
	fromForm = false
): Promise<ActionResult> {
	const raw = await page.evaluate(
		async ({ pathname, action, fields, fromForm }) => {
			const body = fromForm
				? new FormData(
						document.querySelector<HTMLFormElement>(`form[action$="?/${action}"]`) ?? undefined
					)
				: new FormData();
			for (const [name, value] of Object.entries(fields)) {
				if (value === undefined) continue;
				body.delete(name);
				for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
			}
			// A default action takes the page's own address ("?/default" is refused).
			const address = action === 'default' ? pathname : `${pathname}?/${action}`;
			const response = await fetch(address, {
				method: 'POST',
				body,
				headers: { 'x-sveltekit-action': 'true', accept: 'application/json' }
			});
			return response.json();
		},
		{ pathname, action, fields, fromForm }
	);
	const result = raw as ActionResult & { data?: string };
	return {
		...result,
		data: typeof result.data === 'string' ? parseDevalue(result.data) : result.data
	};
}

function expectAccepted(result: ActionResult, what: string): void {
	expect(
		result.type === 'success' || result.type === 'redirect',
		`${what}: ${JSON.stringify(result)}`
	).toBe(true);
}

/** Text of the payloads that must stay visible as text where Markdown shows them. */
function visibleTexts(payloads: readonly XssPayload[]): string[] {
	return payloads.flatMap((p) => (p.text ? [p.text] : []));
}

async function expectTextsShown(page: Page, texts: string[], where: string): Promise<void> {
	const shown = await page.locator('body').innerText();
	const missing = texts.filter((text) => !shown.includes(text));
	expect(missing, `text dropped on ${where}`).toEqual([]);
}

// Short payloads for plain-text names (titles, display names): at most `max` characters.
function nameWith(prefix: string, payloads: readonly XssPayload[], max: number): string {
	let name = prefix;
	for (const p of payloads) {
		if (p.source.includes('\n') || `${name} ${p.source}`.length > max) continue;
		name = `${name} ${p.source}`;
	}
	return name;
}

describe('cross-site scripting through every rich-text field', () => {
	let staff: Person;
	let emil: Person;
	let julia: Person;
	let mallory: Person;
	let course: string;
	let lecture: string;
	let paper: string;
	let critique: string;
	let talkCritiques: string;
	let savedSlides = 0;
	const names = {
		mallory: nameWith('Mallory', payloadsOf('template'), 100),
		course: nameWith('Course', payloadsOf('handler'), 200),
		lecture: nameWith('Lecture', payloadsOf('svg'), 200),
		announcement: nameWith('Notice', payloadsOf('script'), 200)
	};

	test(`${XSS_PAYLOADS.length} payloads go in through every field`, async () => {
		expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(100);
		[staff, emil, julia, mallory] = await Promise.all([
			watchedPerson(),
			watchedPerson(),
			watchedPerson(),
			watchedPerson()
		]);
		await Promise.all([
			signIn(staff.page, INSTRUCTOR),
			signIn(emil.page, EMIL),
			signIn(julia.page, JULIA)
		]);
		const s = staff.page;
		await s.getByRole('link', { name: DEMO_COURSE }).click();
		await s.getByRole('heading', { name: DEMO_COURSE, level: 1 }).waitFor();
		course = new URL(s.url()).pathname;
		await visit(s, `${course}/lectures`);
		await s.getByRole('link', { name: LECTURE }).click();
		await s.getByRole('heading', { name: LECTURE, level: 1 }).waitFor();
		lecture = new URL(s.url()).pathname;
		paper = new URL(
			(await s.getByRole('link', { name: PAPER }).first().getAttribute('href')) ?? '',
			app.url
		).pathname;

		// A classmate whose name is the payload joins with the code.
		await visit(s, `${course}/settings`);
		const joinCode = ((await s.getByLabel('Join code').textContent()) ?? '').trim();
		await signUp(mallory.page, { name: names.mallory, email: uniqueEmail('mallory') });
		expectAccepted(await act(mallory.page, '/join', 'default', { code: joinCode }), 'join');

		// Names: the course's and the lecture's titles, from their own edit forms.
		expectAccepted(
			await act(s, `${course}/settings`, 'update', { title: names.course }, true),
			'course title'
		);
		await visit(s, `${lecture}/edit`);
		expectAccepted(
			await act(
				s,
				`${lecture}/edit`,
				'update',
				{ title: names.lecture, description: payloadDocuments(XSS_PAYLOADS, 20_000)[0] },
				true
			),
			'lecture title and description'
		);

		// Announcements: the whole corpus in bodies of at most 20,000 characters.
		for (const body of payloadDocuments(XSS_PAYLOADS, 20_000)) {
			expectAccepted(
				await act(s, course, 'postAnnouncement', { title: names.announcement, body }),
				'announcement'
			);
		}

		// Annotations (region targets), tags, and a reply to each.
		await visit(mallory.page, paper);
		const region = JSON.stringify({
			kind: 'region',
			page: 1,
			rect: { x: 20, y: 20, width: 80, height: 40 }
		});
		for (const body of payloadDocuments(XSS_PAYLOADS, 10_000)) {
			const created = await act(mallory.page, paper, 'annotate', {
				target: region,
				body,
				tags: ['<script>__xss(9001)</script>', '"><img src=x onerror=__xss(9002)>'],
				visibility: 'class'
			});
			expectAccepted(created, 'annotation');
			const parentId = String(created.data?.created);
			expectAccepted(await act(julia.page, paper, 'reply', { parentId, body }), 'reply');
		}

		// A paper critique whose every text field holds payloads, and replies to it.
		const critiques = `${lecture}/critiques`;
		const [summary, strengths, weaknesses, questions, limitations] = payloadDocuments(
			XSS_PAYLOADS,
			2_000
		);
		await visit(mallory.page, `${critiques}/paper`);
		const submitted = await act(mallory.page, `${critiques}/paper`, 'submit', {
			kind: 'paper',
			summary,
			strengths,
			weaknesses,
			questions,
			limitations,
			soundness: '3',
			significance: '3',
			clarity: '2',
			confidence: '4'
		});
		expectAccepted(submitted, 'paper critique');
		critique = /#critique-(.+)$/.exec(submitted.location ?? '')?.[1] ?? '';
		expect(critique).not.toBe('');
		// Limits are counted after the browser sends each newline as CRLF: leave room.
		for (const body of payloadDocuments(XSS_PAYLOADS, 4_000)) {
			expectAccepted(
				await act(s, critiques, 'reply', { critiqueId: critique, body }),
				'critique reply'
			);
		}

		// The deck: one payload per slide, in the speaker notes too. Payloads the deck's own
		// check refuses (errors) never get saved: they go through the editor's preview only.
		const slides = XSS_PAYLOADS.map((p) => `${p.source}\n\nNote:\n${p.source}`);
		const savable = slides.filter(
			(slide) => validateDeck(slide).filter((p) => p.severity === 'error').length === 0
		);
		savedSlides = savable.length;
		await visit(emil.page, `${lecture}/deck`);
		expectAccepted(
			await act(emil.page, `${lecture}/deck`, 'save', {
				source: savable.join('\n\n---\n\n'),
				baseRevision: '0'
			}),
			'deck'
		);
		await visit(emil.page, `${lecture}/present`);
		expectAccepted(await act(emil.page, `${lecture}/present`, 'start', {}), 'start talk');

		// Live questions (at most 500 characters each) and a talk critique.
		await visit(julia.page, `${lecture}/live`);
		for (const body of payloadDocuments(
			XSS_PAYLOADS.filter((p) => p.source.length < 400),
			420
		)) {
			expectAccepted(
				await act(julia.page, `${lecture}/live`, 'ask', { body, h: '0', v: '0' }),
				'question'
			);
		}
		// A talk critique: of lecture 2's talk, given already (late ones are accepted).
		const [talkStrengths, talkWeaknesses, talkQuestions] = payloadDocuments(XSS_PAYLOADS, 4_000);
		await visit(s, `${course}/lectures`);
		const given = new URL(
			(await s.getByRole('link', { name: /^Lecture 2:/ }).getAttribute('href')) ?? '',
			app.url
		).pathname;
		talkCritiques = `${given}/critiques`;
		await visit(mallory.page, `${talkCritiques}/presentation`);
		expectAccepted(
			await act(mallory.page, `${talkCritiques}/presentation`, 'submit', {
				kind: 'presentation',
				strengths: talkStrengths,
				weaknesses: talkWeaknesses,
				questions: talkQuestions,
				explanation: '3',
				assessment: '3',
				delivery: '3'
			}),
			'talk critique'
		);
		console.log(
			`[xss] ${XSS_PAYLOADS.length} payloads; deck: ${savable.length} slides saved, ` +
				`${slides.length - savable.length} refused by the deck check`
		);
		expectClean('while writing');
	}, 180_000);

	test('pages that show them run nothing, load nothing from outside, keep the text', async () => {
		const texts = visibleTexts(XSS_PAYLOADS);
		const pages: [Page, string, string[]][] = [
			[staff.page, course, [names.course, names.announcement, ...texts]],
			[mallory.page, `${course}/members`, [names.mallory]],
			[staff.page, `${course}/members`, [names.mallory]],
			[staff.page, `${course}/lectures`, [names.lecture]],
			[julia.page, lecture, [names.lecture, ...texts]],
			[julia.page, paper, []],
			[staff.page, `${lecture}/critiques`, texts],
			[staff.page, talkCritiques, []],
			[mallory.page, `${lecture}/critiques/paper`, []],
			[julia.page, `${lecture}/deck`, []],
			[julia.page, `${lecture}/live`, []],
			[emil.page, `${lecture}/present`, []],
			[emil.page, `${lecture}/deck/print`, []],
			[staff.page, `${course}/participation/rules`, []],
			[staff.page, `${course}/dashboard`, [names.mallory]],
			[staff.page, '/notifications', []],
			[mallory.page, '/notifications', []]
		];
		for (const [page, pathname, shown] of pages) {
			await visit(page, pathname);
			await settle(page);
			await expectTextsShown(page, shown, pathname);
			expect(await liveDomProblems(page), pathname).toEqual([]);
			expectClean(pathname);
		}

		// The presenter steps through every slide: each one's notes are shown beside it, and
		// the class's live pages follow.
		const e = emil.page;
		await visit(e, `${lecture}/present`);
		await e.getByRole('region', { name: 'Current slide', exact: true }).focus();
		const problems: string[] = [];
		for (let i = 0; i < savedSlides; i++) {
			await e.keyboard.press('ArrowRight');
			problems.push(...(await liveDomProblems(e)));
		}
		await settle(e);
		expect(problems).toEqual([]);
		expect(await liveDomProblems(julia.page)).toEqual([]);
		expectClean('every slide on the present page');

		// Every annotation thread of the paper, opened, with its replies.
		const p = julia.page;
		await visit(p, paper);
		const threads = p
			.getByRole('complementary', { name: /^Annotations/ })
			.getByRole('article', { name: /Region on page 1/ });
		await threads.first().waitFor();
		await expectTextsShown(p, texts, 'the paper’s annotations');
		expectClean('annotations');
	}, 180_000);

	test('the deck editor’s preview renders even the refused payloads inertly', async () => {
		const e = emil.page;
		await visit(e, `${lecture}/deck`);
		const editor = e.getByRole('textbox', { name: 'Deck (reveal.js Markdown)' });
		await editor.fill(
			XSS_PAYLOADS.map((p) => `${p.source}\n\nNote:\n${p.source}`).join('\n\n---\n\n')
		);
		await settle(e);
		expect(await liveDomProblems(e)).toEqual([]);
		expectClean('deck editor preview');
	}, 180_000);

	test('the HTML export, opened as a file, loads nothing and runs nothing', async () => {
		const [file] = await Promise.all([
			julia.page.waitForEvent('download'),
			julia.page.evaluate((href) => {
				const a = document.createElement('a');
				a.href = href;
				a.download = '';
				document.body.append(a);
				a.click();
			}, `${lecture}/deck/export?format=html`)
		]);
		const saved = path.join(downloads, file.suggestedFilename());
		await file.saveAs(saved);
		const offline = await browser.newContext();
		await watch(offline, 'file:');
		const deck = await offline.newPage();
		await deck.goto(pathToFileURL(saved).href);
		await deck.waitForFunction(() =>
			(window as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady()
		);
		// Every slide once, so reveal.js loads each slide's lazy content and backgrounds.
		const total = await deck.evaluate(() =>
			(window as unknown as { Reveal: { getTotalSlides(): number } }).Reveal.getTotalSlides()
		);
		for (let i = 0; i < total; i++) {
			await deck.evaluate(() => (window as unknown as { Reveal: { next(): void } }).Reveal.next());
		}
		await settle(deck);
		expect(await liveDomProblems(deck)).toEqual([]);
		await offline.close();
		expect(findings.outside.filter((url) => url.includes(XSS_HOST))).toEqual([]);
		expectClean('exported deck');
	}, 180_000);

	test('every page sends a strict CSP; no response is sniffed as another type', async () => {
		const problems: string[] = [];
		const checkCsp = (url: string, csp: string | undefined) => {
			for (const problem of cspProblems(csp)) problems.push(`${url}: ${problem}`);
		};
		for (const person of [staff, emil, julia, mallory]) {
			for (const response of person.htmlResponses) checkCsp(response.url, response.csp);
		}
		// A crawl of the course as instructor and as student: every page a link leads to.
		let crawled = 0;
		for (const person of [staff, julia]) {
			const queue = ['/', '/courses', '/account', '/notifications', course];
			const seen = new Set(queue);
			while (queue.length > 0 && seen.size < 150) {
				const url = queue.shift() as string;
				const response = await person.page.request.get(url, { maxRedirects: 0, timeout: 60_000 });
				crawled++;
				const headers = response.headers();
				if (headers['x-content-type-options'] !== 'nosniff') {
					problems.push(`${url}: no "X-Content-Type-Options: nosniff"`);
				}
				if (!(headers['content-type'] ?? '').includes('text/html')) continue;
				checkCsp(url, headers['content-security-policy']);
				for (const [, link] of (await response.text()).matchAll(/href="(\/[^"#?]*)[^"]*"/g)) {
					if (seen.has(link) || !crawlable(link, course)) continue;
					seen.add(link);
					queue.push(link);
				}
			}
		}
		// Files and exports: never sniffed, downloads as attachments.
		const files: [Person, string, string][] = [
			[julia, `${paper}/export`, 'attachment'],
			[julia, `${lecture}/deck/export?format=html`, 'attachment'],
			[julia, `${lecture}/deck/export?format=md`, 'attachment'],
			[staff, `${course}/grades/export?format=moodle`, 'attachment']
		];
		const pdf = /href="([^"]*\/file\/[0-9a-f]{64})"/.exec(
			await (await julia.page.request.get(paper)).text()
		);
		if (pdf) files.push([julia, pdf[1], 'inline']);
		for (const [person, url, disposition] of files) {
			const response = await person.page.request.get(url, { timeout: 60_000 });
			const headers = response.headers();
			if (response.status() !== 200) problems.push(`${url}: status ${response.status()}`);
			if (headers['x-content-type-options'] !== 'nosniff') problems.push(`${url}: sniffable`);
			if (!(headers['content-disposition'] ?? '').startsWith(disposition)) {
				problems.push(`${url}: Content-Disposition "${headers['content-disposition']}"`);
			}
		}
		// An id with NUL (which PostgreSQL text cannot hold) is no page, not a server error.
		for (const url of [`${course}/lectures/x%00`, `${paper.replace(/[^/]+$/, 'x%00')}`]) {
			const status = (await julia.page.request.get(url)).status();
			if (status !== 404) problems.push(`${url}: status ${status}`);
		}
		console.log(`[xss] CSP and headers checked on ${crawled} crawled responses`);
		expect(problems).toEqual([]);
		expect(crawled).toBeGreaterThan(40);
	}, 180_000);
});

/** Links worth crawling: the app's pages, not downloads, event streams or sign-out. */
function crawlable(link: string, course: string): boolean {
	if (!link.startsWith(course) && !['/', '/courses', '/account', '/notifications'].includes(link))
		return false;
	return !/\/(export|events|file|text|images|logout)(\/|$)|\.ics$/.test(link);
}

/** What is wrong with a Content-Security-Policy for an app page, or nothing. */
function cspProblems(csp: string | undefined): string[] {
	if (!csp) return ['no Content-Security-Policy'];
	const directives = new Map(
		csp
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((parts) => parts[0])
			.map(([name, ...sources]) => [name, sources])
	);
	const problems: string[] = [];
	const exactly = (name: string, value: string) => {
		if ((directives.get(name) ?? []).join(' ') !== value) {
			problems.push(`${name} is "${(directives.get(name) ?? []).join(' ')}", not ${value}`);
		}
	};
	exactly('default-src', "'self'");
	exactly('object-src', "'none'");
	exactly('base-uri', "'self'");
	exactly('frame-ancestors', "'none'");
	exactly('form-action', "'self'");
	const scripts = directives.get('script-src');
	if (!scripts) problems.push('no script-src');
	for (const source of scripts ?? []) {
		if (!/^'(self|nonce-[\w+/=-]+|sha(256|384|512)-[\w+/=-]+)'$/.test(source)) {
			problems.push(`script-src allows ${source}`);
		}
	}
	return problems;
}
