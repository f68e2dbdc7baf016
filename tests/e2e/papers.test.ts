import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makePaperPdf, type PaperSpec } from '$lib/server/demo/pdf';
import {
	courseIdOf,
	courseNav,
	dragMouse,
	eventually,
	goToPdfPage,
	launchBrowser,
	newPerson,
	pdfLoaded,
	pdfPage,
	readingTitles,
	reload,
	scriptSrc,
	selectPdfText,
	signIn,
	signUp,
	startApp,
	submit,
	thread,
	uniqueEmail,
	ready,
	visit,
	type App,
	type Person,
	DEMO_PASSWORD,
	DEMO_COURSE
} from './harness';

let app: App;
let browser: Browser;

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

const INSTRUCTOR = { email: 'instructor@example.org', password: DEMO_PASSWORD };
const INSTRUCTOR_NAME = 'Dr. Mira Castellanos';
const STUDENT_NAME = 'Noor Student';
const LECTURE = 'Lecture 2: Reducing memory footprint II';

const introduction = Array.from(
	{ length: 26 },
	(_, i) =>
		`Paragraph ${i + 1} of the introduction explains why activation memory dominates training of long sequences and how recomputation trades compute for memory in every layer.`
);

/** Three pages; the Method section, with words found nowhere else, is on page 2. */
const PAPER: PaperSpec = {
	title: 'Lazy Quokkas: Recomputation Without Regret',
	authors: ['Ada Lovelace', 'Grace Hopper'],
	venue: 'MLSys 2025',
	year: 2025,
	sections: [
		{
			heading: 'Abstract',
			paragraphs: ['We study when to recompute activations instead of storing them.']
		},
		{ heading: 'Introduction', paragraphs: introduction },
		{
			heading: 'Method',
			paragraphs: [
				'Quokka checkpoints wander across the tessellated meadow of layers. Each marsupial stores only the boundary activations and recomputes the rest on demand.',
				'Zephyrine schedules keep peak memory flat while the backward pass walks the meadow in reverse.'
			]
		}
	],
	figures: [
		{ caption: 'Peak memory of quokka checkpointing versus storing all.', afterSection: 0 }
	],
	pageCount: 3
};

const COMMENT = 'Why does the **wallaby** schedule beat _uniform_ checkpoints?';
const REPLY = 'Because the boundary activations are cheap to keep.';
const REGION_COMMENT = 'The figure needs error bars for the kangaroo runs.';
const PRIVATE_COMMENT = 'Marmalade note to self: compare with Chen et al.';

/** Marks the current document; `sameDocument` is true until the page is reloaded. */
async function markDocument(page: Page) {
	await page.evaluate(() => ((window as unknown as { podiumMark?: boolean }).podiumMark = true));
}
function sameDocument(page: Page): Promise<boolean> {
	return page.evaluate(() => (window as unknown as { podiumMark?: boolean }).podiumMark === true);
}

/** The number in the sidebar's heading "Annotations (n)". */
async function annotationCount(page: Page): Promise<number> {
	const heading = page.getByRole('heading', { name: /^Annotations \(\d+\)$/ });
	return Number(/\((\d+)\)/.exec((await heading.textContent()) ?? '')?.[1]);
}

/** The W3C export as the person's browser downloads it from the paper page. */
async function downloadExport(page: Page): Promise<Record<string, unknown>> {
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download the annotations you can see' }).click()
	]);
	const stream = await download.createReadStream();
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

interface ExportedAnnotation {
	id: string;
	type: string;
	motivation: string;
	target: unknown;
	body: { type: string; value: string; purpose: string }[];
}

