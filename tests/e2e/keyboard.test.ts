import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
	courseIdOf,
	eventually,
	launchBrowser,
	newPerson,
	pdfLoaded,
	signIn,
	startApp,
	thread,
	visit,
	type App,
	type Person,
	DEMO_PASSWORD,
	DEMO_COURSE
} from './harness';

// Only page.keyboard drives the app here: no clicks, no fill(). Signing in and opening an
// address stand for what a person does before the flow under test.
let app: App;
let browser: Browser;
let student: Person;
let instructor: Person;
let lecture1: string;
let paper: string;

// Julia presents none of the demo lectures; the instructors gave lecture 1.
const JULIA = { email: 'julia@example.org', password: DEMO_PASSWORD };
const INSTRUCTOR = { email: 'instructor@example.org', password: DEMO_PASSWORD };
const PASSAGE = 'recomputes the rest during the backward pass';
const COMMENT = 'Which layers are cheapest to recompute?';
const OPEN_QUESTION = 'Does checkpointing still pay off when activations are offloaded';

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
	[student, instructor] = await Promise.all([newPerson(browser, app), newPerson(browser, app)]);
	await Promise.all([signIn(student.page, JULIA), signIn(instructor.page, INSTRUCTOR)]);
	const page = instructor.page;
	await page.getByRole('link', { name: DEMO_COURSE }).click();
	await page.getByRole('heading', { name: DEMO_COURSE, level: 1 }).waitFor();
	await visit(page, `/courses/${courseIdOf(page)}/lectures`);
	lecture1 = (await page.getByRole('link', { name: /^Lecture 1:/ }).getAttribute('href'))!;
	await visit(page, lecture1);
	paper = (await page
		.getByRole('region', { name: 'Readings' })
		.locator('a[href*="/papers/"]')
		.first()
		.getAttribute('href'))!;
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

interface Focused {
	/** The accessible name, roughly: aria-label, aria-labelledby, the label, or the text. */
	name: string;
	tag: string;
	/** The form field's name attribute. */
	field: string;
	/** Whether the focus is drawn: an outline or a box shadow while :focus-visible. */
	visible: boolean;
	/** Contrast of the focus ring with the background around the element (WCAG 1.4.11: 3). */
	contrast: number;
}

function focused(page: Page): Promise<Focused> {
	return page.evaluate(() => {
		const element = document.activeElement as HTMLElement | null;
		if (!element || element === document.body)
			return { name: '', tag: 'body', field: '', visible: false, contrast: 0 };
		const labelledBy = element.getAttribute('aria-labelledby');
		const labels = (element as HTMLInputElement).labels;
		const name =
			element.getAttribute('aria-label') ??
			(labelledBy ? document.getElementById(labelledBy)?.textContent : null) ??
			(labels && labels.length > 0 ? labels[0].textContent : null) ??
			element.textContent ??
			'';
		const style = getComputedStyle(element);
		const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
		const rgba = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
		const luminance = ([r, g, b]: number[]) => {
			const linear = (v: number) =>
				v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4;
			return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
		};
		// The ring is drawn outside the element: it is seen against the nearest opaque background.
		let background = [255, 255, 255];
		for (let e = element.parentElement; e; e = e.parentElement) {
			const color = rgba(getComputedStyle(e).backgroundColor);
			if (color.length === 3 || color[3] === 1) {
				background = color;
				break;
			}
		}
		const ring = rgba(outlined ? style.outlineColor : style.boxShadow);
		const [light, dark] = [luminance(ring), luminance(background)].sort((a, b) => b - a);
		return {
			name: name.replace(/\s+/g, ' ').trim(),
			tag: element.tagName.toLowerCase(),
			field: element.getAttribute('name') ?? '',
			visible: element.matches(':focus-visible') && (outlined || style.boxShadow !== 'none'),
			contrast: (light + 0.05) / (dark + 0.05)
		};
	});
}

/**
 * Presses Tab (Shift+Tab with `back`) until the focused element matches, and checks that the
 * focus is visible there.
 */
async function tabTo(
	page: Page,
	target: string | RegExp | ((f: Focused) => boolean),
	{ back = false, max = 80 } = {}
): Promise<Focused> {
	const matches = (f: Focused) =>
		typeof target === 'function'
			? target(f)
			: typeof target === 'string'
				? f.name === target
				: target.test(f.name);
	for (let i = 0; i < max; i++) {
		await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
		const now = await focused(page);
		if (matches(now)) {
			expectVisible(now);
			return now;
		}
	}
	throw new Error(`Tab never reached ${String(target)} on ${page.url()}.`);
}

/** Checks that what has the focus now is `name` and shows it. */
async function expectFocus(page: Page, name: string | RegExp): Promise<void> {
	const now = await focused(page);
	if (typeof name === 'string') expect(now.name).toBe(name);
	else expect(now.name).toMatch(name);
	expectVisible(now);
}

function expectVisible(focus: Focused): void {
	expect(focus.visible, `focus on "${focus.name}" is not visible`).toBe(true);
	expect(focus.contrast, `focus ring on "${focus.name}"`).toBeGreaterThanOrEqual(3);
}

