import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PGlite } from '@electric-sql/pglite';
import {
	encryptedPdf,
	garbagePdf,
	inflationBombPdf,
	manyPagesPdf,
	pngFile,
	scriptedPdf,
	textFile
} from '../fixtures/pdf';
import { pngImage } from '../fixtures/images';
import {
	courseIdOf,
	description,
	eventually,
	launchBrowser,
	newPerson,
	paperUploadField,
	pdfLoaded,
	reload,
	signUp,
	startApp,
	submit,
	uniqueEmail,
	uploadPaperFile,
	visit,
	type App,
	type PickedFile,
	type Person
} from './harness';

/**
 * Hostile uploads through the real forms: each is refused with its own message, nothing is
 * stored, and meanwhile another person's pages keep answering. The server runs with small
 * limits so that "too large" costs megabytes, not the 50 MB of a default start.
 */

const MAX_UPLOAD_MB = 3;
const BODY_LIMIT_MB = 4;
/** The parse's own time limit (inspect.ts): a bomb is refused by then at the latest. */
const PARSE_TIMEOUT_MS = 20_000;
/** Generous: a page of the course must answer within this while a hostile file is checked. */
const MAX_LATENCY_MS = 3000;

let app: App;
let browser: Browser;
let instructor: Person;
let student: Person;
let studentCookie: string;
let courseId: string;
let lecture: string;
/** The slowest answer to the student's course page during any hostile upload. */
let slowest = 0;
const slowestBy: Record<string, number> = {};
/** How long each hostile paper upload took to be answered. */
const answeredIn: Record<string, number> = {};

beforeAll(async () => {
	[app, browser] = await Promise.all([
		startApp({
			env: {
				BODY_SIZE_LIMIT: `${BODY_LIMIT_MB}M`,
				PODIUM_MAX_UPLOAD_MB: String(MAX_UPLOAD_MB)
			}
		}),
		launchBrowser()
	]);
	[instructor, student] = await Promise.all([newPerson(browser, app), newPerson(browser, app)]);

	const a = instructor.page;
	await signUp(a, { name: 'Hana Host', email: uniqueEmail('hana') });
	await visit(a, '/courses/new');
	await a.getByLabel('Title').fill('Hostile Files Seminar');
	await a.getByLabel('Time zone').fill('Europe/Berlin');
	await a.getByRole('button', { name: 'Create course' }).click();
	await a.getByRole('heading', { name: 'Hostile Files Seminar', level: 1 }).waitFor();
	courseId = courseIdOf(a);
	await visit(a, `/courses/${courseId}/lectures/new`);
	await a.getByLabel('Title', { exact: true }).fill('Robustness');
	// Far ahead, so that reports are on time and the deck is a draft.
	await a.getByLabel('Start (Europe/Berlin)').fill('2030-12-02T16:00');
	await a.getByLabel('End (Europe/Berlin)').fill('2030-12-02T18:00');
	await a.getByRole('button', { name: 'Add lecture' }).click();
	await a.getByRole('heading', { name: 'Lecture 1: Robustness' }).waitFor();
	lecture = new URL(a.url()).pathname;

	await visit(a, `${lecture}/mini-project`);
	await a.getByLabel('Title', { exact: true }).fill('Fuzzing a parser');
	await a.getByLabel('Description').fill('Break a PDF parser and report how.');
	await a.getByLabel('Points a report is worth').fill('10');
	await submit(a, a.getByRole('button', { name: 'Publish mini-project' }));
	await a.getByRole('heading', { name: 'Mini-project: Fuzzing a parser' }).waitFor();

	await visit(a, `/courses/${courseId}/settings`);
	const code = (await a.getByLabel('Join code').textContent())?.trim() ?? '';
	const s = student.page;
	await signUp(s, { name: 'Sam Student', email: uniqueEmail('sam') });
	await visit(s, '/join');
	await s.getByLabel('Join code').fill(code);
	await s.getByRole('button', { name: 'Join' }).click();
	await s.getByRole('heading', { name: 'Hostile Files Seminar', level: 1 }).waitFor();
	const cookie = (await student.context.cookies()).find((c) => c.name === 'podium_session');
	studentCookie = `podium_session=${cookie?.value}`;
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	console.log(
		`[hostile-files] slowest course page during a hostile upload: ${Math.round(slowest)} ms ` +
			JSON.stringify(slowestBy)
	);
	console.log(`[hostile-files] paper uploads answered in (ms): ${JSON.stringify(answeredIn)}`);
});

