import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
	courseNav,
	eventually,
	launchBrowser,
	newPerson,
	scriptSrc,
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

// Emil and Farah present lecture 4; Julia is their classmate.
const EMIL = { email: 'emil@example.org', password: DEMO_PASSWORD };
const JULIA = { email: 'julia@example.org', password: DEMO_PASSWORD };
const LECTURE = 'Lecture 4: Parallelism II';
const SHARDS = 'ZeRO stage 3 shards the parameters too';
const NEW_SLIDE = `\n---\n\n## Memory per device\n\n- Stage 1 shards the optimizer state\n- ${SHARDS}\n<!-- .element: class="fragment" -->`;
const QUESTION = 'Why shard the parameters at all?';

/** The slides a person sees (the presenter's current slide, or the follower's). */
function slides(page: Page, name: 'Current slide' | 'Slides'): Locator {
	return page.getByRole('region', { name, exact: true });
}

/** The heading of the slide on screen (reveal.js hides the others from assistive tech). */
function shownHeading(page: Page, name: 'Current slide' | 'Slides', text: string): Locator {
	return slides(page, name).getByRole('heading', { name: text });
}

/** Whether the fragment on the third slide is shown. */
function fragmentShown(page: Page, name: 'Current slide' | 'Slides'): Promise<boolean> {
	return slides(page, name)
		.locator('li.fragment')
		.evaluate((li) => li.classList.contains('visible'));
}

function followStatus(page: Page): Locator {
	return page.getByRole('status').filter({ hasText: /live|talk/ });
}

/** Presses `key` with the slides focused, as a presenter with a clicker or keyboard does. */
async function press(page: Page, name: 'Current slide' | 'Slides', key: string) {
	await slides(page, name).focus();
	await page.keyboard.press(key);
}

async function statusOf(page: Page, path: string): Promise<number> {
	return (await page.goto(path))?.status() ?? 0;
}

