import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
	PASSWORD,
	courseIdOf,
	courseNav,
	description,
	eventually,
	launchBrowser,
	newPerson,
	signUp,
	startApp,
	submit,
	uniqueEmail,
	type App,
	type Person,
	visit
} from './harness';

let app: App;
let browser: Browser;
let instructor: Person;
let student: Person;
let outsider: Person;
let courseId: string;
const instructorEmail = uniqueEmail('irene');
const COURSE_TITLE = 'Refusals Seminar';

/** A form action POSTed from `page` itself (same origin, its cookies), as fetch would. */
async function postAction(
	page: Page,
	path: string,
	fields: Record<string, string>,
	options: { enhanced: boolean }
): Promise<{ status: number; body: string }> {
	return page.evaluate(
		async ({ path, fields, enhanced }) => {
			const body = new FormData();
			for (const [name, value] of Object.entries(fields)) body.append(name, value);
			const response = await fetch(path, {
				method: 'POST',
				body,
				headers: enhanced ? { accept: 'application/json', 'x-sveltekit-action': 'true' } : {}
			});
			return { status: response.status, body: await response.text() };
		},
		{ path, fields, enhanced: options.enhanced }
	);
}

async function joinCodeAsInstructor(): Promise<string> {
	const page = instructor.page;
	await visit(page, `/courses/${courseId}/settings`);
	return (await page.getByLabel('Join code').textContent())?.trim() ?? '';
}

async function lectureHeadingsAsInstructor(): Promise<string[]> {
	const page = instructor.page;
	await visit(page, `/courses/${courseId}/lectures`);
	await page.getByRole('heading', { name: 'Schedule' }).waitFor();
	const headings = await page
		.getByRole('main')
		.getByRole('heading', { level: 2 })
		.allTextContents();
	return headings.map((h) => h.trim());
}

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp(), launchBrowser()]);
	instructor = await newPerson(browser, app);
	student = await newPerson(browser, app);
	outsider = await newPerson(browser, app);

	const a = instructor.page;
	await signUp(a, { name: 'Irene Instructor', email: instructorEmail });
	await visit(a, '/courses/new');
	await a.getByLabel('Title').fill(COURSE_TITLE);
	await a.getByLabel('Time zone').fill('Europe/Berlin');
	await a.getByRole('button', { name: 'Create course' }).click();
	await a.getByRole('heading', { name: COURSE_TITLE, level: 1 }).waitFor();
	courseId = courseIdOf(a);
	await visit(a, `/courses/${courseId}/lectures/new`);
	await a.getByLabel('Title', { exact: true }).fill('Parallelism');
	await a.getByLabel('Start (Europe/Berlin)').fill('2026-12-09T16:00');
	await a.getByLabel('End (Europe/Berlin)').fill('2026-12-09T18:00');
	await a.getByRole('button', { name: 'Add lecture' }).click();
	await a.getByRole('heading', { name: 'Lecture 1: Parallelism' }).waitFor();
	const code = await joinCodeAsInstructor();

	await signUp(student.page, { name: 'Sam Student', email: uniqueEmail('sam') });
	await visit(student.page, '/join');
	await student.page.getByLabel('Join code').fill(code);
	await student.page.getByRole('button', { name: 'Join' }).click();
	await student.page.getByRole('heading', { name: COURSE_TITLE, level: 1 }).waitFor();

	await signUp(outsider.page, { name: 'Olga Outsider', email: uniqueEmail('olga') });
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

describe('sign-up and sign-in refusals', () => {
	test.each([
		['with JavaScript', true],
		['without JavaScript', false]
	])(
		'an email already in use is refused next to Email, keeping the name (%s)',
		async (_, javaScriptEnabled) => {
			const { page, context } = await newPerson(browser, app, { javaScriptEnabled });
			await visit(page, '/signup');
			await page.getByLabel('Name').fill('Irene Again');
			await page.getByLabel('Email').fill(instructorEmail.toUpperCase());
			await page.getByLabel('Password').fill('another long passphrase');
			await submit(page, page.getByRole('button', { name: 'Sign up' }));
			const email = page.getByLabel('Email');
			await eventually(() => description(email)).toContain(
				'An account with this email already exists'
			);
			expect(await email.getAttribute('aria-invalid')).toBe('true');
			expect(await page.getByLabel('Name').inputValue()).toBe('Irene Again');
			expect(await page.getByLabel('Password').inputValue()).toBe(
				javaScriptEnabled ? 'another long passphrase' : ''
			);
			expect(new URL(page.url()).pathname).toBe('/signup');
			expect(await context.cookies()).toEqual([]);
			await context.close();
		}
	);

	test('a wrong password is refused with one message for both fields', async () => {
		const { page, context } = await newPerson(browser, app);
		await visit(page, '/login');
		await page.getByLabel('Email').fill(instructorEmail);
		await page.getByLabel('Password').fill('not the password at all');
		await submit(page, page.getByRole('button', { name: 'Sign in' }));
		await eventually(() => page.getByRole('alert').textContent()).toBe('Wrong email or password.');
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(await context.cookies()).toEqual([]);
		await context.close();
	});

	test('after 5 wrong passwords even the right one is refused for a while', async () => {
		const email = uniqueEmail('lock');
		const owner = await newPerson(browser, app);
		await signUp(owner.page, { name: 'Locked Out', email });
		await owner.context.close();

		const { page, context } = await newPerson(browser, app);
		await visit(page, '/login');
		const attempt = async (password: string) => {
			await page.getByLabel('Email').fill(email);
			await page.getByLabel('Password').fill(password);
			const started = Date.now();
			await submit(page, page.getByRole('button', { name: 'Sign in' }));
			const alert = await page.getByRole('alert').textContent();
			return { alert: alert?.trim(), ms: Date.now() - started };
		};
		const answers = [];
		for (let i = 1; i <= 5; i++) answers.push(await attempt(`wrong password number ${i}`));
		expect(answers.map((a) => a.alert)).toEqual(Array(5).fill('Wrong email or password.'));
		// From the 4th failure on, answers slow down (0.5 s, then 1 s).
		expect(answers[4].ms).toBeGreaterThanOrEqual(900);

		const last = await attempt(PASSWORD);
		expect(last.alert).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ minutes\.$/);
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(await context.cookies()).toEqual([]);
		await context.close();
	});
});

