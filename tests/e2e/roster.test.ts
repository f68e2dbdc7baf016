import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import {
	courseIdOf,
	courseNav,
	eventually,
	launchBrowser,
	newPerson,
	signUp,
	startApp,
	submit,
	type App,
	type Person,
	visit,
	reload
} from './harness';

let app: App;
let browser: Browser;
let instructor: Person;

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp(), launchBrowser()]);
	instructor = await newPerson(browser, app);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

const COURSE_TITLE = 'Roster Seminar';
const run = `${process.pid}-${Date.now().toString(36)}`;
const ada = { name: 'Ada Lovelace', email: `ada-${run}@example.org` };
const grace = { name: 'Grace Hopper', email: `grace-${run}@example.org` };
const emmy = { name: 'Emmy Noether', email: `emmy-${run}@example.org` };

test('a roster with a malformed line imports nothing until the instructor chooses the good lines', async () => {
	// Emmy already has an account: she is enrolled at once, the others when they sign up.
	const emmyPerson = await newPerson(browser, app);
	await signUp(emmyPerson.page, emmy);
	await emmyPerson.context.close();

	const page = instructor.page;
	await signUp(page, { name: 'Rosa Instructor', email: `rosa-${run}@example.org` });
	await visit(page, '/courses/new');
	await page.getByLabel('Title').fill(COURSE_TITLE);
	await page.getByLabel('Time zone').fill('Europe/Berlin');
	await page.getByRole('button', { name: 'Create course' }).click();
	await page.getByRole('heading', { name: COURSE_TITLE, level: 1 }).waitFor();
	const courseId = courseIdOf(page);

	await courseNav(page, 'Members').click();
	await page.getByRole('heading', { name: 'Import a roster' }).waitFor();
	const roster = [
		`${ada.email},${ada.name}`,
		'Charles Babbage',
		`${grace.email},${grace.name}`,
		`${emmy.email.toUpperCase()},${emmy.name}`
	].join('\n');
	await page.getByLabel('Roster (CSV)').fill(roster);
	await submit(page, page.getByRole('button', { name: 'Import roster' }));

	const problems = page.getByRole('alert');
	await eventually(() => problems.textContent()).toContain('nothing was imported');
	expect(await problems.getByRole('listitem').allTextContents()).toEqual([
		'Line 2 (“Charles Babbage”): No email address on this line.'
	]);
	expect(await page.getByLabel('Roster (CSV)').inputValue()).toBe(roster);

	// Nothing was imported: a fresh look at the page shows no one waiting and no new member.
	const check = await instructor.context.newPage();
	await visit(check, `/courses/${courseId}/members`);
	await check.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
	expect(await check.getByRole('region', { name: 'Waiting to sign up' }).count()).toBe(0);
	expect(
		await check.getByRole('table', { name: 'Members of the course' }).textContent()
	).not.toContain(emmy.name);
	await check.close();

	await submit(page, page.getByRole('button', { name: 'Import only the 3 good lines' }));
	await eventually(() => page.getByRole('status').textContent()).toBe(
		'Imported: 1 enrolled now, 2 will be enrolled when they sign up.'
	);
	const waiting = page.getByRole('region', { name: 'Waiting to sign up' });
	await eventually(async () =>
		(await waiting.count()) > 0 ? await waiting.textContent() : ''
	).toMatch(new RegExp(`${ada.name}.*${grace.name}|${grace.name}.*${ada.name}`));
	expect(await waiting.textContent()).not.toContain('Charles Babbage');
	expect(await page.getByRole('table', { name: 'Members of the course' }).textContent()).toContain(
		emmy.name
	);

	// Ada signs up with the listed email and is in the course at once, as a student.
	const adaPerson = await newPerson(browser, app);
	const a = adaPerson.page;
	await signUp(a, ada);
	await a.getByRole('heading', { name: 'My courses' }).waitFor();
	expect(await a.getByRole('main').textContent()).toContain('You are student.');
	await a.getByRole('link', { name: COURSE_TITLE }).click();
	await a.getByRole('heading', { name: COURSE_TITLE, level: 1 }).waitFor();
	expect(courseIdOf(a)).toBe(courseId);
	await adaPerson.context.close();

	await reload(page);
	await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
	const members = await page.getByRole('table', { name: 'Members of the course' }).textContent();
	expect(members).toContain(ada.name);
	expect(members).toContain(emmy.name);
	const stillWaiting = await page.getByRole('region', { name: 'Waiting to sign up' }).textContent();
	expect(stillWaiting).toContain(grace.name);
	expect(stillWaiting).not.toContain(ada.name);
});
