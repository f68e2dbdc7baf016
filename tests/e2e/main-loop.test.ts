import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import {
	courseIdOf,
	courseNav,
	eventually,
	launchBrowser,
	newPerson,
	scriptSrc,
	signUp,
	uniqueEmail,
	startApp,
	type App,
	type Person,
	reload
} from './harness';

let app: App;
let browser: Browser;

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp(), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

const COURSE_TITLE = 'Systems Seminar (e2e)';
const ANNOUNCEMENT = 'Readings for lecture 1 are up';

describe('the main loop of a course', () => {
	let instructor: Person;
	let student: Person;

	test('an instructor sets up a course and a student follows it', async () => {
		// Person A: sign up, create the course in Europe/Berlin.
		instructor = await newPerson(browser, app);
		const a = instructor.page;
		await signUp(a, { name: 'Ada Instructor', email: uniqueEmail('ada') });
		await a.getByRole('heading', { name: 'My courses' }).waitFor();
		await a.getByRole('link', { name: 'Create a course' }).click();
		await a.getByLabel('Title').fill(COURSE_TITLE);
		await a.getByLabel('Time zone').fill('Europe/Berlin');
		await a.getByLabel('Logistics').fill('Room **E1 5**, Wednesdays.');
		await a.getByRole('button', { name: 'Create course' }).click();
		await a.getByRole('heading', { name: COURSE_TITLE, level: 1 }).waitFor();
		const courseId = courseIdOf(a);

		// Lecture 1 on Wednesday 11 December 2030, 16:00–18:00 Berlin time (UTC+1).
		await courseNav(a, 'Schedule').click();
		await a.getByRole('link', { name: 'Add a lecture' }).click();
		await a.getByRole('heading', { name: 'Add a lecture' }).waitFor();
		expect(await a.getByLabel('Number').inputValue()).toBe('1');
		await a.getByLabel('Title', { exact: true }).fill('Reducing memory footprint');
		await a.getByLabel('Topic').fill('Gradient checkpointing');
		await a.getByLabel('Start (Europe/Berlin)').fill('2030-12-11T16:00');
		await a.getByLabel('End (Europe/Berlin)').fill('2030-12-11T18:00');
		await a.getByLabel('Room').fill('E1 5, room 029');
		await a.getByRole('button', { name: 'Add lecture' }).click();
		await a.getByRole('heading', { name: 'Lecture 1: Reducing memory footprint' }).waitFor();
		expect(await a.getByRole('main').textContent()).toContain(
			'Wed 11 Dec 2030, 16:00–18:00 (Europe/Berlin)'
		);

		// An announcement on the course home.
		await courseNav(a, 'Home').click();
		await a.getByText('Post an announcement').click();
		await a.getByLabel('Title').fill(ANNOUNCEMENT);
		await a.getByLabel('Text').fill('Read **the ZeRO paper** before Wednesday.');
		await a.getByRole('button', { name: 'Post', exact: true }).click();
		await a.getByRole('article', { name: ANNOUNCEMENT }).waitFor();

		// The join code, as the instructor reads it on Settings.
		await courseNav(a, 'Settings').click();
		const joinCode = (await a.getByLabel('Join code').textContent())?.trim() ?? '';
		expect(joinCode).toMatch(/^[A-Z0-9]{6,}$/);

		// Person B, in another browser profile: sign up and join with the code.
		student = await newPerson(browser, app);
		const b = student.page;
		await signUp(b, { name: 'Ben Student', email: uniqueEmail('ben') });
		await b.getByRole('heading', { name: 'My courses' }).waitFor();
		expect(await b.getByText('You are not in any course yet').isVisible()).toBe(true);
		await b.getByRole('link', { name: 'Join a course' }).click();
		await b.getByLabel('Join code').fill(joinCode.toLowerCase());
		await b.getByRole('button', { name: 'Join' }).click();
		await b.waitForURL(`**/courses/${courseId}`);
		await b.getByRole('heading', { name: COURSE_TITLE, level: 1 }).waitFor();

		// The announcement is there and marked New for B, its Markdown rendered.
		const announcement = b.getByRole('article', { name: ANNOUNCEMENT });
		await announcement.waitFor();
		expect(await announcement.getByText('New', { exact: true }).isVisible()).toBe(true);
		expect(await announcement.getByText('the ZeRO paper').evaluate((e) => e.tagName)).toBe(
			'STRONG'
		);
		// The next lecture, in the course's zone whatever the browser's and server's zones.
		expect(await b.getByRole('region', { name: 'Next lecture' }).textContent()).toContain(
			'Wed 11 Dec 2030, 16:00–18:00 (Europe/Berlin)'
		);
		// A student has no Settings.
		expect(await courseNav(b, 'Settings').count()).toBe(0);

		// The schedule, as B sees it.
		await courseNav(b, 'Schedule').click();
		const lecture = b.getByRole('article', { name: 'Lecture 1: Reducing memory footprint' });
		await lecture.waitFor();
		await eventually(() => lecture.textContent()).toContain(
			'Wed 11 Dec 2030, 16:00–18:00 (Europe/Berlin)'
		);
		expect(await lecture.textContent()).toContain('E1 5, room 029');

		// B's calendar feed: a calendar app fetches it with no cookie.
		await courseNav(b, 'Calendar').click();
		const feedUrl = (await b.getByLabel('Your calendar address').textContent())?.trim() ?? '';
		expect(feedUrl.startsWith(`${app.url}/calendar/`)).toBe(true);
		const feed = await fetch(feedUrl, { redirect: 'manual' });
		expect(feed.status).toBe(200);
		expect(feed.headers.get('content-type')).toContain('text/calendar');
		const ics = (await feed.text()).replace(/\r\n[ \t]/g, '');
		expect(ics).toContain('BEGIN:VEVENT');
		expect(ics).toContain('DTSTART:20301211T150000Z');
		expect(ics).toContain('DTEND:20301211T170000Z');
		expect(ics).toContain('SUMMARY:Lecture 1: Reducing memory footprint');

		// Once B has seen it, it is no longer New for B.
		await courseNav(b, 'Home').click();
		await b.getByRole('article', { name: ANNOUNCEMENT }).waitFor();
		await reload(b);
		await b.getByRole('article', { name: ANNOUNCEMENT }).waitFor();
		expect(
			await b.getByRole('article', { name: ANNOUNCEMENT }).getByText('New', { exact: true }).count()
		).toBe(0);
	});

	test('every HTML page of the loop had a CSP without inline script and no page error', async () => {
		const responses = [...instructor.htmlResponses, ...student.htmlResponses];
		expect(responses.length).toBeGreaterThanOrEqual(2);
		for (const response of responses) {
			expect(response.csp, response.url).toBeTruthy();
			expect(scriptSrc(response.csp ?? ''), response.url).toMatch(/^script-src /);
			expect(scriptSrc(response.csp ?? ''), response.url).not.toContain('unsafe-inline');
		}
		expect([...instructor.pageErrors, ...student.pageErrors]).toEqual([]);
	});
});