test('a student annotates a passage found with the find bar, by keyboard', async () => {
	const page = student.page;
	await visit(page, paper);
	await pdfLoaded(page);
	await tabTo(page, 'Find in document');
	await page.keyboard.type(PASSAGE);
	await page.getByText('1 of 1 match', { exact: true }).waitFor();
	await tabTo(page, 'Annotate this match');
	await page.keyboard.press('Enter');

	await page.getByRole('heading', { name: 'New annotation' }).waitFor();
	await expectFocus(page, 'Comment');
	await page.keyboard.type(COMMENT);
	await tabTo(page, 'question');
	await page.keyboard.press('Space');
	await tabTo(page, 'Post annotation');
	await page.keyboard.press('Enter');

	const posted = thread(page, new RegExp(PASSAGE));
	await posted.getByText(COMMENT).waitFor();
	expect(await posted.getByText('question', { exact: true }).count()).toBeGreaterThan(0);
	expect(await page.getByRole('heading', { name: 'New annotation' }).count()).toBe(0);
}, 60_000);

test('a student writes and submits a paper critique citing an annotation, by keyboard', async () => {
	const page = student.page;
	await visit(page, `${lecture1}/critiques/paper`);
	await tabTo(page, 'Summary');
	await page.keyboard.type('Trades compute for memory.');
	await tabTo(page, 'Strengths');
	await page.keyboard.type('Recomputing is cheap.');
	await tabTo(page, 'Cite evidence for Strengths');
	await page.keyboard.press('Enter');
	await tabTo(page, new RegExp(`^Cite “${PASSAGE}`));
	await page.keyboard.press('Enter');
	// The citation goes into the field, which takes the focus back.
	await expectFocus(page, 'Strengths');
	const strengths = page.getByRole('textbox', { name: 'Strengths' });
	expect(await strengths.inputValue()).toContain(PASSAGE);
	await tabTo(page, 'Weaknesses');
	await page.keyboard.type('Costs a third more compute.');
	for (const score of ['soundness', 'significance', 'clarity', 'confidence']) {
		await tabTo(page, (f) => f.field === score);
		await page.keyboard.press('ArrowRight');
	}
	await tabTo(page, 'Submit critique');
	await page.keyboard.press('Enter');

	// Submitted, it is listed among the lecture's critiques, with its citation.
	await page.waitForURL(/\/critiques#critique-/);
	await page.getByRole('link', { name: 'Edit your paper critique' }).waitFor();
	const card = page.locator(new URL(page.url()).hash);
	const text = (await card.textContent()) ?? '';
	expect(text).toContain('Recomputing is cheap.');
	expect(text).toContain(PASSAGE);
	expect(text).toContain('Costs a third more compute.');
}, 60_000);

test('the presenter starts the talk, moves through slides, answers a question and ends it, by keyboard', async () => {
	const page = instructor.page;
	const follower = student.page;
	await visit(page, `${lecture1}/present`);
	await tabTo(page, 'Start again');
	await page.keyboard.press('Enter');
	await page.getByText('Live: the class follows your slides.', { exact: true }).waitFor();

	await visit(follower, `${lecture1}/live`);
	await follower.getByText('Following the presenter live.').waitFor();
	const shown = (text: string) =>
		follower
			.getByRole('region', { name: 'Slides', exact: true })
			.getByRole('heading', { name: text });
	await shown('Reducing memory footprint I').waitFor();

	await tabTo(page, 'Current slide');
	await page.keyboard.press('ArrowRight');
	await page.getByText('Slide 2 of the deck').waitFor();
	await shown('Where the memory goes').waitFor();
	await page.keyboard.press('ArrowRight');
	await page.getByText('Slide 3 of the deck').waitFor();
	await shown('Checkpointing in one picture').waitFor();
	// The next press shows the slide's fragment, for the follower too.
	const fragment = follower
		.getByRole('region', { name: 'Slides', exact: true })
		.locator('.present .fragment');
	expect(await fragment.evaluate((e) => e.classList.contains('visible'))).toBe(false);
	await page.keyboard.press('ArrowRight');
	await eventually(() => fragment.evaluate((e) => e.classList.contains('visible'))).toBe(true);
	await page.keyboard.press('ArrowLeft');
	await eventually(() => fragment.evaluate((e) => e.classList.contains('visible'))).toBe(false);

	// The presenter reads the questions and marks the open one answered.
	const question = page.getByRole('article', { name: new RegExp(`^${OPEN_QUESTION}`) });
	await question.waitFor();
	expect(await question.getByText('Answered', { exact: true }).count()).toBe(0);
	await tabTo(page, new RegExp(`^Mark answered: ${OPEN_QUESTION}`));
	await page.keyboard.press('Enter');
	await question.getByText('Answered', { exact: true }).waitFor();

	await tabTo(page, 'End talk', { back: true });
	await page.keyboard.press('Enter');
	await follower.getByText('The talk has ended.').waitFor();
	await page.getByText('The talk has ended.').first().waitFor();
}, 60_000);