/** Checks the collection's structure and returns its annotations. */
function annotationsOf(collection: Record<string, unknown>): ExportedAnnotation[] {
	expect(collection['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
	expect(collection.type).toBe('AnnotationCollection');
	const first = collection.first as { type: string; items: ExportedAnnotation[] };
	expect(first.type).toBe('AnnotationPage');
	expect(collection.total).toBe(first.items.length);
	for (const item of first.items) {
		expect(item.id).toMatch(/#annotation-[a-z0-9]+$/);
		expect(item.type).toBe('Annotation');
		expect(item.target).toBeTruthy();
		expect(Array.isArray(item.body) && item.body.length > 0).toBe(true);
	}
	return first.items;
}

/** The comment of an exported annotation (its body that is not a tag). */
function commentOf(item: ExportedAnnotation): string {
	return item.body.find((b) => b.purpose !== 'tagging')?.value ?? '';
}

describe('papers and annotations', () => {
	let instructor: Person;
	let student: Person;
	let courseId: string;
	let paperUrl: string;
	let textId: string;
	let regionId: string;

	test('an instructor uploads a PDF on the lecture page and lands on the paper', async () => {
		instructor = await newPerson(browser, app);
		const a = instructor.page;
		await signIn(a, INSTRUCTOR);
		await a.getByRole('link', { name: DEMO_COURSE }).click();
		await a.getByRole('heading', { name: DEMO_COURSE, level: 1 }).waitFor();
		courseId = courseIdOf(a);
		await courseNav(a, 'Schedule').click();
		await a.getByRole('link', { name: LECTURE }).click();
		await a.getByRole('heading', { name: LECTURE, level: 1 }).waitFor();
		const readingsBefore = await readingTitles(a);
		expect(readingsBefore).not.toContain(PAPER.title);

		// The answer is held back until the progress has been seen.
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		await a.route(
			(url) => url.search.includes('/uploadPaper'),
			async (route) => {
				const response = await route.fetch();
				await held;
				await route.fulfill({ response });
			}
		);
		const bytes = await makePaperPdf(PAPER);
		const field = a.getByLabel('PDF of the paper');
		await a.getByText('Upload a paper (PDF)').click();
		await field.setInputFiles({
			name: 'draft-v3.pdf',
			mimeType: 'application/pdf',
			buffer: Buffer.from(bytes)
		});
		await a.getByRole('button', { name: 'Upload paper' }).click();
		await a.getByRole('progressbar', { name: 'Uploading' }).waitFor();
		expect(await a.getByRole('button', { name: 'Upload paper' }).isDisabled()).toBe(true);
		release();
		await a.waitForURL(/\/papers\/[a-z0-9]+$/);
		await a.unroute((url) => url.search.includes('/uploadPaper'));
		paperUrl = new URL(a.url()).pathname;

		// Title, authors, venue and year come from the PDF, not from the file's name.
		await a.getByRole('heading', { name: PAPER.title, level: 1 }).waitFor();
		expect(await a.getByRole('main').textContent()).toContain(
			'Ada Lovelace, Grace Hopper · MLSys 2025 · 2025'
		);
		await a.getByText("Edit the paper's details").click();
		expect(await a.getByLabel('Title', { exact: true }).inputValue()).toBe(PAPER.title);
		expect(await a.getByLabel('Authors').inputValue()).toBe('Ada Lovelace, Grace Hopper');
		expect(await a.getByLabel('Year').inputValue()).toBe('2025');
		await pdfLoaded(a);
		expect(await a.getByRole('group', { name: 'Pages' }).textContent()).toContain('of 3');

		// The lecture lists it as a reading with its page count.
		await a.getByRole('link', { name: LECTURE }).click();
		await a.getByRole('heading', { name: LECTURE, level: 1 }).waitFor();
		expect(await readingTitles(a)).toEqual([...readingsBefore, PAPER.title]);
		expect(await a.getByRole('region', { name: 'Readings' }).textContent()).toContain(
			'(3 pages, read and annotate)'
		);
	});

	test('a student joins with the code and opens the paper', async () => {
		const a = instructor.page;
		await visit(a, `/courses/${courseId}/settings`);
		const joinCode = (await a.getByLabel('Join code').textContent())?.trim() ?? '';
		expect(joinCode).not.toBe('');

		student = await newPerson(browser, app);
		const b = student.page;
		await signUp(b, { name: STUDENT_NAME, email: uniqueEmail('noor') });
		await visit(b, '/join');
		await b.getByLabel('Join code').fill(joinCode);
		await b.getByRole('button', { name: 'Join' }).click();
		await b.getByRole('heading', { name: DEMO_COURSE, level: 1 }).waitFor();
		await courseNav(b, 'Schedule').click();
		await b.getByRole('link', { name: LECTURE }).click();
		await b.getByRole('link', { name: PAPER.title }).click();
		await b.getByRole('heading', { name: PAPER.title, level: 1 }).waitFor();
		expect(new URL(b.url()).pathname).toBe(paperUrl);
		await ready(b);
		await pdfLoaded(b);
		expect(await annotationCount(b)).toBe(0);
		// Students do not edit the paper's details.
		expect(await b.getByText("Edit the paper's details").count()).toBe(0);

		await visit(a, paperUrl);
		await pdfLoaded(a);
	});

	test('an annotation on selected text reaches the student live, and the reply comes back', async () => {
		const a = instructor.page;
		const b = student.page;
		await markDocument(a);
		await markDocument(b);

		// The instructor drags over a passage of page 2.
		await selectPdfText(a, 2, 'tessellated', 'activations');
		const composer = a.getByRole('region', { name: 'New annotation' });
		await composer.waitFor();
		const quote = (await composer.locator('blockquote').textContent()) ?? '';
		expect(quote.replace(/\s+/g, ' ').trim()).toMatch(
			/^tessellated meadow of layers\. Each marsupial .*activations$/
		);
		expect(await composer.textContent()).toContain('Page 2');
		await composer.getByLabel('Comment').fill(COMMENT);
		await composer.getByRole('checkbox', { name: 'question' }).check();
		await submit(a, composer.getByRole('button', { name: 'Post annotation' }));
		await composer.waitFor({ state: 'detached' });
		const mine = thread(a, /tessellated meadow/);
		await mine.waitFor();
		textId = ((await mine.getAttribute('id')) ?? '').replace(/^annotation-/, '');
		expect(textId).not.toBe('');

		// The student sees it without reloading, its Markdown rendered and its tag listed.
		const theirs = thread(b, /tessellated meadow/);
		await theirs.waitFor({ timeout: 5000 });
		expect(await theirs.locator('strong', { hasText: 'wallaby' }).count()).toBe(1);
		expect(await theirs.locator('em', { hasText: 'uniform' }).count()).toBe(1);
		expect(await theirs.getByRole('list', { name: 'Tags' }).textContent()).toContain('question');
		expect(await theirs.textContent()).toContain(INSTRUCTOR_NAME);
		expect(await sameDocument(b)).toBe(true);

		// The student's own note, for nobody else.
		await selectPdfText(b, 2, 'Zephyrine', 'flat');
		const own = b.getByRole('region', { name: 'New annotation' });
		await own.waitFor();
		expect((await own.locator('blockquote').textContent())?.replace(/\s+/g, ' ').trim()).toBe(
			'Zephyrine schedules keep peak memory flat'
		);
		await own.getByLabel('Comment').fill(PRIVATE_COMMENT);
		await own.getByLabel('Who can see it').selectOption({ label: 'Only me' });
		await submit(b, own.getByRole('button', { name: 'Post annotation' }));
		const privateThread = thread(b, /Zephyrine schedules/);
		await privateThread.waitFor();
		expect(await privateThread.textContent()).toContain('Only me');

		// The student replies and finds the annotation helpful.
		await theirs.getByRole('button', { name: 'Reply to this annotation' }).click();
		await theirs.getByLabel('Your reply').fill(REPLY);
		await submit(b, theirs.getByRole('button', { name: 'Post reply' }));
		await theirs.getByRole('list', { name: 'Replies' }).getByText(REPLY).waitFor();
		const helpful = theirs.getByRole('button', { name: /^Helpful \(\d+\)$/ });
		expect(await helpful.textContent()).toBe('Helpful (0)');
		await submit(b, helpful);
		await eventually(() => helpful.textContent()).toBe('Helpful (1)');
		expect(await helpful.getAttribute('aria-pressed')).toBe('true');

		// Both reach the instructor's open page live; the private note does not.
		await mine.getByRole('list', { name: 'Replies' }).getByText(REPLY).waitFor({ timeout: 5000 });
		await mine.getByText('1 found this helpful').waitFor({ timeout: 5000 });
		expect(await sameDocument(a)).toBe(true);
		expect(await sameDocument(b)).toBe(true);
		expect(await annotationCount(a)).toBe(1);
		expect(
			await a.getByRole('complementary', { name: /^Annotations/ }).textContent()
		).not.toContain('Marmalade');
	});

	test('a region drawn over the figure is annotated as "Region on page 1"', async () => {
		const a = instructor.page;
		const b = student.page;
		await goToPdfPage(a, 1);
		const caption = pdfPage(a, 1).locator('.textLayer span', { hasText: 'Figure 1:' }).first();
		await caption.scrollIntoViewIfNeeded();
		await caption.evaluate((span) => span.scrollIntoView({ block: 'center' }));
		const [captionBox, pageBox] = await Promise.all([
			caption.boundingBox(),
			pdfPage(a, 1).boundingBox()
		]);
		if (!captionBox || !pageBox) throw new Error('The figure of page 1 is not shown.');
		// The figure is the 110 pt high frame right above its caption.
		const scale = pageBox.width / 612;

		const toggle = a.getByRole('button', { name: 'Select a figure or table' });
		await toggle.click();
		expect(await toggle.getAttribute('aria-pressed')).toBe('true');
		await dragMouse(
			a,
			{ x: captionBox.x + 10 * scale, y: captionBox.y - 100 * scale },
			{ x: captionBox.x + 200 * scale, y: captionBox.y - 20 * scale }
		);
		const composer = a.getByRole('region', { name: 'New annotation' });
		await composer.waitFor();
		expect(await composer.textContent()).toContain('Region on page 1');
		expect(await toggle.getAttribute('aria-pressed')).toBe('false');
		await composer.getByLabel('Comment').fill(REGION_COMMENT);
		await composer.getByRole('checkbox', { name: 'weakness' }).check();
		await submit(a, composer.getByRole('button', { name: 'Post annotation' }));
		const region = thread(a, /Region on page 1/);
		await region.waitFor();
		expect(await region.textContent()).toContain(REGION_COMMENT);
		regionId = ((await region.getAttribute('id')) ?? '').replace(/^annotation-/, '');
		const highlight = pdfPage(a, 1).locator(`.pv-highlights [data-highlight-id="${regionId}"]`);
		await highlight.waitFor({ state: 'attached' });
		expect(await highlight.getAttribute('aria-label')).toBe(`Annotation by ${INSTRUCTOR_NAME}`);
		// The rectangle covers the figure: about 190 x 80 points of the 612 x 792 page. The
		// layer is redrawn when live updates arrive, so measure the element present then.
		await expect
			.poll(async () => ((await highlight.boundingBox())?.width ?? 0) / scale, { timeout: 5000 })
			.toBeGreaterThan(170);
		await expect
			.poll(async () => ((await highlight.boundingBox())?.height ?? 0) / scale, { timeout: 5000 })
			.toBeGreaterThan(60);

		await thread(b, /Region on page 1/).waitFor({ timeout: 5000 });
	});

	test('after a reload every annotation is listed and highlighted, none orphaned', async () => {
		for (const [person, expected] of [
			[instructor, 2],
			[student, 3]
		] as const) {
			const page = person.page;
			await reload(page);
			await pdfLoaded(page);
			await eventually(() => annotationCount(page)).toBe(expected);
			const sidebar = page.getByRole('complementary', { name: /^Annotations/ });
			await eventually(() => sidebar.getByText(/shown$/).textContent()).toBe(`${expected} shown`);
			expect(await sidebar.getByRole('heading', { name: /Orphaned annotations/ }).count()).toBe(0);
			expect(await sidebar.getByText('no longer found in the paper').count()).toBe(0);

			// Each thread shows its highlight in the paper.
			const ids = await sidebar
				.getByRole('article')
				.evaluateAll((articles) => articles.map((a) => a.id.replace(/^annotation-/, '')));
			expect(ids).toHaveLength(expected);
			expect(ids).toContain(textId);
			expect(ids).toContain(regionId);
			for (const id of ids) {
				await sidebar.locator(`#annotation-${id}`).getByRole('button').first().click();
				const highlight = page.locator(`.pv-highlights button[data-highlight-id="${id}"]`);
				await highlight.waitFor({ state: 'attached' });
				await eventually(() => highlight.getAttribute('aria-current')).toBe('true');
				expect(await highlight.getAttribute('aria-label')).toMatch(/^Annotation by /);
			}
			expect(new URL(page.url()).hash).toBe(`#annotation-${ids[ids.length - 1]}`);
		}
		const reply = thread(instructor.page, /tessellated meadow/).getByRole('list', {
			name: 'Replies'
		});
		expect(await reply.textContent()).toContain(REPLY);
		expect(await reply.textContent()).toContain(STUDENT_NAME);
	});

	test('the export is a W3C annotation collection of what each person may see', async () => {
		const mine = annotationsOf(await downloadExport(instructor.page));
		expect(mine.map(commentOf).sort()).toEqual([COMMENT, REGION_COMMENT, REPLY].sort());
		const text = mine.find((i) => commentOf(i) === COMMENT)!;
		expect(text.id).toBe(`${app.url}${paperUrl}#annotation-${textId}`);
		expect(text.motivation).toBe('commenting');
		expect(text.body).toContainEqual({
			type: 'TextualBody',
			value: 'question',
			purpose: 'tagging'
		});
		const target = text.target as { source: string; selector: { type: string; exact?: string }[] };
		expect(target.source).toMatch(new RegExp(`${paperUrl}/file/[0-9a-f]{64}$`));
		const quote = target.selector.find((s) => s.type === 'TextQuoteSelector');
		expect(quote?.exact?.replace(/\s+/g, ' ')).toMatch(
			/^tessellated meadow of layers\. Each marsupial/
		);
		expect(target.selector.some((s) => s.type === 'TextPositionSelector')).toBe(true);
		const reply = mine.find((i) => commentOf(i) === REPLY)!;
		expect(reply.motivation).toBe('replying');
		expect(reply.target).toBe(text.id);
		const region = mine.find((i) => commentOf(i) === REGION_COMMENT)!;
		expect(JSON.stringify(region.target)).toContain('FragmentSelector');
		expect(JSON.stringify(mine)).not.toContain('Marmalade');

		const theirs = annotationsOf(await downloadExport(student.page));
		expect(theirs.map(commentOf).sort()).toEqual(
			[COMMENT, REGION_COMMENT, REPLY, PRIVATE_COMMENT].sort()
		);
	});

	test('search finds a word of page 2 and a word of a comment, as each may see', async () => {
		const a = instructor.page;
		await courseNav(a, 'Search').click();
		const box = a.getByRole('searchbox', { name: 'Search papers and annotations' });
		await box.fill('tessellated');
		await a.getByRole('button', { name: 'Search' }).click();
		await a.waitForURL(/q=tessellated/);
		const inPapers = a.getByRole('region', { name: /^In the papers/ });
		expect(await inPapers.getByRole('link').allTextContents()).toEqual([`${PAPER.title}, page 2`]);

		await box.fill('wallaby');
		await a.getByRole('button', { name: 'Search' }).click();
		await a.waitForURL(/q=wallaby/);
		const inNotes = a.getByRole('region', { name: /^In annotations/ });
		await eventually(() => inNotes.getByRole('link').allTextContents()).toEqual([
			`${PAPER.title}, page 2`
		]);
		expect(await inNotes.getByRole('link').getAttribute('href')).toBe(
			`${paperUrl}#annotation-${textId}`
		);

		// The student's private note is found by the student only.
		await visit(a, `/courses/${courseId}/search?q=marmalade`);
		expect(await a.getByRole('region', { name: /^In annotations/ }).textContent()).toContain(
			'No annotation matches.'
		);
		await visit(student.page, `/courses/${courseId}/search?q=marmalade`);
		expect(
			await student.page
				.getByRole('region', { name: /^In annotations/ })
				.getByRole('link')
				.count()
		).toBe(1);
	});

	test('no page error and every HTML page had a CSP without inline script', async () => {
		for (const response of [...instructor.htmlResponses, ...student.htmlResponses]) {
			expect(scriptSrc(response.csp ?? ''), response.url).not.toContain('unsafe-inline');
		}
		expect([...instructor.pageErrors, ...student.pageErrors]).toEqual([]);
	});
});
