import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
	courseNav,
	eventually,
	launchBrowser,
	newPerson,
	scriptSrc,
	signIn,
	startApp,
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
	downloads = mkdtempSync(path.join(os.tmpdir(), 'podium-deck-export-'));
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	rmSync(downloads, { recursive: true, force: true });
});

// A student: the demo's lecture 1 deck is published, so the class may take it away.
const JULIA = { email: 'julia@example.org', password: DEMO_PASSWORD };
const LECTURE = 'Lecture 1: Reducing memory footprint I';
/** The demo deck: four slides, two of them with speaker notes. */
const NOTES = 2;
const INSTRUCTOR = { email: 'instructor@example.org', password: DEMO_PASSWORD };
/** Three slides (two in a vertical stack), a fragment, code with steps, notes last. */
const STAFF_DECK = [
	'# One',
	'',
	'Note:',
	'First notes',
	'',
	'---',
	'',
	'## Two',
	'',
	'- a',
	'- b <!-- .element: class="fragment" -->',
	'',
	'--',
	'',
	'## Two, below',
	'',
	'```js [1|2]',
	'let a = 1;',
	'let b = a + 1;',
	'```',
	'',
	'Note:',
	'Last notes',
	''
].join('\n');

/**
 * Opens a downloaded deck from its file in a browser context that is offline and refuses
 * every request that is not for a file; waits until reveal.js is ready. `close` reports
 * the refused requests and the page's errors.
 */
async function openOffline(file: string) {
	const offline = await browser.newContext();
	await offline.setOffline(true);
	const refused: string[] = [];
	await offline.route('**', (route) => {
		const url = route.request().url();
		if (url.startsWith('file:')) return route.continue();
		refused.push(url);
		return route.abort();
	});
	const errors: string[] = [];
	const deck = await offline.newPage();
	deck.on('pageerror', (error) => errors.push(error.message));
	deck.on('requestfailed', (request) => errors.push(`failed: ${request.url()}`));
	await deck.goto(pathToFileURL(file).href);
	await deck.waitForFunction(() => (window as unknown as RevealWindow).Reveal?.isReady());
	return {
		deck,
		close: async () => {
			await offline.close();
			return { refused, errors };
		}
	};
}

const totalSlides = (deck: Page) =>
	deck.evaluate(() => (window as unknown as RevealWindow).Reveal.getTotalSlides());

/** Clicks a download link and saves the file under the name the server gave it. */
async function download(page: Page, link: string): Promise<string> {
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: link }).click()
	]);
	const saved = path.join(downloads, file.suggestedFilename());
	await file.saveAs(saved);
	return saved;
}

/** The PDF of the page as Chromium prints it, at the page size its CSS asks for. */
async function printedPages(page: Page): Promise<{ count: number; width: number; height: number }> {
	const pdf = await PDFDocument.load(await page.pdf({ preferCSSPageSize: true }));
	const [first] = pdf.getPages();
	return { count: pdf.getPageCount(), ...first.getSize() };
}