describe('course refusals', () => {
	test('an unknown join code is refused next to the field', async () => {
		const page = outsider.page;
		await visit(page, '/join');
		const field = page.getByLabel('Join code');
		await field.fill('ZZZZ-9999');
		await submit(page, page.getByRole('button', { name: 'Join' }));
		await eventually(() => description(field)).toContain('No course has this join code');
		expect(await field.getAttribute('aria-invalid')).toBe('true');
		expect(await field.inputValue()).toBe('ZZZZ-9999');
		await visit(page, '/courses');
		await page.getByRole('heading', { name: 'My courses' }).waitFor();
		expect(await page.getByText('You are not in any course yet').isVisible()).toBe(true);
	});

	test('a signed-in non-member gets 404 for every page of the course', async () => {
		const page = outsider.page;
		for (const path of ['', '/lectures', '/members', '/calendar', '/settings']) {
			const response = await visit(page, `/courses/${courseId}${path}`);
			expect(response?.status(), path).toBe(404);
			expect(await page.getByText('Not found', { exact: true }).isVisible(), path).toBe(true);
			expect(await page.getByRole('main').textContent(), path).not.toContain(COURSE_TITLE);
		}
	});

	test("an instructor's own request works the same way (the check below is not CSRF)", async () => {
		const before = await joinCodeAsInstructor();
		const result = await postAction(
			instructor.page,
			`/courses/${courseId}/settings?/rotateJoinCode`,
			{},
			{ enhanced: true }
		);
		expect(result.status).toBe(200);
		expect(JSON.parse(result.body).type).toBe('success');
		expect(await joinCodeAsInstructor()).not.toBe(before);
	});

	test.each([
		['enhanced', true],
		['plain form post', false]
	])(
		"a student's direct POST to instructor actions is refused with 403 (%s)",
		async (_, enhanced) => {
			const page = student.page;
			await visit(page, `/courses/${courseId}`);
			const codeBefore = await joinCodeAsInstructor();
			const lecturesBefore = await lectureHeadingsAsInstructor();
			expect(lecturesBefore).toEqual(['Lecture 1: Parallelism']);

			const rotate = await postAction(
				page,
				`/courses/${courseId}/settings?/rotateJoinCode`,
				{},
				{ enhanced }
			);
			expect(rotate.status).toBe(403);
			expect(rotate.body).toContain('Only instructors can do this.');

			const create = await postAction(
				page,
				`/courses/${courseId}/lectures/new`,
				{
					number: '2',
					title: 'Sneaked in',
					startsAt: '2026-12-16T16:00',
					endsAt: '2026-12-16T18:00'
				},
				{ enhanced }
			);
			expect(create.status).toBe(403);
			expect(create.body).toContain('Only instructors and TAs can do this.');

			const announce = await postAction(
				page,
				`/courses/${courseId}?/postAnnouncement`,
				{ title: 'Sneaked announcement', body: 'Not from staff.' },
				{ enhanced }
			);
			expect(announce.status).toBe(403);

			expect(await joinCodeAsInstructor()).toBe(codeBefore);
			expect(await lectureHeadingsAsInstructor()).toEqual(lecturesBefore);
			await visit(instructor.page, `/courses/${courseId}`);
			await instructor.page.getByRole('heading', { name: 'Announcements' }).waitFor();
			expect(await instructor.page.getByRole('main').textContent()).not.toContain('Sneaked');
		}
	);

	test('a lecture that ends before it starts is refused next to End', async () => {
		const page = instructor.page;
		await visit(page, `/courses/${courseId}`);
		await courseNav(page, 'Schedule').click();
		await page.getByRole('link', { name: 'Add a lecture' }).click();
		await page.getByLabel('Title', { exact: true }).fill('Backwards');
		await page.getByLabel('Start (Europe/Berlin)').fill('2026-12-16T16:00');
		await page.getByLabel('End (Europe/Berlin)').fill('2026-12-16T15:00');
		await submit(page, page.getByRole('button', { name: 'Add lecture' }));
		const end = page.getByLabel('End (Europe/Berlin)');
		await eventually(() => description(end)).toContain('The lecture must end after it starts.');
		expect(await end.getAttribute('aria-invalid')).toBe('true');
		expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Backwards');
		expect(new URL(page.url()).pathname).toBe(`/courses/${courseId}/lectures/new`);
		expect(await lectureHeadingsAsInstructor()).toEqual(['Lecture 1: Parallelism']);
	});
});
