import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
	courseNav,
	dragMouse,
	eventually,
	goToPdfPage,
	launchBrowser,
	newPerson,
	pdfPage,
	reload,
	signIn,
	startApp,
	submit,
	thread,
	visit,
	type App,
	type Person,
	DEMO_PASSWORD,
	DEMO_COURSE
} from './harness';
import { pngImage } from '../fixtures/images';

let app: App;
let browser: Browser;

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

const EMIL = { email: 'emil@example.org', password: DEMO_PASSWORD };
const JULIA = { email: 'julia@example.org', password: DEMO_PASSWORD };
const LECTURE = 'Lecture 4: Parallelism II';
const PAPER = 'Study Notes: Sharding Optimizer State, Gradients and Parameters';
const IMAGE_URL = /\/courses\/[a-z0-9]+\/lectures\/[a-z0-9]+\/deck\/images\/[0-9a-f]{64}/;

function editor(page: Page): Locator {
	return page.getByRole('textbox', { name: 'Deck (reveal.js Markdown)' });
}

function preview(page: Page): Locator {
	return page.getByRole('region', { name: 'Slide preview' });
}

async function typeAtEnd(page: Page, text: string): Promise<void> {
	await editor(page).focus();
	await page.keyboard.press('Control+End');
	await page.keyboard.type(text);
}

/** Drops files (name and bytes) onto the deck's field, as a drag from the desktop does. */
async function dropFiles(page: Page, files: { name: string; bytes: number[] | number }[]) {
	const transfer = await page.evaluateHandle((files) => {
		const data = new DataTransfer();
		for (const { name, bytes } of files) {
			// A number is a size: that many zero bytes, made here rather than sent over.
			const content = typeof bytes === 'number' ? new Uint8Array(bytes) : new Uint8Array(bytes);
			data.items.add(new File([content], name, { type: 'image/png' }));
		}
		return data;
	}, files);
	await editor(page).dispatchEvent('drop', { dataTransfer: transfer });
}

/** The natural width of the preview's images whose src matches, once they have loaded. */
function naturalWidths(page: Page, selector = 'img'): Promise<number[]> {
	return preview(page)
		.locator(selector)
		.evaluateAll((images: HTMLImageElement[]) =>
			images.filter((i) => i.complete).map((i) => i.naturalWidth)
		);
}

