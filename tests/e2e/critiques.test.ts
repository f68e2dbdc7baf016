import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
	courseNav,
	eventually,
	launchBrowser,
	newPerson,
	reload,
	signIn,
	startApp,
	submit,
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

const JULIA = { email: 'julia@example.org', password: DEMO_PASSWORD };
const IVAN = { email: 'ivan@example.org', password: DEMO_PASSWORD };
// Emil and Farah present lecture 4, which is still ahead: its paper critiques are open.
const EMIL = { email: 'emil@example.org', password: DEMO_PASSWORD };
const LECTURE = 'Lecture 4: Parallelism II';
const PAPER = 'Study Notes: Sharding Optimizer State, Gradients and Parameters';
const QUOTE = 'Stage three increases it by about half';

/** Signs in and opens lecture 4's critiques page through the links a person follows. */
async function openCritiques(page: Page): Promise<void> {
	await page.getByRole('link', { name: DEMO_COURSE }).click();
	await courseNav(page, 'Schedule').click();
	await page.getByRole('link', { name: LECTURE }).click();
	await page.getByRole('heading', { name: LECTURE, level: 1 }).waitFor();
	expect(await page.getByText(/Paper critique due \w{3} \d+ \w{3} \d{4}, 16:00/).count()).toBe(1);
	await page.getByRole('link', { name: 'Critiques of this lecture' }).click();
	await page.getByRole('heading', { name: 'Critiques', level: 1 }).waitFor();
	await reload(page);
}

function paperSection(page: Page): Locator {
	return page.getByRole('region', { name: 'Paper', exact: true });
}

/** The status line under the form ("Draft saved 16:02", "Saving draft…", …). */
function draftStatus(page: Page): Promise<string> {
	return page
		.getByRole('status')
		.filter({ hasText: /Draft|Saving|Unsaved|Not saved/ })
		.innerText();
}

/** Fills every required field of the paper form except the strengths. */
async function fillRest(page: Page, weakness: string): Promise<void> {
	await page.getByLabel('Weaknesses', { exact: true }).fill(weakness);
	for (const [label, score] of [
		['Soundness', '3'],
		['Significance', '3'],
		['Clarity', '2'],
		['Confidence', '4']
	]) {
		await page.getByRole('group', { name: label }).getByLabel(score, { exact: true }).check();
	}
}

