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
	thread,
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

// The demo course: Emil presents lecture 4; Gabriel annotated its paper.
const EMIL = { email: 'emil@example.org', password: DEMO_PASSWORD };
const GABRIEL = { email: 'gabriel@example.org', password: DEMO_PASSWORD };
const LECTURE = 'Lecture 4: Parallelism II';
const PAPER = 'Study Notes: Sharding Optimizer State, Gradients and Parameters';
const QUOTE = 'replacing the all-reduce with a reduce-scatter';
const SLIDE = '\n---\n\n## Gradients are sharded too\n\n';
const CHANGED = /^Source changed: the cited annotation was edited after this slide quoted it/;

function editor(page: Page): Locator {
	return page.getByRole('textbox', { name: 'Deck (reveal.js Markdown)' });
}

function preview(page: Page): Locator {
	return page.getByRole('region', { name: 'Slide preview' });
}

function saveStatus(page: Page): Promise<string> {
	return page.locator('#deck-status').innerText();
}

/** The citation on the previewed slide: its blockquote. */
function citedQuote(page: Page): Locator {
	return preview(page).getByRole('blockquote').filter({ hasText: QUOTE });
}

describe('deck citations: source changed, slides citing this', () => {
	let emil: Person;
	let gabriel: Person;
	let deckUrl: string;
	let paperUrl: string;

	test('a presenter cites a classmate’s annotation on a new slide', async () => {
		emil = await newPerson(browser, app);
		const a = emil.page;
		await signIn(a, EMIL);
		await a.getByRole('link', { name: DEMO_COURSE }).click();
		await courseNav(a, 'Schedule').click();
		await a.getByRole('link', { name: LECTURE }).click();
		await a.getByRole('heading', { name: LECTURE, level: 1 }).waitFor();
		paperUrl = (await a.getByRole('link', { name: PAPER }).getAttribute('href')) ?? '';
		await a.getByRole('link', { name: 'Slides of this lecture' }).click();
		await a.getByRole('heading', { name: 'Slides', level: 1 }).waitFor();
		deckUrl = new URL(a.url()).pathname;
		await reload(a);

		await editor(a).focus();
		await a.keyboard.press('Control+End');
		await a.keyboard.type(SLIDE);
		const panel = a.getByRole('region', { name: 'Cite the papers' });
		await panel.getByRole('button', { name: `Insert citation of “${QUOTE}”` }).click();
		expect(await editor(a).inputValue()).toMatch(/podium:annotation\/[A-Za-z0-9_-]+\)/);
		await eventually(() => saveStatus(a)).toMatch(/^Saved \(revision \d+\)$/);
		await citedQuote(a).waitFor();
		expect(await citedQuote(a).innerText()).not.toMatch(/Source changed/);
		const entries = a.getByRole('navigation', { name: 'Slides' }).getByRole('button');
		expect(await entries.count()).toBe(3);
	});

	test('classmates see the citing slide once the deck is published; the pair sees the draft', async () => {
		gabriel = await newPerson(browser, app);
		const g = gabriel.page;
		await signIn(g, GABRIEL);
		await visit(g, paperUrl);
		const card = thread(g, new RegExp(QUOTE));
		await card.waitFor();
		expect(await card.getByRole('region', { name: 'Slides citing this' }).count()).toBe(0);

		// The presenters see their draft's slide, marked as a draft.
		const a = emil.page;
		await visit(a, paperUrl);
		const own = thread(a, new RegExp(QUOTE)).getByRole('region', { name: 'Slides citing this' });
		expect(await own.getByRole('link').allTextContents()).toEqual([
			'Lecture 4 slides (draft), slide 3'
		]);

		await visit(a, deckUrl);
		await submit(a, a.getByRole('button', { name: 'Publish now' }));
		await a.getByRole('status').getByText('Published: the class can open the deck now.').waitFor();

		await reload(g);
		const citing = thread(g, new RegExp(QUOTE)).getByRole('region', { name: 'Slides citing this' });
		const link = citing.getByRole('link', { name: 'Lecture 4 slides, slide 3' });
		await link.waitFor();
		expect(await link.getAttribute('href')).toBe(`${deckUrl}?slide=3`);
	});

	test('its author edits the annotation: the slide says the source changed', async () => {
		const g = gabriel.page;
		const card = thread(g, new RegExp(QUOTE));
		await card.getByRole('button', { name: 'Edit', exact: true }).click();
		await card
			.getByLabel('Edit comment')
			.fill('On second thought, stage 2 also changes the schedule.');
		await submit(g, card.getByRole('button', { name: 'Save', exact: true }));
		await card.getByText('On second thought').waitFor();

		const a = emil.page;
		await reload(a);
		await a.getByRole('navigation', { name: 'Slides' }).getByRole('button').last().click();
		const note = citedQuote(a).getByText(CHANGED);
		await note.waitFor();
		// The quote itself is kept as it was cited.
		expect(await citedQuote(a).innerText()).toContain(QUOTE);
	});

	test('following the slide link opens the deck at that slide', async () => {
		const g = gabriel.page;
		await visit(g, paperUrl);
		await thread(g, new RegExp(QUOTE))
			.getByRole('link', { name: 'Lecture 4 slides, slide 3' })
			.click();
		await g.waitForURL((url) => url.pathname === deckUrl && url.search === '?slide=3');
		await preview(g).getByRole('heading', { name: 'Gradients are sharded too' }).waitFor();
		expect(await preview(g).getByRole('heading', { name: 'Title of the talk' }).count()).toBe(0);
		const current = g
			.getByRole('navigation', { name: 'Slides' })
			.locator('button[aria-current="true"]');
		expect((await current.innerText()).replace(/\s+/g, ' ').trim()).toBe(
			'3 Gradients are sharded too'
		);
		await citedQuote(g).getByText(CHANGED).waitFor();
	});

	test('no page errors', () => {
		expect([...emil.pageErrors, ...gabriel.pageErrors]).toEqual([]);
	});
});