describe('deck images', () => {
	let emil: Person;
	let deckUrl: string;
	let imageUrl: string;

	test('images dropped on the editor are uploaded, inserted in order and shown', async () => {
		emil = await newPerson(browser, app);
		const a = emil.page;
		await signIn(a, EMIL);
		await a.getByRole('link', { name: DEMO_COURSE }).click();
		await courseNav(a, 'Schedule').click();
		await a.getByRole('link', { name: LECTURE }).click();
		await a.getByRole('link', { name: 'Slides of this lecture' }).click();
		await a.getByRole('heading', { name: 'Slides', level: 1 }).waitFor();
		deckUrl = new URL(a.url()).pathname;
		await reload(a);

		await typeAtEnd(a, '\n---\n\n## Measurements\n\n');
		await dropFiles(a, [
			{ name: 'throughput.png', bytes: Array.from(pngImage(320, 200, 10)) },
			{ name: 'memory.png', bytes: Array.from(pngImage(300, 100, 20)) }
		]);
		await eventually(() => editor(a).inputValue()).toMatch(/!\[memory\]/);
		const text = await editor(a).inputValue();
		const images = [...text.matchAll(/!\[(\w+)\]\(([^)]+)\)/g)].map((m) => [m[1], m[2]]);
		expect(images.map(([alt]) => alt)).toEqual(['throughput', 'memory']);
		for (const [, url] of images) expect(url).toMatch(new RegExp(`^${IMAGE_URL.source}$`));
		imageUrl = images[0][1];
		expect(text).toContain(`## Measurements\n\n\n\n![throughput](${imageUrl})\n\n![memory](`);
		await eventually(() => naturalWidths(a)).toEqual([320, 300]);
		await eventually(() => a.getByRole('status').filter({ hasText: /Saved/ }).count()).toBe(1);

		// Served by hash, cached for good, never sniffed into something else.
		const response = await a.request.get(imageUrl);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('image/png');
		expect(response.headers()['cache-control']).toBe('private, max-age=31536000, immutable');
		expect(response.headers()['x-content-type-options']).toBe('nosniff');
		expect(Buffer.from(await response.body())).toEqual(Buffer.from(pngImage(320, 200, 10)));
	});

	test('a classmate gets 404 for the images of a draft deck', async () => {
		const julia = await newPerson(browser, app);
		await signIn(julia.page, JULIA);
		expect((await julia.page.request.get(imageUrl)).status()).toBe(404);
		expect((await julia.page.request.get(deckUrl)).status()).toBe(404);
		await julia.context.close();
	});

	test('a file too large or not an image gets a message, and nothing is inserted', async () => {
		const a = emil.page;
		const before = await editor(a).inputValue();
		await dropFiles(a, [{ name: 'huge.png', bytes: 6 * 1024 * 1024 }]);
		const alert = a.getByRole('alert');
		await eventually(() => alert.textContent()).toMatch(
			/huge\.png: The image is 6\.0 MB; images can be at most 5\.0 MB/
		);
		await dropFiles(a, [{ name: 'notes.png', bytes: Array.from(Buffer.from('just some text')) }]);
		await eventually(() => alert.textContent()).toContain(
			'notes.png: This file is not a PNG, JPEG, GIF or WebP image.'
		);
		expect(await editor(a).inputValue()).toBe(before);
	});

	test('"Add an image" uploads a chosen file at the cursor', async () => {
		const a = emil.page;
		await typeAtEnd(a, '\n\n');
		await a.getByLabel('Add an image').setInputFiles({
			name: 'latency chart.png',
			mimeType: 'image/png',
			buffer: Buffer.from(pngImage(64, 48, 30))
		});
		await eventually(() => editor(a).inputValue()).toMatch(
			new RegExp(`!\\[latency chart\\]\\(${IMAGE_URL.source}\\)\\n*$`)
		);
		expect(await a.getByRole('alert').count()).toBe(0);
	});

	test('a region annotation goes in as a sharp figure crop of the paper', async () => {
		const a = emil.page;
		await visit(a, deckUrl.replace(/\/deck$/, ''));
		await a.getByRole('link', { name: PAPER }).click();
		await goToPdfPage(a, 1);
		const page = pdfPage(a, 1);
		await page.evaluate((element) => element.scrollIntoView({ block: 'start' }));
		const box = await page.boundingBox();
		if (!box) throw new Error('Page 1 is not shown.');
		const scale = box.width / 612;
		await a.getByRole('button', { name: 'Select a figure or table' }).click();
		// A 200 × 80 point region near the top of the page.
		await dragMouse(
			a,
			{ x: box.x + 60 * scale, y: box.y + 60 * scale },
			{ x: box.x + 260 * scale, y: box.y + 140 * scale }
		);
		const composer = a.getByRole('region', { name: 'New annotation' });
		await composer.getByLabel('Comment').fill('The layout of the shards');
		await submit(a, composer.getByRole('button', { name: 'Post annotation' }));
		const region = thread(a, /Region on page 1/);
		await region.waitFor();
		const annotationId = ((await region.getAttribute('id')) ?? '').replace(/^annotation-/, '');

		await visit(a, deckUrl);
		await typeAtEnd(a, '\n---\n\n## The shards\n\n');
		await a
			.getByRole('region', { name: 'Cite the papers' })
			.getByRole('button', { name: 'Insert figure of “Figure region, page 1”' })
			.click();
		await eventually(() => editor(a).inputValue()).toContain(
			`![${PAPER}, p. 1](podium:figure/${annotationId})`
		);
		const figure = 'a.citation-figure img';
		await eventually(() => naturalWidths(a, figure)).toHaveLength(1);
		expect((await naturalWidths(a, figure))[0]).toBeGreaterThanOrEqual(1000);
		expect(await preview(a).locator(figure).getAttribute('src')).toMatch(IMAGE_URL);

		// After a reload the crop comes from the server.
		await eventually(() => a.getByRole('status').filter({ hasText: /Saved/ }).count()).toBe(1);
		await reload(a);
		await editor(a).focus();
		await a.keyboard.press('Control+End');
		await a.keyboard.press('ArrowUp');
		await eventually(() => naturalWidths(a, figure)).toHaveLength(1);
		// The refused upload of notes.png is the only failed request.
		expect(emil.pageErrors.filter((e) => !/status of 400 \(Bad Request\)$/.test(e))).toEqual([]);
	});
});
