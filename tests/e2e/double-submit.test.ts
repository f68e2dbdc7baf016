import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
	courseIdOf,
	courseNav,
	eventually,
	launchBrowser,
	newPerson,
	pdfLoaded,
	reload,
	selectPdfText,
	signIn,
	startApp,
	thread,
	visit,
	type App,
	DEMO_PASSWORD,
	DEMO_COURSE
} from './harness';

// Two presenters saving one deck at the same moment, and forms sent twice: a double click
// before the first answer, and (without JavaScript) the same form body posted again.

let app: App;
let browser: Browser;

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

const demo = (name: string) => ({ email: `${name}@example.org`, password: DEMO_PASSWORD });
const LECTURE = 'Lecture 4: Parallelism II';
const QUOTE_FROM = 'Stage three';
const QUOTE_TO = 'half';

/** From the dashboard to lecture 4's page, as a person clicks; returns its path. */
async function openLecture(page: Page): Promise<string> {
	await page.getByRole('link', { name: DEMO_COURSE }).click();
	await courseNav(page, 'Schedule').click();
	await page.getByRole('link', { name: LECTURE }).click();
	await page.getByRole('heading', { name: LECTURE, level: 1 }).waitFor();
	return new URL(page.url()).pathname;
}

function deckEditor(page: Page): Locator {
	return page.getByRole('textbox', { name: 'Deck (reveal.js Markdown)' });
}

/** The deck editor's save status, once it is no longer saving. */
async function settledStatus(page: Page): Promise<string> {
	const status = page.getByRole('status').filter({ hasText: /revision|Saving|Unsaved|Not saved/ });
	await eventually(() => status.innerText()).not.toMatch(/^(Unsaved changes…|Saving…)$/);
	return status.innerText();
}

/** Counts the POSTs `page` sends to a form action while `act` runs. */
async function postsDuring(page: Page, action: string, act: () => Promise<void>) {
	let posts = 0;
	const listener = (request: { method(): string; url(): string }) => {
		if (request.method() === 'POST' && request.url().includes(action)) posts++;
	};
	page.on('request', listener);
	try {
		await act();
	} finally {
		page.off('request', listener);
	}
	return posts;
}