describe('deck export', () => {
	let julia: Person;
	let instructor: Person;
	let deckUrl: string;
	/** Lecture 4's deck, a draft. */
	let draftDeckUrl: string;
	let slides: number;

	test('a student finds the export links on a published deck', async () => {
		julia = await newPerson(browser, app);
		const page = julia.page;
		await signIn(page, JULIA);
		await page.getByRole('link', { name: DEMO_COURSE }).click();
		await courseNav(page, 'Schedule').click();
		await page.getByRole('link', { name: LECTURE }).click();
		await page.getByRole('link', { name: 'Slides of this lecture' }).click();
		await page.getByRole('heading', { name: 'Slides', level: 1 }).waitFor();
		deckUrl = new URL(page.url()).pathname;
		await visit(page, deckUrl);
		slides = await page.getByRole('navigation', { name: 'Slides' }).getByRole('button').count();
		expect(slides).toBe(4);
		const exports = page.getByRole('navigation', { name: 'Export the deck' });
		for (const name of [
			'Download HTML',
			'Download Markdown',
			'PDF (print layout)',
			'PDF with speaker notes'
		]) {
			await exports.getByRole('link', { name }).waitFor();
		}
	});

	test('the HTML download opens offline from a file, every slide in reveal.js', async () => {
		const page = julia.page;
		const file = await download(page, 'Download HTML');
		expect(path.basename(file)).toBe('lecture-1-reducing-memory-footprint-i.html');

		const { deck, close } = await openOffline(file);
		expect(await totalSlides(deck)).toBe(slides);
		await deck.getByRole('heading', { name: 'Reducing memory footprint I' }).waitFor();
		// Hash navigation: the third slide by its address.
		await deck.goto(`${pathToFileURL(file).href}#/2`);
		await deck.getByRole('heading', { name: 'Checkpointing in one picture' }).waitFor();
		// A quoted annotation links to the paper on the Podium it came from.
		const citation = deck.locator('a.citation-link').first();
		expect(await citation.getAttribute('href')).toMatch(
			new RegExp(`^${app.url}/courses/[^/]+/papers/[^/#]+#annotation-`)
		);
		expect(await close()).toEqual({ refused: [], errors: [] });
	});

	test('the Markdown download is the deck as written', async () => {
		const page = julia.page;
		const file = await download(page, 'Download Markdown');
		expect(path.basename(file)).toBe('lecture-1-reducing-memory-footprint-i.md');
		const text = readFileSync(file, 'utf8');
		expect(text.startsWith('# Reducing memory footprint I\n')).toBe(true);
		expect(text.match(/^---$/gm)).toHaveLength(slides - 1);
	});

	test('the print layout makes one PDF page per slide at the slide size', async () => {
		const page = julia.page;
		await visit(page, deckUrl);
		await page.getByRole('link', { name: 'PDF (print layout)' }).click();
		await page.getByRole('heading', { name: 'Slides for print' }).waitFor();
		await page.getByRole('status').getByText(`Ready: ${slides} pages.`).waitFor();
		await eventually(() =>
			page.getByRole('button', { name: 'Print or save as PDF' }).isEnabled()
		).toBe(true);
		const printed = await printedPages(page);
		expect(printed.count).toBe(slides);
		// 1280 × 720 CSS pixels are 960 × 540 points.
		expect(printed.width).toBeCloseTo(960, 0);
		expect(printed.height).toBeCloseTo(540, 0);
	});

	test('with speaker notes, each slide with notes gets a page of them after it', async () => {
		const page = julia.page;
		await page.getByRole('link', { name: 'With speaker notes' }).click();
		await page.getByRole('heading', { name: 'Slides for print, with speaker notes' }).waitFor();
		await page
			.getByRole('status')
			.getByText(`Ready: ${slides + NOTES} pages.`)
			.waitFor();
		const printed = await printedPages(page);
		expect(printed.count).toBe(slides + NOTES);
		const notes = page.getByText('Ask the class: why is the optimum at the square root?');
		expect(await notes.filter({ visible: true }).count()).toBe(1);
	});

	test('a deck the student may not see cannot be exported either', async () => {
		const page = julia.page;
		await visit(page, '/courses');
		await page.getByRole('link', { name: DEMO_COURSE }).click();
		await courseNav(page, 'Schedule').click();
		await page.getByRole('link', { name: 'Lecture 4: Parallelism II' }).click();
		await page.getByRole('link', { name: 'Slides of this lecture' }).waitFor();
		draftDeckUrl = `${new URL(page.url()).pathname}/deck`;
		const draft = draftDeckUrl;
		for (const path of [
			`${draft}/export?format=html`,
			`${draft}/export?format=md`,
			`${draft}/print`
		]) {
			expect((await page.request.get(path)).status(), path).toBe(404);
		}
	});

	test('vertical slides, fragments, code and notes on the last slide: no extra or blank page', async () => {
		instructor = await newPerson(browser, app);
		const page = instructor.page;
		await signIn(page, INSTRUCTOR);
		await visit(page, draftDeckUrl);
		const editor = page.getByRole('textbox', { name: 'Deck (reveal.js Markdown)' });
		await editor.fill(STAFF_DECK);
		await page.getByRole('button', { name: 'Save now' }).click();
		await page.getByText(/^Saved \(revision \d+\)$/).waitFor();

		const { deck, close } = await openOffline(await download(page, 'Download HTML'));
		expect(await totalSlides(deck)).toBe(3);
		// Highlighted by reveal.js's own plugin, inside the file.
		await deck.goto(`${deck.url().split('#')[0]}#/1/1`);
		await deck.locator('pre code.hljs').first().waitFor();
		expect(await close()).toEqual({ refused: [], errors: [] });

		await visit(page, draftDeckUrl);
		await page.getByRole('link', { name: 'PDF (print layout)' }).click();
		await page.getByRole('status').getByText('Ready: 3 pages.').waitFor();
		expect((await printedPages(page)).count).toBe(3);
		await page.getByRole('link', { name: 'With speaker notes' }).click();
		await page.getByRole('status').getByText('Ready: 5 pages.').waitFor();
		expect((await printedPages(page)).count).toBe(5);
	});

	test('no page error, and every page had a CSP without inline script', async () => {
		for (const response of [...julia.htmlResponses, ...instructor.htmlResponses]) {
			expect(scriptSrc(response.csp ?? ''), response.url).not.toContain('unsafe-inline');
		}
		const errors = [...julia.pageErrors, ...instructor.pageErrors];
		expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
	});
});

interface RevealWindow {
	Reveal: { isReady(): boolean; getTotalSlides(): number };
}