/**
 * Runs `work` while the student GETs the course page every 100 ms; fails if one of those
 * requests fails or takes longer than MAX_LATENCY_MS.
 */
async function meanwhile<T>(label: string, work: () => Promise<T>): Promise<T> {
	let done = false;
	let max = 0;
	let count = 0;
	const probe = (async () => {
		while (!done) {
			const started = performance.now();
			const response = await fetch(`${app.url}/courses/${courseId}`, {
				headers: { cookie: studentCookie },
				signal: AbortSignal.timeout(10_000)
			});
			await response.text();
			expect(response.status).toBe(200);
			max = Math.max(max, performance.now() - started);
			count++;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	})();
	try {
		return await work();
	} finally {
		done = true;
		await probe;
		slowestBy[label] = Math.round(max);
		slowest = Math.max(slowest, max);
		expect(count, label).toBeGreaterThan(0);
		expect(max, label).toBeLessThan(MAX_LATENCY_MS);
	}
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const megabytes = (n: number) => Math.round(n * 1024 * 1024);
const REUPLOAD = 'Export or save it as PDF again and upload the new file.';
const SMALLER = 'Upload a smaller PDF (e.g. without embedded high-resolution images).';
const DAMAGED = `This PDF is damaged or incomplete and cannot be read. ${REUPLOAD}`;
const NOT_PDF = 'This file is not a PDF. Save or export it as PDF and upload it again.';
const ENCRYPTED = 'This file is password-protected. Remove the password and upload it again.';
const TOO_MANY_PAGES =
	'This PDF has 50000 pages; at most 1000 are allowed. Upload the part the class needs to read.';
const TOO_LARGE = `This file is ${MAX_UPLOAD_MB + 0.5} MB; the limit is ${MAX_UPLOAD_MB} MB. ${SMALLER}`;
const TOO_MANY_BRACKETS =
	'This file holds more objects and lists than an export of 5,000 annotations can.';
const OVER_BODY_LIMIT = `This file is larger than the upload limit; PDFs can be at most ${MAX_UPLOAD_MB} MB. ${SMALLER}`;

type Hostile = [
	label: string,
	file: () => Promise<PickedFile> | PickedFile,
	message: string | RegExp
];

const pdf = (bytes: Uint8Array, name = 'paper.pdf'): PickedFile => ({ name, bytes });

const HOSTILE_PDFS: Hostile[] = [
	['random bytes behind a PDF header', () => pdf(garbagePdf()), DAMAGED],
	['a password-protected PDF', () => pdf(encryptedPdf()), ENCRYPTED],
	['a PNG that claims to be a PDF', () => pdf(pngFile()), NOT_PDF],
	['a PDF of 50 000 pages', () => pdf(manyPagesPdf(50_000)), TOO_MANY_PAGES],
	[
		'a decompression bomb (2 MB inflating to 2 GB)',
		() => pdf(inflationBombPdf(2048)),
		// Stopped by its memory budget, or on a slow machine by the time limit first.
		new RegExp(
			'^(This PDF is too complex to read with the memory allowed|Reading this PDF took ' +
				`longer than ${PARSE_TIMEOUT_MS / 1000} s; it may be damaged or unusually complex)\\. ` +
				escapeRegExp(REUPLOAD) +
				'$'
		)
	],
	['a PDF over the size limit', () => pdf(garbagePdf(megabytes(MAX_UPLOAD_MB + 0.5))), TOO_LARGE],
	[
		'a PDF over the server body limit',
		() => pdf(garbagePdf(megabytes(BODY_LIMIT_MB + 1))),
		OVER_BODY_LIMIT
	]
];

/** Rows of the tables that hold what uploads store, read from the stopped server's folder. */
async function storedRows(dataDir: string): Promise<Record<string, number>> {
	rmSync(path.join(dataDir, 'podium.lock'), { force: true });
	const db = await PGlite.create(path.join(dataDir, 'pglite'));
	try {
		const counts: Record<string, number> = {};
		for (const table of [
			'files',
			'papers',
			'paper_pages',
			'mini_project_submissions',
			'deck_images',
			'annotations'
		]) {
			const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
			counts[table] = rows[0].n;
		}
		return counts;
	} finally {
		await db.close();
	}
}

describe('paper upload on the lecture page', () => {
	test.each(HOSTILE_PDFS)('%s is refused with its message', async (label, file, message) => {
		const page = instructor.page;
		await visit(page, lecture);
		const picked = await file();
		const field = await paperUploadField(page);
		await field.setInputFiles({
			name: picked.name,
			mimeType: 'application/pdf',
			buffer: Buffer.from(picked.bytes)
		});
		const started = performance.now();
		await meanwhile(`paper: ${label}`, () =>
			Promise.all([
				// A bomb takes a while: until the parse has used its memory or its time.
				page.waitForResponse((r) => r.request().method() === 'POST', {
					timeout: PARSE_TIMEOUT_MS + 15_000
				}),
				page.getByRole('button', { name: 'Upload paper' }).click()
			])
		);
		answeredIn[label] = Math.round(performance.now() - started);
		await eventually(() => description(field)).toMatch(message);
		expect(await page.getByRole('alert').textContent()).toMatch(message);
		expect(new URL(page.url()).pathname).toBe(lecture);
		await reload(page);
		expect(await page.getByRole('region', { name: 'Readings' }).textContent()).toContain(
			'No readings yet.'
		);
	});

	test('a PDF carrying scripts is stored as a document; its scripts never run', async () => {
		const page = instructor.page;
		const dialogs: string[] = [];
		page.on('dialog', (dialog) => {
			dialogs.push(dialog.message());
			void dialog.dismiss();
		});
		await visit(page, lecture);
		await uploadPaperFile(page, pdf(scriptedPdf(), 'scripted.pdf'));
		await page.waitForURL(/\/papers\/[a-z0-9]+$/);
		await pdfLoaded(page);
		expect(await page.locator('.textLayer').first().textContent()).toContain(
			'A document with scripts'
		);
		// Neither the open action nor the javascript: link becomes something that runs.
		expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
		await page.waitForTimeout(300);
		expect(dialogs).toEqual([]);
	});
});

describe('annotation import on the paper page', () => {
	const annotation = (i: number) => ({
		'@context': 'http://www.w3.org/ns/anno.jsonld',
		type: 'Annotation',
		id: `urn:x:${i}`,
		body: { type: 'TextualBody', value: `Note ${i}`, format: 'text/markdown' },
		target: {
			source: 'urn:x:paper',
			selector: { type: 'TextQuoteSelector', exact: 'A document with scripts' }
		}
	});
	const json = (text: string, name = 'annotations.json'): PickedFile => ({
		name,
		bytes: new TextEncoder().encode(text),
		mimeType: 'application/json'
	});
	const imports: Hostile[] = [
		[
			'a file that is not JSON',
			() => json('{"@context": "http://www.w3.org/ns/anno.jsonld", "items": [{"ty'),
			'This file is not JSON; export annotations as W3C JSON-LD.'
		],
		[
			'JSON nested a million deep',
			() => json('['.repeat(1_000_000) + ']'.repeat(1_000_000)),
			TOO_MANY_BRACKETS
		],
		['a million empty objects', () => json(`[${'{},'.repeat(999_999)}{}]`), TOO_MANY_BRACKETS],
		[
			'6,000 annotations',
			() => json(JSON.stringify(Array.from({ length: 6000 }, (_, i) => annotation(i)))),
			'The file holds 6,000 annotations; import at most 5,000 at once.'
		],
		[
			'a file over the server body limit',
			() => json(' '.repeat(megabytes(BODY_LIMIT_MB + 1))),
			'The file is larger than the upload limit; annotation files can be at most 20 MB.'
		]
	];

	test.each(imports)('%s is refused with its message', async (label, file, message) => {
		const page = instructor.page;
		if (!page.url().includes('/papers/')) throw new Error('The scripted paper was not stored.');
		const picked = await file();
		await reload(page);
		await page.getByLabel('Annotation file to import').setInputFiles({
			name: picked.name,
			mimeType: picked.mimeType ?? 'application/json',
			buffer: Buffer.from(picked.bytes)
		});
		await meanwhile(`import: ${label}`, () =>
			submit(page, page.getByRole('button', { name: 'Import annotations' }))
		);
		await eventually(() => page.getByRole('alert').textContent()).toMatch(message);
	});
});

describe('mini-project report upload', () => {
	const reports: Hostile[] = [
		['a PNG that claims to be a PDF', () => pdf(pngFile(), 'report.pdf'), NOT_PDF],
		['a PDF of 50 000 pages', () => pdf(manyPagesPdf(50_000), 'report.pdf'), TOO_MANY_PAGES],
		[
			'a PDF over the server body limit',
			() => pdf(garbagePdf(megabytes(BODY_LIMIT_MB + 1)), 'report.pdf'),
			OVER_BODY_LIMIT
		]
	];

	test.each(reports)('%s is refused with its message', async (label, file, message) => {
		const page = student.page;
		await visit(page, `${lecture}/mini-project`);
		const picked = await file();
		const field = page.getByLabel('Report (PDF, 1–2 pages)');
		await field.setInputFiles({
			name: picked.name,
			mimeType: 'application/pdf',
			buffer: Buffer.from(picked.bytes)
		});
		await meanwhile(`report: ${label}`, () =>
			submit(page, page.getByRole('button', { name: 'Upload report' }))
		);
		await eventually(() => description(field)).toMatch(message);
		await reload(page);
		expect(await page.getByRole('link', { name: /^Version \d/ }).count()).toBe(0);
	});
});

describe('deck images', () => {
	let page: Page;
	const picker = () => page.getByLabel('Add an image');
	const svg = new TextEncoder().encode(
		'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
	);
	/** A PNG header that claims 100 000 × 100 000 pixels (a pixel bomb to any decoder). */
	const pixelBomb = () => {
		const png = Buffer.from(pngImage(1, 1));
		png.writeUInt32BE(100_000, 16);
		png.writeUInt32BE(100_000, 20);
		return new Uint8Array(png);
	};
	const images: [string, PickedFile, string][] = [
		[
			'text named .png',
			{ name: 'notes.png', bytes: textFile() },
			'notes.png: This file is not a PNG, JPEG, GIF or WebP image.'
		],
		[
			'an SVG with a script named .png',
			{ name: 'drawing.png', bytes: svg },
			'drawing.png: SVG images are not accepted because they can contain scripts; export the drawing as PNG.'
		],
		[
			'a PNG claiming 100 000 × 100 000 pixels',
			{ name: 'huge.png', bytes: pixelBomb() },
			'huge.png: The image is 100000 × 100000 pixels; images can be at most 8000 pixels on a side.'
		],
		[
			'a PDF named .gif',
			{ name: 'anim.gif', bytes: garbagePdf(2000) },
			'anim.gif: This file is not a PNG, JPEG, GIF or WebP image.'
		]
	];

	beforeAll(async () => {
		page = instructor.page;
		await visit(page, `${lecture}/deck`);
		await picker().waitFor({ state: 'attached' });
	});

	test.each(images)('%s is refused with its message', async (label, file, message) => {
		await meanwhile(`image: ${label}`, async () => {
			await picker().setInputFiles({
				name: file.name,
				mimeType: 'image/png',
				buffer: Buffer.from(file.bytes)
			});
			await eventually(() => page.getByRole('alert').textContent()).toContain(message);
		});
	});

	test('an image over the size limit is refused before and after sending', async () => {
		await picker().setInputFiles({
			name: 'poster.png',
			mimeType: 'image/png',
			buffer: Buffer.alloc(megabytes(6))
		});
		await eventually(() => page.getByRole('alert').textContent()).toContain(
			'poster.png: The image is 6.0 MB; images can be at most 5.0 MB.'
		);
		// Sent anyway, past the editor's check, and past the server's body limit too.
		const answer = await meanwhile('image: over the body limit', () =>
			page.evaluate(
				async ({ url, size }) => {
					const body = new FormData();
					body.append('file', new File([new Uint8Array(size)], 'poster.png'));
					const response = await fetch(url, { method: 'POST', body });
					return { status: response.status, body: await response.json() };
				},
				{ url: `${lecture}/deck/images`, size: megabytes(Math.max(6, BODY_LIMIT_MB + 1)) }
			)
		);
		expect(answer.status).toBe(400);
		expect(answer.body.message).toMatch(/^The image is 6\.0 MB; images can be at most 5\.0 MB/);
	});
});

test('nothing hostile was stored, and the server is still up', async () => {
	const health = await fetch(`${app.url}/health`);
	expect(health.status).toBe(200);
	expect(app.server.hasExited).toBe(false);
	expect(instructor.pageErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
	expect(student.pageErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);

	await app.server.stop();
	// The scripted paper is the only file: one paper of one page, nothing else.
	expect(await storedRows(app.dataDir)).toEqual({
		files: 1,
		papers: 1,
		paper_pages: 1,
		mini_project_submissions: 0,
		deck_images: 0,
		annotations: 0
	});
});