describe('live talks: presenting, following, questions', () => {
	let emil: Person;
	let julia: Person;
	let lectureUrl: string;

	test('a presenter saves the deck and starts the talk; it publishes the draft', async () => {
		emil = await newPerson(browser, app);
		julia = await newPerson(browser, app);
		const a = emil.page;
		await signIn(a, EMIL);
		await a.getByRole('link', { name: DEMO_COURSE }).click();
		await courseNav(a, 'Schedule').click();
		await a.getByRole('link', { name: LECTURE }).click();
		await a.getByRole('heading', { name: LECTURE, level: 1 }).waitFor();
		lectureUrl = new URL(a.url()).pathname;
		expect(await a.getByRole('link', { name: 'Follow the live talk' }).count()).toBe(0);

		// Nothing to present before the deck was saved once.
		await a.getByRole('link', { name: 'Present', exact: true }).click();
		await a.getByRole('heading', { name: 'Present', level: 1 }).waitFor();
		await visit(a, `${lectureUrl}/present`);
		await submit(a, a.getByRole('button', { name: 'Start talk' }));
		await a.getByRole('alert').getByText('Save the deck once before presenting it.').waitFor();

		await visit(a, `${lectureUrl}/deck`);
		const editor = a.getByRole('textbox', { name: 'Deck (reveal.js Markdown)' });
		await editor.focus();
		await a.keyboard.press('Control+End');
		await a.keyboard.insertText(NEW_SLIDE);
		await a.getByText(/^Saved \(revision \d+\)$/).waitFor();
		await a.getByRole('link', { name: 'Present', exact: true }).click();
		await a.getByRole('heading', { name: 'Present', level: 1 }).waitFor();
		await visit(a, `${lectureUrl}/present`);

		// Julia cannot see the draft, nor its live page, nor the presenter's page.
		await signIn(julia.page, JULIA);
		expect(await statusOf(julia.page, `${lectureUrl}/live`)).toBe(404);
		expect(await statusOf(julia.page, `${lectureUrl}/present`)).toBe(404);

		await submit(a, a.getByRole('button', { name: 'Start talk' }));
		await a
			.getByRole('status')
			.getByText('Live: the class follows your slides.', { exact: true })
			.waitFor();
		await shownHeading(a, 'Current slide', 'Title of the talk').waitFor();
		await a
			.getByRole('region', { name: 'Next slide' })
			.getByRole('heading', { name: 'Outline' })
			.waitFor();
		await a.getByRole('timer').waitFor();
		expect(await a.getByText(/^Under the 45–60 minute target/).count()).toBe(1);
		await a
			.getByRole('region', { name: 'Speaker notes' })
			.getByText('Speaker notes go after')
			.waitFor();
	});

	test('a classmate follows slide and fragment within a second, steps away and back', async () => {
		const a = emil.page;
		const c = julia.page;
		await visit(c, lectureUrl);
		await c.getByRole('link', { name: 'Follow the live talk' }).click();
		await c.getByRole('heading', { name: 'Live talk', level: 1 }).waitFor();
		await followStatus(c).getByText('Following the presenter live.').waitFor();
		await shownHeading(c, 'Slides', 'Title of the talk').waitFor();
		expect(await c.getByRole('link', { name: 'Present', exact: true }).count()).toBe(0);

		// Each move reaches the follower's screen in under a second.
		const delays: number[] = [];
		const follow = async (key: string, check: () => Promise<unknown>) => {
			const started = Date.now();
			await press(a, 'Current slide', key);
			await check();
			delays.push(Date.now() - started);
		};
		await follow('ArrowRight', () =>
			shownHeading(c, 'Slides', 'Outline').waitFor({ timeout: 1000 })
		);
		await follow('ArrowRight', () =>
			shownHeading(c, 'Slides', 'Memory per device').waitFor({ timeout: 1000 })
		);
		expect(await fragmentShown(c, 'Slides')).toBe(false);
		await follow('ArrowRight', () => eventually(() => fragmentShown(c, 'Slides'), 1000).toBe(true));
		expect(
			delays.every((ms) => ms < 1000),
			`delays ${delays.join(', ')} ms`
		).toBe(true);
		expect(await fragmentShown(a, 'Current slide')).toBe(true);
		await a.getByText('This is the last slide.').waitFor();

		// Julia goes back on her own: she is no longer following.
		await press(c, 'Slides', 'ArrowLeft');
		await followStatus(c).getByText('You stepped away from the live talk.').waitFor();
		await press(c, 'Slides', 'ArrowLeft');
		await shownHeading(c, 'Slides', 'Outline').waitFor();
		// The presenter moves on; Julia stays where she is.
		await press(a, 'Current slide', 'ArrowLeft');
		await eventually(() => fragmentShown(a, 'Current slide')).toBe(false);
		await c.waitForTimeout(300);
		expect(await shownHeading(c, 'Slides', 'Outline').isVisible()).toBe(true);

		await c.getByRole('button', { name: 'Back to live' }).click();
		await shownHeading(c, 'Slides', 'Memory per device').waitFor();
		expect(await fragmentShown(c, 'Slides')).toBe(false);
		await followStatus(c).getByText('Following the presenter live.').waitFor();
	});

	test('a classmate asks about the slide; the presenter sees it and marks it answered', async () => {
		const a = emil.page;
		const c = julia.page;
		const field = c.getByRole('textbox', { name: 'Your question about Slide 3' });
		await field.fill(QUESTION);
		await submit(c, c.getByRole('button', { name: 'Ask' }));
		await c.getByRole('status').getByText('Question sent to the presenters.').waitFor();
		expect(await field.inputValue()).toBe('');
		const mine = c.getByRole('article', { name: QUESTION });
		await mine.getByText(/^Slide 3 · Julia/).waitFor();
		// One's own question cannot be upvoted.
		expect(await c.getByRole('button', { name: `Upvote: ${QUESTION}` }).count()).toBe(0);

		// The presenter's list updates by itself.
		const asked = a.getByRole('article', { name: QUESTION });
		await asked.waitFor();
		await submit(a, asked.getByRole('button', { name: `Mark answered: ${QUESTION}` }));
		await asked.getByText('Answered', { exact: true }).waitFor();
		expect(await a.getByRole('button', { name: `Mark answered: ${QUESTION}` }).count()).toBe(0);
		await mine.getByText('Answered', { exact: true }).waitFor();

		// The talk ends for everybody.
		await submit(a, a.getByRole('button', { name: 'End talk' }));
		await followStatus(c).getByText('The talk has ended.').waitFor();
		expect(await c.getByRole('textbox', { name: /^Your question/ }).count()).toBe(0);
	});

	test('no page error and every HTML page had a CSP without inline script', async () => {
		const people = [emil, julia];
		for (const response of people.flatMap((p) => p.htmlResponses)) {
			expect(scriptSrc(response.csp ?? ''), response.url).not.toContain('unsafe-inline');
		}
		expect(people.flatMap((p) => p.pageErrors).filter((e) => !/status of 404/.test(e))).toEqual([]);
	});
});
