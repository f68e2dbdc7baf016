import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makePaperPdf } from '$lib/server/demo/pdf';
import {
	SAMPLE_PAPER,
	encryptedPdf,
	longPaperPdf,
	pngFile,
	textFile,
	truncatedPdf,
	zeroPagesPdf
} from '../fixtures/pdf';
import {
	courseIdOf,
	description,
	eventually,
	goToPdfPage,
	launchBrowser,
	newPerson,
	pdfLoaded,
	pdfPage,
	readingTitles,
	reload,
	selectPdfText,
	signUp,
	startApp,
	submit,
	thread,
	uniqueEmail,
	uploadPaperFile,
	visit,
	type App,
	type Person
} from './harness';

let app: App;
let browser: Browser;
let instructor: Person;
let student: Person;
let outsider: Person;
let courseId: string;
/** Paths of the two lectures' pages. */
const lectures: string[] = [];
const COURSE_TITLE = 'Uploads Seminar';

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp(), launchBrowser()]);
	[instructor, student, outsider] = await Promise.all([
		newPerson(browser, app),
		newPerson(browser, app),
		newPerson(browser, app)
	]);

	const a = instructor.page;
	await signUp(a, { name: 'Uma Instructor', email: uniqueEmail('uma') });
	await visit(a, '/courses/new');
	await a.getByLabel('Title').fill(COURSE_TITLE);
	await a.getByLabel('Time zone').fill('Europe/Berlin');
	await a.getByRole('button', { name: 'Create course' }).click();
	await a.getByRole('heading', { name: COURSE_TITLE, level: 1 }).waitFor();
	courseId = courseIdOf(a);
	for (const [n, title] of [
		[1, 'Memory'],
		[2, 'Parallelism']
	] as const) {
		await visit(a, `/courses/${courseId}/lectures/new`);
		await a.getByLabel('Title', { exact: true }).fill(title);
		await a.getByLabel('Start (Europe/Berlin)').fill(`2026-12-0${n + 1}T16:00`);
		await a.getByLabel('End (Europe/Berlin)').fill(`2026-12-0${n + 1}T18:00`);
		await a.getByRole('button', { name: 'Add lecture' }).click();
		await a.getByRole('heading', { name: `Lecture ${n}: ${title}` }).waitFor();
		lectures.push(new URL(a.url()).pathname);
	}
	await visit(a, `/courses/${courseId}/settings`);
	const code = (await a.getByLabel('Join code').textContent())?.trim() ?? '';

	await signUp(student.page, { name: 'Sol Student', email: uniqueEmail('sol') });
	await visit(student.page, '/join');
	await student.page.getByLabel('Join code').fill(code);
	await student.page.getByRole('button', { name: 'Join' }).click();
	await student.page.getByRole('heading', { name: COURSE_TITLE, level: 1 }).waitFor();

	await signUp(outsider.page, { name: 'Otto Outsider', email: uniqueEmail('otto') });
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

/** The readings of lecture `n` (1-based) as the instructor sees them after a fresh load. */
async function readingsOfLecture(n: number): Promise<string[]> {
	await visit(instructor.page, lectures[n - 1]);
	return readingTitles(instructor.page);
}

const REUPLOAD = 'Export or save it as PDF again and upload the new file.';

describe('uploads the server refuses', () => {
	test.each([
		[
			'a text file named .pdf',
			async () => textFile(),
			'This file is not a PDF. Save or export it as PDF and upload it again.'
		],
		[
			'a PNG image renamed to .pdf',
			async () => pngFile(),
			'This file is not a PDF. Save or export it as PDF and upload it again.'
		],
		[
			'the first half of a PDF',
			truncatedPdf,
			`This PDF is damaged or incomplete and cannot be read. ${REUPLOAD}`
		],
		[
			'a password-protected PDF',
			async () => encryptedPdf(),
			'This file is password-protected. Remove the password and upload it again.'
		],
		['a PDF without pages', async () => zeroPagesPdf(), 'This PDF has no pages.']
	])('%s is refused next to the file field and nothing is stored', async (_, bytes, message) => {
		const page = instructor.page;
		expect(await readingsOfLecture(1)).toEqual([]);
		await uploadPaperFile(page, { name: 'paper.pdf', bytes: await bytes() });
		const field = page.getByLabel('PDF of the paper');
		await eventually(() => description(field)).toBe(message);
		expect(await field.getAttribute('aria-invalid')).toBe('true');
		expect(await page.getByRole('alert').textContent()).toContain(message);
		expect(new URL(page.url()).pathname).toBe(lectures[0]);

		await reload(page);
		expect(await page.getByRole('region', { name: 'Readings' }).textContent()).toContain(
			'No readings yet.'
		);
		expect(await readingsOfLecture(2)).toEqual([]);
	});
});