describe('critiques: writing, reading, discussing', () => {
	let julia: Person;
	let ivan: Person;
	let emil: Person;
	let critiquesUrl: string;

	test('a student writes with autosave, quotes a passage and submits anonymously', async () => {
		julia = await newPerson(browser, app);
		const page = julia.page;
		await signIn(page, JULIA);
		await openCritiques(page);
		critiquesUrl = new URL(page.url()).pathname;
		await paperSection(page).getByRole('link', { name: 'Write your paper critique' }).click();
		await page.getByRole('heading', { name: 'Paper critique: Lecture 4', level: 1 }).waitFor();
		await reload(page);

		await page.getByLabel('Summary', { exact: true }).fill('It shards optimizer state.');
		await eventually(() => draftStatus(page)).toMatch(/^Draft saved \d\d:\d\d$/);
		await reload(page);
		expect(await page.getByLabel('Summary', { exact: true }).inputValue()).toBe(
			'It shards optimizer state.'
		);
		expect(await page.getByText('Draft', { exact: true }).count()).toBe(1);

		const strengths = page.getByLabel('Strengths', { exact: true });
		await strengths.fill('Memory falls with the number of ranks.');
		await page.getByText('Cite evidence for Strengths').click();
		const picker = page.getByRole('region', { name: 'Evidence for Strengths' });
		await picker.getByLabel('Page').fill('1');
		await picker.getByLabel('Quoted text').fill(QUOTE);
		await picker.getByRole('button', { name: 'Insert quote' }).click();
		const written = await strengths.inputValue();
		expect(written).toMatch(/^Memory falls with the number of ranks\.\n\n> Stage three/);
		expect(written).toMatch(
			new RegExp(`> — \\[${PAPER}, p\\. 1\\]\\(podium:passage/[a-z0-9]+/1\\)`)
		);

		// A missing score is refused next to its field, and nothing typed is lost.
		await page.getByLabel('Weaknesses', { exact: true }).fill('Communication grows by half.');
		await page.getByLabel('Stay anonymous to classmates').check();
		await submit(page, page.getByRole('button', { name: 'Submit critique' }));
		await page.getByText('Soundness: choose a score.').waitFor();
		expect(await strengths.inputValue()).toBe(written);

		await fillRest(page, 'Communication grows by half.');
		await page.getByRole('button', { name: 'Submit critique' }).click();
		await page.waitForURL(/\/critiques#critique-[a-z0-9]+$/);
		const mine = page.getByRole('article', { name: 'You' });
		await mine.waitFor();
		expect(await mine.getByText('Soundness 3 of 4').count()).toBe(1);
		expect(await mine.getByText('Anonymous to classmates').count()).toBe(1);
		expect(await mine.getByRole('button', { name: /^Helpful/ }).count()).toBe(0);
	});

	test('a classmate reads it only after submitting theirs, anonymously, and follows the evidence', async () => {
		ivan = await newPerson(browser, app);
		const page = ivan.page;
		await signIn(page, IVAN);
		await openCritiques(page);
		await paperSection(page)
			// Julia's and the demo's (by Ben).
			.getByText("Submit yours to read your classmates' 2 critiques, or wait until the deadline.")
			.waitFor();
		expect(await page.getByRole('article').count()).toBe(0);

		await paperSection(page).getByRole('link', { name: 'Write your paper critique' }).click();
		await page.getByRole('heading', { name: 'Paper critique: Lecture 4', level: 1 }).waitFor();
		await reload(page);
		await page.getByLabel('Summary', { exact: true }).fill('Sharding, three stages.');
		await page.getByLabel('Strengths', { exact: true }).fill('Simple to adopt.');
		await fillRest(page, 'Few measurements.');
		await page.getByRole('button', { name: 'Submit critique' }).click();
		await page.waitForURL(/\/critiques#critique-[a-z0-9]+$/);

		const hers = page.getByRole('article', { name: 'Anonymous classmate' });
		await hers.waitFor();
		expect(await page.getByText('Julia').count()).toBe(0);
		const helpful = hers.getByRole('button', { name: /^Helpful/ });
		expect(await helpful.getAttribute('aria-pressed')).toBe('false');
		await submit(page, helpful);
		await eventually(() => helpful.getAttribute('aria-pressed')).toBe('true');
		expect(await helpful.innerText()).toBe('Helpful (1)');

		// Links in Markdown open in a new tab, so the critique stays open beside the paper.
		const [paper] = await Promise.all([
			ivan.context.waitForEvent('page'),
			hers.getByRole('link', { name: `${PAPER}, p. 1` }).click()
		]);
		await paper.getByRole('heading', { name: PAPER, level: 1 }).waitFor();
		expect(new URL(paper.url()).hash).toBe('#page=1');
		expect(new URL(paper.url()).pathname).toMatch(/\/papers\/[a-z0-9]+$/);
		const citing = paper.getByRole('region', { name: 'Critiques citing this paper' });
		await citing.getByRole('link', { name: 'Paper critique by Anonymous classmate' }).waitFor();
	});

	test('a presenter answers as the presenters; the critic reads the answer and marks it read', async () => {
		emil = await newPerson(browser, app);
		await signIn(emil.page, EMIL);
		await visit(emil.page, critiquesUrl);
		const critique = emil.page.getByRole('article', { name: 'Anonymous classmate' });
		await critique.waitFor();
		await critique.getByLabel('Your reply', { exact: true }).fill('Stage three trades it back.');
		await critique.getByLabel('Answer as the presenters').check();
		await submit(emil.page, critique.getByRole('button', { name: 'Post reply' }));
		await critique.getByText('Stage three trades it back.').waitFor();
		expect(await critique.getByText('You', { exact: true }).count()).toBe(1);

		// The answer reaches the critic as a notification that leads to the critique.
		const page = julia.page;
		await visit(page, '/notifications');
		const notice = page
			.getByRole('main')
			.getByRole('link', { name: 'The presenters answered your critique of Lecture 4.' });
		await notice.click();
		await page.waitForURL(/\/critiques#critique-[a-z0-9]+$/);
		const mine = page.getByRole('article', { name: 'You' });
		await mine.getByText('Stage three trades it back.').waitFor();
		expect(await mine.getByText('The presenters', { exact: true }).count()).toBe(1);
		expect(await mine.getByText('Helpful to 1 reader').count()).toBe(1);
		await submit(page, mine.getByRole('button', { name: 'Mark as read' }));
		await mine.getByText('Read by the critic').waitFor();
		expect(await mine.getByRole('button', { name: 'Mark as read' }).count()).toBe(0);

		for (const person of [julia, ivan, emil]) expect(person.pageErrors).toEqual([]);
	});
});
