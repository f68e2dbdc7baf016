import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, inject } from 'vitest';
import {
	chromium,
	type Browser,
	type BrowserContext,
	type BrowserContextOptions,
	type Locator,
	type Page,
	type Response
} from 'playwright-core';
import { COURSE, DEMO_PASSWORD } from '$lib/server/demo/content';
import { CHROMIUM, freePort, startServer, type Exit, type ServerProcess } from './server-process';

/** The demo course's title and its accounts' password, as the app seeds them. */
export const DEMO_COURSE = COURSE.title;
export { DEMO_PASSWORD };

/** The browser's zone: neither the server's (America/Los_Angeles) nor a course's. */
export const BROWSER_TZ = 'Asia/Tokyo';

export interface App {
	url: string;
	dataDir: string;
	server: ServerProcess;
	/** SIGTERM, wait for the exit, remove the data folder. */
	stop(): Promise<Exit>;
}

/**
 * Starts `node build/index.js` on its own port and data folder: a copy of the migrated
 * empty template, or with `demo` a new folder where PODIUM_DEMO=auto creates the demo
 * course.
 */
export async function startApp(
	options: { demo?: boolean; env?: Record<string, string> } = {}
): Promise<App> {
	const dataDir = mkdtempSync(path.join(inject('e2eTempDir'), 'app-'));
	if (!options.demo) {
		cpSync(inject('e2eTemplateDir'), dataDir, { recursive: true });
		rmSync(path.join(dataDir, 'podium.lock'), { force: true });
	}
	const server = await startServer({
		buildDir: inject('e2eBuildDir'),
		dataDir,
		port: await freePort(),
		env: { PODIUM_DEMO: options.demo ? 'auto' : 'off', ...options.env }
	});
	return {
		url: server.url,
		dataDir,
		server,
		stop: async () => {
			const exit = await server.stop();
			rmSync(dataDir, { recursive: true, force: true });
			return exit;
		}
	};
}

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}

/** An HTML document the browser received, with the headers that matter here. */
export interface HtmlResponse {
	url: string;
	status: number;
	csp: string | undefined;
}

export interface Person {
	context: BrowserContext;
	page: Page;
	/** Every HTML response this person's browser received. */
	htmlResponses: HtmlResponse[];
	/** Uncaught errors and console errors of this person's pages. */
	pageErrors: string[];
}

/** A fresh browser profile (own cookies) in the browser zone, with one open page. */
export async function newPerson(
	browser: Browser,
	app: Pick<App, 'url'>,
	options: BrowserContextOptions = {}
): Promise<Person> {
	const context = await browser.newContext({
		baseURL: app.url,
		timezoneId: BROWSER_TZ,
		locale: 'en-US',
		...options
	});
	context.setDefaultTimeout(15_000);
	context.setDefaultNavigationTimeout(30_000);
	const htmlResponses: HtmlResponse[] = [];
	const pageErrors: string[] = [];
	context.on('response', (response) => {
		const type = response.headers()['content-type'] ?? '';
		if (type.includes('text/html')) {
			htmlResponses.push({
				url: response.url(),
				status: response.status(),
				csp: response.headers()['content-security-policy']
			});
		}
	});
	if (options.javaScriptEnabled === false) withoutScripts.add(context);
	await context.addInitScript(MARK_STARTED);
	context.on('page', (page) => watchErrors(page, pageErrors));
	const page = await context.newPage();
	watchErrors(page, pageErrors);
	return { context, page, htmlResponses, pageErrors };
}

/**
 * Runs in every page before its own scripts: notes when SvelteKit's client router starts,
 * which it does right after hydrating the page (it then listens for clicks on <html>).
 * Until then a form is not enhanced yet, and what is typed into a field can be reset by
 * hydration, so tests wait for it as a person waits for the page to be ready.
 */
const MARK_STARTED = `(() => {
	const add = EventTarget.prototype.addEventListener;
	EventTarget.prototype.addEventListener = function (type, listener, options) {
		if (type === 'click' && this === document.documentElement) window.__podiumE2eStarted = true;
		return add.call(this, type, listener, options);
	};
})();`;

const withoutScripts = new WeakSet<BrowserContext>();