describe('a valid PDF', () => {
	let bytes: Uint8Array;
	let sha: string;
	const papers: string[] = [];

	test('the same PDF uploaded to two lectures is stored once and opens in both', async () => {
		bytes = await longPaperPdf(3);
		sha = createHash('sha256').update(bytes).digest('hex');
		const page = instructor.page;
		for (const lecture of lectures) {
			await visit(page, lecture);
			await uploadPaperFile(page, { name: 'sparse_adapters.pdf', bytes });
			await page.waitForURL(/\/papers\/[a-z0-9]+$/);
			await page.getByRole('heading', { name: SAMPLE_PAPER.title, level: 1 }).waitFor();
			papers.push(new URL(page.url()).pathname);
		}
		expect(papers[0]).not.toBe(papers[1]);
		expect(await readingsOfLecture(1)).toEqual([SAMPLE_PAPER.title]);
		expect(await readingsOfLecture(2)).toEqual([SAMPLE_PAPER.title]);

		for (const paper of papers) {
			// Opened from the lecture's reading list, the PDF renders with its text.
			await visit(page, papers.indexOf(paper) === 0 ? lectures[0] : lectures[1]);
			await page.getByRole('link', { name: SAMPLE_PAPER.title }).click();
			await page.waitForURL(`**${paper}`);
			await pdfLoaded(page);
			expect(await page.getByRole('group', { name: 'Pages' }).textContent()).toContain('of 3');
			expect(await pdfPage(page, 1).locator('.textLayer').textContent()).toContain(
				'Sparse Adapters'
			);
			// Both serve the same bytes at the address named by their hash.
			const file = await page.request.get(`${paper}/file/${sha}`);
			expect(file.status()).toBe(200);
			expect(file.headers()['content-type']).toBe('application/pdf');
			expect(file.headers()['cache-control']).toContain('immutable');
			expect(Buffer.compare(await file.body(), Buffer.from(bytes))).toBe(0);
			const text = await page.request.get(`${paper}/text/${sha}`);
			expect(text.status()).toBe(200);
			expect(((await text.json()) as unknown[]).length).toBe(3);
			// Another hash is not this paper's file.
			const other = await page.request.get(`${paper}/file/${'0'.repeat(64)}`);
			expect(other.status()).toBe(404);
		}
	});

	test('a student sees no upload form, and a direct upload is refused with 403', async () => {
		const page = student.page;
		await visit(page, lectures[0]);
		await page.getByRole('heading', { name: 'Lecture 1: Memory', level: 1 }).waitFor();
		expect(await readingTitles(page)).toEqual([SAMPLE_PAPER.title]);
		expect(await page.getByText('Upload a paper (PDF)').count()).toBe(0);
		expect(await page.getByLabel('PDF of the paper').count()).toBe(0);

		const sneaked = await makePaperPdf({ ...SAMPLE_PAPER, title: 'Sneaked Paper' });
		for (const enhanced of [true, false]) {
			const result = await postFile(page, `${lectures[0]}?/uploadPaper`, sneaked, enhanced);
			expect(result.status, enhanced ? 'enhanced' : 'plain').toBe(403);
			expect(result.body).toContain('Only instructors');
		}
		expect(await readingsOfLecture(1)).toEqual([SAMPLE_PAPER.title]);
		await reload(page);
		expect(await readingTitles(page)).toEqual([SAMPLE_PAPER.title]);
	});

	test('a non-member gets 404 for the paper, its file, text and export; a member 200', async () => {
		const paper = papers[0];
		const paths = [`${paper}/file/${sha}`, `${paper}/text/${sha}`, `${paper}/export`];
		for (const path of paths) {
			const response = await student.context.request.get(path);
			expect(response.status(), `student: ${path}`).toBe(200);
		}

		const page = outsider.page;
		const response = await visit(page, paper);
		expect(response?.status()).toBe(404);
		expect(await page.getByText('Not found', { exact: true }).isVisible()).toBe(true);
		expect(await page.getByRole('main').textContent()).not.toContain(SAMPLE_PAPER.title);
		for (const path of paths) {
			const refused = await outsider.context.request.get(path);
			expect(refused.status(), `outsider: ${path}`).toBe(404);
			const body = await refused.text();
			expect(body, path).not.toContain('%PDF');
			expect(body, path).not.toContain('Sparse Adapters');
		}
	});

	test('a link to #annotation-<id> opens the paper with that thread selected', async () => {
		const a = instructor.page;
		await visit(a, papers[0]);
		await pdfLoaded(a);
		// An annotation on a line of page 3, which is not in view when the paper opens.
		await goToPdfPage(a, 3);
		const line = await firstLongLine(a, 3);
		await selectPdfText(a, 3, line.slice(0, 12), line.slice(-12));
		const composer = a.getByRole('region', { name: 'New annotation' });
		await composer.getByLabel('Comment').fill('This is where the appendix starts to matter.');
		await submit(a, composer.getByRole('button', { name: 'Post annotation' }));
		const card = thread(a, new RegExp(escape(line.slice(0, 12))));
		await card.waitFor();
		const id = ((await card.getAttribute('id')) ?? '').replace(/^annotation-/, '');
		expect(id).toMatch(/^[a-z0-9]+$/);

		const b = student.page;
		await visit(b, `${papers[0]}#annotation-${id}`);
		await pdfLoaded(b);
		const selected = b.locator(`article#annotation-${id}`);
		await eventually(() => selected.getAttribute('class')).toContain('selected');
		const highlight = pdfPage(b, 3).locator(`.pv-highlights button[data-highlight-id="${id}"]`);
		await highlight.waitFor({ state: 'attached' });
		await eventually(() => highlight.getAttribute('aria-current')).toBe('true');
		// The viewer scrolled to it: page 3 in the toolbar and the highlight inside the view.
		const pageField = b
			.getByRole('group', { name: 'Pages' })
			.getByRole('textbox', { name: 'Page' });
		await eventually(() => pageField.inputValue()).toBe('3');
		const view = await b.getByRole('region', { name: 'PDF' }).boundingBox();
		await eventually(async () => {
			const box = await highlight.boundingBox();
			return Boolean(view && box && box.y >= view.y && box.y + box.height <= view.y + view.height);
		}).toBe(true);
		expect(new URL(b.url()).hash).toBe(`#annotation-${id}`);
	});

	test('no page error but the refusals the tests asked for', async () => {
		expect(instructor.pageErrors).toEqual([]);
		// The console notes the student's refused POSTs (403) and the outsider's 404.
		expect(student.pageErrors.filter((e) => !e.includes('status of 403'))).toEqual([]);
		expect(outsider.pageErrors.filter((e) => !e.includes('status of 404'))).toEqual([]);
	});
});

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text of the first text-layer span of page `n` with at least 40 characters. */
async function firstLongLine(page: Page, n: number): Promise<string> {
	const layer = pdfPage(page, n).locator('.textLayer');
	await layer.locator('span').first().waitFor();
	const texts = await layer.locator('span').allTextContents();
	const line = texts.find((t) => t.trim().length >= 40 && !/\s{2}/.test(t));
	if (!line) throw new Error(`Page ${n} has no long line of text.`);
	return line.trim();
}

/** A multipart POST of `bytes` as field "file", from `page` itself (same origin, cookies). */
function postFile(
	page: Page,
	path: string,
	bytes: Uint8Array,
	enhanced: boolean
): Promise<{ status: number; body: string }> {
	return page.evaluate(
		async ({ path, base64, enhanced }) => {
			const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
			const body = new FormData();
			body.append('file', new File([data], 'sneaked.pdf', { type: 'application/pdf' }));
			const response = await fetch(path, {
				method: 'POST',
				body,
				headers: enhanced ? { accept: 'application/json', 'x-sveltekit-action': 'true' } : {}
			});
			return { status: response.status, body: await response.text() };
		},
		{ path, base64: Buffer.from(bytes).toString('base64'), enhanced }
	);
}
