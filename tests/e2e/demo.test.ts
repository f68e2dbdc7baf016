import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
	courseNav,
	launchBrowser,
	newPerson,
	signIn,
	startApp,
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

/** The home page's card named by its heading. */
function card(page: Page, title: string) {
	return page.getByRole('main').getByRole('region', { name: title, exact: true });
}

test('a fresh data folder with the demo shows the course of the course page', async () => {
	expect(app.server.output).toContain('instructor@example.org');

	const { page } = await newPerson(browser, app);
	await signIn(page, { email: 'instructor@example.org', password: DEMO_PASSWORD });
	await page.getByRole('heading', { name: 'My courses' }).waitFor();
	expect(await page.getByRole('main').textContent()).toContain('You are instructor.');

	await page.getByRole('link', { name: DEMO_COURSE }).click();
	await page.getByRole('heading', { name: DEMO_COURSE, level: 1 }).waitFor();
	expect(await card(page, 'Logistics').textContent()).toContain('E1 5');
	const grading = await card(page, 'Grading policy').textContent();
	expect(grading).toContain('Lead presentation');
	expect(grading).toContain('70 %');
	expect(await page.getByRole('region', { name: 'Announcements' }).textContent()).toContain(
		'Welcome to Systems for Large (Language) Models'
	);

	await courseNav(page, 'Schedule').click();
	await page.getByRole('heading', { name: 'Schedule', level: 1 }).waitFor();
	const lectures = await page
		.getByRole('main')
		.getByRole('heading', { level: 2 })
		.allTextContents();
	expect(lectures.map((l) => l.trim().replace(/\s+/g, ' '))).toEqual([
		'Lecture 1: Reducing memory footprint I Given by the instructors',
		'Lecture 2: Reducing memory footprint II',
		'Lecture 3: Parallelism I',
		'Lecture 4: Parallelism II',
		'Lecture 5: Parameter-efficient finetuning'
	]);
	const schedule = await page.getByRole('main').textContent();
	expect(schedule?.match(/16:00–18:00 \(Europe\/Berlin\)/g)).toHaveLength(5);

	// Each lecture shows its critique deadlines: by default its start and two days later.
	await page.getByRole('link', { name: 'Lecture 2: Reducing memory footprint II' }).click();
	await page.getByRole('heading', { name: /^Lecture 2:/, level: 1 }).waitFor();
	expect((await page.getByRole('main').textContent())?.replace(/\s+/g, ' ')).toMatch(
		/Paper critique due \w{3} \d+ \w{3} \d{4}, 16:00; presentation critiques until \w{3} \d+ \w{3} \d{4}, 16:00 \(Europe\/Berlin\)\./
	);
});
