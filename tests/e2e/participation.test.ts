import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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
const CHEN = { email: 'chen@example.org', password: DEMO_PASSWORD, name: 'Chen Wei' };
const REASON = 'Asked the sharpest questions in the Lecture 1 discussion.';

async function openParticipation(page: Page, who: { email: string; password: string }) {
	await signIn(page, who);
	await visit(page, '/');
	await page.getByRole('link', { name: DEMO_COURSE }).click();
	await courseNav(page, 'Participation').click();
	await page.getByRole('heading', { level: 1, name: /Participation/ }).waitFor();
}

/** The items listed under one lecture of the explained score. */
const itemsOf = (page: Page, lecture: number) =>
	page.getByRole('list', { name: `Items of lecture ${lecture}` }).getByRole('listitem');

describe('participation', () => {
	test('a student sees every point explained; the instructor adjusts it with a reason', async () => {
		const staff = await newPerson(browser, app);
		const chen = await newPerson(browser, app);
		const mira = staff.page;

		// The instructor stops counting replies: Chen's reply then earns nothing, and says why.
		await openParticipation(mira, INSTRUCTOR);
		await mira.getByRole('link', { name: 'Participation rules' }).click();
		await mira
			.getByRole('checkbox', { name: 'A reply to an annotation or a critique counts' })
			.uncheck();
		await submit(mira, mira.getByRole('button', { name: 'Save rules' }));
		await eventually(() => mira.getByRole('status').textContent()).toMatch(/Rules saved/);
		expect(
			await mira.getByRole('listitem').filter({ hasText: 'These earn nothing' }).textContent()
		).toContain('a reply to an annotation or a critique');

		await openParticipation(chen.page, CHEN);
		const annotation = itemsOf(chen.page, 1)
			.filter({ hasText: 'An annotation on a paper' })
			.getByRole('link', { name: 'An annotation on a paper' });
		expect(await annotation.getAttribute('href')).toMatch(/\/papers\/[^/]+#annotation-/);
		const reply = itemsOf(chen.page, 1).filter({
			hasText: 'A reply to an annotation or a critique'
		});
		expect(await reply.first().textContent()).toContain('0 points');
		expect(await reply.first().textContent()).toContain(
			'Earns nothing: this kind of activity does not count in this course.'
		);
		const before = await chen.page.getByText(/% participation:/).textContent();

		// The instructor adjusts Chen's score from the list of students.
		await courseNav(mira, 'Participation').click();
		const amara = await mira.getByRole('link', { name: 'Amara Okafor' }).getAttribute('href');
		await mira.getByRole('link', { name: CHEN.name }).click();
		await mira.getByRole('heading', { level: 1, name: `Participation of ${CHEN.name}` }).waitFor();
		await mira.getByRole('spinbutton', { name: 'Points' }).fill('2');
		await mira.getByRole('textbox', { name: 'Reason' }).fill(REASON);
		await submit(mira, mira.getByRole('button', { name: 'Save adjustment' }));
		await eventually(() => mira.getByRole('status').textContent()).toBe('Adjustment saved.');

		await reload(chen.page);
		const adjustment = chen.page.getByRole('list', { name: 'Adjustments' }).getByRole('listitem');
		await eventually(() => adjustment.textContent()).toContain(REASON);
		expect(await adjustment.textContent()).toContain('+2 points');
		expect(await adjustment.textContent()).toContain('Dr. Mira Castellanos');
		expect(await chen.page.getByText(/% participation:/).textContent()).not.toBe(before);

		// Another student's page is not there for Chen.
		const response = await chen.page.goto(amara!);
		expect(response?.status()).toBe(404);

		expect(staff.pageErrors).toEqual([]);
		expect(chen.pageErrors.filter((e) => !e.includes('404'))).toEqual([]);
	});
});