describe('concurrent edits and double submits', () => {
	let courseUrl: string;

	test('two presenters type in the same deck and save at the same moment: both edits stay', async () => {
		const [emil, farah] = await Promise.all([newPerson(browser, app), newPerson(browser, app)]);
		await Promise.all([signIn(emil.page, demo('emil')), signIn(farah.page, demo('farah'))]);
		await openLecture(emil.page);
		await emil.page.getByRole('link', { name: 'Slides of this lecture' }).click();
		await deckEditor(emil.page).waitFor();
		const deckPath = new URL(emil.page.url()).pathname;
		await Promise.all([reload(emil.page), visit(farah.page, deckPath)]);

		// Neither has saved yet: both start from the same text (revision 0).
		const start = await deckEditor(emil.page).inputValue();
		expect(await deckEditor(farah.page).inputValue()).toBe(start);
		expect(start).toContain('# Title of the talk');
		const emilText = `${start}\n---\n\n## Emil's slide on memory\n`;
		const farahText = start.replace('# Title of the talk', '# Sharding, explained');
		await deckEditor(emil.page).fill(emilText);
		await deckEditor(farah.page).fill(farahText);
		const saveNow = (page: Page) => page.getByRole('button', { name: 'Save now' }).click();
		await Promise.all([saveNow(emil.page), saveNow(farah.page)]);

		const statuses = await Promise.all([settledStatus(emil.page), settledStatus(farah.page)]);
		// One save came first; the other was merged into it, not refused or lost.
		expect(statuses.sort()).toEqual([
			'Saved (revision 1)',
			"Saved as revision 2, merged with your partner's changes."
		]);
		for (const page of [emil.page, farah.page]) {
			await reload(page);
			const text = await deckEditor(page).inputValue();
			expect(text).toContain("## Emil's slide on memory");
			expect(text).toContain('# Sharding, explained');
			expect(text).not.toContain('# Title of the talk');
			expect(await settledStatus(page)).toBe('Saved (revision 2)');
		}
		await Promise.all([emil.context.close(), farah.context.close()]);
	});

	test('a double click on "Post" sends one announcement', async () => {
		const staff = await newPerson(browser, app);
		const page = staff.page;
		await signIn(page, demo('instructor'));
		await page.getByRole('link', { name: DEMO_COURSE }).click();
		await page.waitForURL(/\/courses\/[a-z0-9]+$/);
		courseUrl = `/courses/${courseIdOf(page)}`;
		await reload(page);
		await page.getByText('Post an announcement').click();
		await page.getByLabel('Title').fill('Room change on Thursday');
		await page.getByLabel('Text').fill('We meet in **HS 2**.');
		const posts = await postsDuring(page, '?/postAnnouncement', async () => {
			await page.getByRole('button', { name: 'Post' }).dblclick();
			await page.getByRole('heading', { name: 'Room change on Thursday' }).waitFor();
		});
		// The button is disabled from the first click until the answer.
		expect(posts).toBe(1);
		await reload(page);
		expect(await page.getByRole('heading', { name: 'Room change on Thursday' }).count()).toBe(1);
		await staff.context.close();
	});

	test('the same announcement form posted twice without JavaScript creates one', async () => {
		const staff = await newPerson(browser, app, { javaScriptEnabled: false });
		const page = staff.page;
		await signIn(page, demo('ta'));
		await visit(page, courseUrl);
		await page.getByText('Post an announcement').click();
		await page.getByLabel('Title').fill('Slides are online');
		await page.getByLabel('Text').fill('See each lecture page.');
		// What the browser sends for this form, then sends again (a resend after a lost answer).
		const form = page.locator('form').filter({ has: page.getByLabel('Title') });
		const fields = {
			title: await page.getByLabel('Title').inputValue(),
			body: await page.getByLabel('Text').inputValue(),
			submission: await form.locator('input[name="submission"]').inputValue()
		};
		expect(fields.submission).toMatch(/^[a-z0-9]{32}$/);
		const send = () =>
			staff.context.request.post(`${app.url}${courseUrl}?/postAnnouncement`, {
				form: fields,
				headers: { origin: app.url, accept: 'text/html' },
				maxRedirects: 0
			});
		const [first, second] = await Promise.all([send(), send()]);
		const third = await send();
		for (const answer of [first, second, third]) {
			expect(answer.status()).toBe(303);
			expect(answer.headers().location).toBe(courseUrl);
		}
		await visit(page, courseUrl);
		expect(await page.getByRole('heading', { name: 'Slides are online' }).count()).toBe(1);

		// A new page view renders a new token: the same text posted from it is a new item.
		await page.getByText('Post an announcement').click();
		await page.getByLabel('Title').fill('Slides are online');
		await page.getByLabel('Text').fill('See each lecture page.');
		await page.getByRole('button', { name: 'Post' }).click();
		await page.waitForURL((url) => url.pathname === courseUrl);
		expect(await page.getByRole('heading', { name: 'Slides are online' }).count()).toBe(2);
		await staff.context.close();
	});

	test('a double click on "Post annotation" and on "Submit critique" makes one of each', async () => {
		const student = await newPerson(browser, app);
		const page = student.page;
		await signIn(page, demo('hana'));
		const lecturePath = await openLecture(page);
		await page.getByRole('link', { name: /^Study Notes: Sharding/ }).click();
		await pdfLoaded(page);
		await reload(page);
		await pdfLoaded(page);
		await selectPdfText(page, 1, QUOTE_FROM, QUOTE_TO);
		const composer = page.getByRole('region', { name: 'New annotation' });
		await composer.getByLabel('Comment').fill('Half again as much traffic: worth it?');
		await composer.getByRole('button', { name: 'Post annotation' }).dblclick();
		const mine = thread(page, /Stage three/).filter({
			hasText: 'Half again as much traffic: worth it?'
		});
		await mine.first().waitFor();
		await reload(page);
		await pdfLoaded(page);
		await mine.first().waitFor();
		expect(await mine.count()).toBe(1);

		await visit(page, lecturePath);
		await page.getByRole('link', { name: 'Critiques of this lecture' }).click();
		await page
			.getByRole('region', { name: 'Paper', exact: true })
			.getByRole('link', { name: 'Write your paper critique' })
			.click();
		await page.getByRole('heading', { name: 'Paper critique: Lecture 4', level: 1 }).waitFor();
		await reload(page);
		await page.getByLabel('Summary', { exact: true }).fill('Shards what data parallelism copies.');
		await page.getByLabel('Strengths', { exact: true }).fill('Memory falls with the ranks.');
		await page.getByLabel('Weaknesses', { exact: true }).fill('More communication.');
		for (const label of ['Soundness', 'Significance', 'Clarity', 'Confidence']) {
			await page.getByRole('group', { name: label }).getByLabel('3', { exact: true }).check();
		}
		await page.getByRole('button', { name: 'Submit critique' }).dblclick();
		await page.waitForURL(/\/critiques#critique-[a-z0-9]+$/);
		const critique = page.getByRole('article', { name: 'You' });
		await critique.waitFor();
		// A second submit would have made it version 2, shown as edited.
		expect(await critique.getByText('Edited').count()).toBe(0);
		await student.context.close();
	});
});