/** Waits until the page is hydrated and its forms are enhanced (see MARK_STARTED). */
export async function ready(page: Page): Promise<void> {
	if (withoutScripts.has(page.context())) return;
	try {
		await page.waitForFunction(
			() => (window as unknown as { __podiumE2eStarted?: boolean }).__podiumE2eStarted === true,
			undefined,
			{ timeout: 15_000 }
		);
	} catch {
		throw new Error(`The app did not start in the browser on ${page.url()}.`);
	}
}

/** Opens `path` and waits until the page is ready for input. */
export async function visit(page: Page, path: string): Promise<Response | null> {
	const response = await page.goto(path);
	await ready(page);
	return response;
}

/** Reloads the page and waits until it is ready for input. */
export async function reload(page: Page): Promise<Response | null> {
	const response = await page.reload();
	await ready(page);
	return response;
}

function watchErrors(page: Page, into: string[]) {
	page.on('pageerror', (error) => into.push(`${page.url()}: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') into.push(`${page.url()}: ${message.text()}`);
	});
}

/** The script-src directive of a Content-Security-Policy (or default-src without it). */
export function scriptSrc(csp: string): string {
	const directives = csp.split(';').map((d) => d.trim());
	return (
		directives.find((d) => d.startsWith('script-src ')) ??
		directives.find((d) => d.startsWith('default-src ')) ??
		''
	);
}

let counter = 0;
/** An email no other test of this run uses. */
export function uniqueEmail(name: string): string {
	counter += 1;
	return `${name}.${process.pid}.${counter}.${Date.now().toString(36)}@example.org`;
}

export const PASSWORD = 'correct horse battery';

/** Waits (retrying) until `read` gives a value that passes the assertion. */
export function eventually<T>(read: () => Promise<T> | T, timeout = 15_000) {
	return expect.poll(read, { timeout, interval: 100 });
}

/** The accessible description of a field: its hint and the message next to it. */
export function description(field: Locator): Promise<string> {
	return field.evaluate((element) =>
		(element.getAttribute('aria-describedby') ?? '')
			.split(/\s+/)
			.filter(Boolean)
			.map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
			.join(' ')
	);
}

/** Clicks `button` and waits for the answer to the POST it sends (enhanced or not). */
export async function submit(page: Page, button: Locator): Promise<Response> {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST'),
		button.click()
	]);
	return response;
}

export async function signUp(
	page: Page,
	person: { name: string; email: string; password?: string }
): Promise<void> {
	await visit(page, '/signup');
	await page.getByLabel('Name').fill(person.name);
	await page.getByLabel('Email').fill(person.email);
	await page.getByLabel('Password').fill(person.password ?? PASSWORD);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await page.waitForURL((url) => url.pathname !== '/signup');
}

export async function signIn(
	page: Page,
	person: { email: string; password?: string }
): Promise<void> {
	await visit(page, '/login');
	await page.getByLabel('Email').fill(person.email);
	await page.getByLabel('Password').fill(person.password ?? PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => url.pathname !== '/login');
}

/** The course id in a /courses/<id>/... address. */
export function courseIdOf(page: Page): string {
	const match = /\/courses\/([^/?#]+)/.exec(new URL(page.url()).pathname);
	if (!match || match[1] === 'new') throw new Error(`Not on a course page: ${page.url()}`);
	return match[1];
}

/** A link of the course's own navigation (Home, Schedule, Members, Calendar, Settings). */
export function courseNav(page: Page, label: string): Locator {
	return page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: label });
}

/** A file as a person picks it in a file field. */
export interface PickedFile {
	name: string;
	bytes: Uint8Array;
	mimeType?: string;
}

/** The lecture page's paper upload field (inside "Upload a paper (PDF)", opened if closed). */
export async function paperUploadField(page: Page): Promise<Locator> {
	const field = page.getByLabel('PDF of the paper');
	if (!(await field.isVisible())) await page.getByText('Upload a paper (PDF)').click();
	await field.waitFor();
	return field;
}

/**
 * Uploads `file` with the lecture page's "Upload a paper" form and waits for the answer to
 * the POST (a redirect to the new paper, or a refusal shown next to the field).
 */
export async function uploadPaperFile(page: Page, file: PickedFile): Promise<Response> {
	const field = await paperUploadField(page);
	await field.setInputFiles({
		name: file.name,
		mimeType: file.mimeType ?? 'application/pdf',
		buffer: Buffer.from(file.bytes)
	});
	return submit(page, page.getByRole('button', { name: 'Upload paper' }));
}

/** The titles of a lecture page's readings, in order. */
export async function readingTitles(page: Page): Promise<string[]> {
	const section = page.getByRole('region', { name: 'Readings' });
	await section.waitFor();
	const items = await section.locator(':scope > ul > li').all();
	const titles: string[] = [];
	for (const item of items)
		titles.push(((await item.locator('a').first().textContent()) ?? '').trim());
	return titles;
}

/** Page `n` of the paper viewer (pdf.js renders pages near the viewport only). */
export function pdfPage(page: Page, n: number): Locator {
	return page.locator(`.pdfViewer .page[data-page-number="${n}"]`);
}

/** Waits until the paper viewer has opened its PDF and a page has its text layer. */
export async function pdfLoaded(page: Page): Promise<void> {
	await page
		.getByRole('region', { name: 'PDF' })
		.and(page.locator('[aria-busy="false"]'))
		.waitFor();
	await page.locator('.pdfViewer .page .textLayer span').first().waitFor();
}

/** Goes to page `n` with the viewer toolbar's page field and waits for its text layer. */
export async function goToPdfPage(page: Page, n: number): Promise<void> {
	const field = page.getByRole('group', { name: 'Pages' }).getByRole('textbox', { name: 'Page' });
	await field.fill(String(n));
	await field.press('Enter');
	await pdfPage(page, n).locator('.textLayer span').first().waitFor();
	await eventually(() => field.inputValue()).toBe(String(n));
}

/**
 * Selects, with the mouse, the text of page `n` from the start of `from` to the end of `to`
 * (`to` at or after `from` in the text layer), as a person drags over it: the first is
 * scrolled into view, then the pointer goes down before its first letter and up after the
 * last letter of `to`.
 */
export async function selectPdfText(
	page: Page,
	n: number,
	from: string,
	to: string
): Promise<void> {
	await goToPdfPage(page, n);
	const layer = pdfPage(page, n).locator('.textLayer');
	await layer.getByText(from).first().waitFor();
	const locate = (scroll: boolean) =>
		layer.evaluate(
			(root, { from, to, scroll }) => {
				const nodes: Text[] = [];
				const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
				while (walker.nextNode()) nodes.push(walker.currentNode as Text);
				const startNode = nodes.findIndex((t) => t.data.includes(from));
				if (startNode < 0) return null;
				const startAt = nodes[startNode].data.indexOf(from);
				let endNode = -1;
				let endAt = -1;
				for (let i = startNode; i < nodes.length && endNode < 0; i++) {
					const at = nodes[i].data.indexOf(to, i === startNode ? startAt : 0);
					if (at >= 0) [endNode, endAt] = [i, at + to.length];
				}
				if (endNode < 0) return null;
				if (scroll) nodes[startNode].parentElement?.scrollIntoView({ block: 'center' });
				const rect = (node: Text, at: number) => {
					const range = document.createRange();
					range.setStart(node, at);
					range.setEnd(node, at + 1);
					const r = range.getBoundingClientRect();
					return { left: r.left, right: r.right, y: r.top + r.height / 2 };
				};
				const first = rect(nodes[startNode], startAt);
				const last = rect(nodes[endNode], endAt - 1);
				return { x1: first.left + 1, y1: first.y, x2: last.right - 1, y2: last.y };
			},
			{ from, to, scroll }
		);
	if (!(await locate(true))) throw new Error(`"${from}" … "${to}" is not on page ${n}.`);
	await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
	const points = await locate(false);
	if (!points) throw new Error(`"${from}" … "${to}" is not on page ${n}.`);
	await dragMouse(page, { x: points.x1, y: points.y1 }, { x: points.x2, y: points.y2 });
}

/** Drags the mouse from one point of the window to another, in small steps. */
export async function dragMouse(
	page: Page,
	from: { x: number; y: number },
	to: { x: number; y: number }
): Promise<void> {
	await page.mouse.move(from.x, from.y);
	await page.mouse.down();
	await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
	await page.mouse.move(to.x, to.y, { steps: 5 });
	await page.mouse.up();
}

/** The sidebar's thread of an annotation whose quote (or "Region on page n") matches. */
export function thread(page: Page, quote: string | RegExp): Locator {
	return page
		.getByRole('complementary', { name: /^Annotations/ })
		.getByRole('article', { name: quote });
}
