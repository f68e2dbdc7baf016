import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AxeResults, ImpactValue, Result } from 'axe-core';
import {
	courseIdOf,
	launchBrowser,
	newPerson,
	pdfLoaded,
	selectPdfText,
	signIn,
	startApp,
	submit,
	visit,
	type App,
	DEMO_PASSWORD,
	DEMO_COURSE
} from './harness';

// axe.min.js is injected through the DevTools protocol (page.evaluate), which the app's
// Content-Security-Policy (no inline script) does not apply to.
const AXE_SOURCE = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING: ImpactValue[] = ['serious', 'critical'];

const INSTRUCTOR = { email: 'instructor@example.org', password: DEMO_PASSWORD };
// Amara presents lecture 2; Julia presents none of the demo lectures.
const PRESENTER = { email: 'amara@example.org', password: DEMO_PASSWORD };
const STUDENT = { email: 'julia@example.org', password: DEMO_PASSWORD };

let app: App;
let browser: Browser;

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

interface Scan {
	name: string;
	url: string;
	violations: Result[];
}
const scans: Scan[] = [];

/** Runs axe on the page as it is now (WCAG 2.1 A and AA rules) and keeps its violations. */
async function scan(page: Page, name: string): Promise<void> {
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
	const results = await page.evaluate(
		(tags) =>
			(window as unknown as { axe: { run: (...args: unknown[]) => Promise<AxeResults> } }).axe.run(
				document,
				{ resultTypes: ['violations'], runOnly: { type: 'tag', values: tags } }
			),
		WCAG_21_AA
	);
	scans.push({ name, url: new URL(page.url()).pathname, violations: results.violations });
}

/**
 * Opens `path`, waits for its level-1 heading, opens every disclosure (forms and pickers
 * behind a <summary>: open, it shows all that it shows closed and more) and scans the page.
 */
async function scanPage(page: Page, name: string, path: string) {
	const response = await visit(page, path);
	expect(response?.status(), path).toBe(200);
	await page.getByRole('heading', { level: 1 }).first().waitFor();
	for (const summary of await page.locator('details:not([open]) > summary').all()) {
		if (await summary.isVisible()) await summary.click();
	}
	await scan(page, name);
}

async function hrefOf(link: Locator): Promise<string> {
	const href = await link.first().getAttribute('href');
	if (!href) throw new Error('The link has no address.');
	return new URL(href, app.url).pathname;
}

test('every main page has no serious or critical WCAG 2.1 A/AA violation', async () => {
	const anonymous = (await newPerson(browser, app)).page;
	await scanPage(anonymous, 'home (signed out)', '/');
	await scanPage(anonymous, 'sign in', '/login');
	// The scan finds what it should: a field without a label is a critical violation.
	await anonymous.evaluate(() =>
		document.querySelector('main')?.append(document.createElement('input'))
	);
	await scan(anonymous, 'self-check');
	const check = scans.pop()!;
	expect(check.violations.map((v) => [v.id, v.impact])).toContainEqual(['label', 'critical']);
	await scanPage(anonymous, 'sign up', '/signup');
	await submit(anonymous, anonymous.getByRole('button', { name: 'Sign up' }));
	await anonymous
		.getByRole('alert')
		.or(anonymous.locator('[aria-invalid="true"]'))
		.first()
		.waitFor();
	await scan(anonymous, 'sign up, refused with messages');

	// The instructor finds the addresses of the demo course's pages.
	const staff = (await newPerson(browser, app)).page;
	await signIn(staff, INSTRUCTOR);
	await scan(staff, 'courses (instructor)');
	await staff.getByRole('link', { name: DEMO_COURSE }).click();
	await staff.getByRole('heading', { name: DEMO_COURSE, level: 1 }).waitFor();
	const course = `/courses/${courseIdOf(staff)}`;
	await scan(staff, 'course home (instructor)');
	await visit(staff, `${course}/lectures`);
	const lecture1 = await hrefOf(staff.getByRole('link', { name: /^Lecture 1:/ }));
	const lecture2 = await hrefOf(staff.getByRole('link', { name: /^Lecture 2:/ }));
	await visit(staff, lecture1);
	const paper = await hrefOf(
		staff.getByRole('region', { name: 'Readings' }).locator('a[href*="/papers/"]')
	);
	await visit(staff, `${lecture1}/critiques`);
	// The demo's critiques have one version each; the history page shows it all the same.
	const critiqueId = (await staff.locator('article[id^="critique-"]').first().getAttribute('id'))!;
	const critiqueHistory = `${lecture1}/critiques/history/${critiqueId.slice('critique-'.length)}`;
	await visit(staff, course);
	const announcementEdit = await hrefOf(staff.getByRole('link', { name: /^Edit/ }));
	await visit(staff, `${course}/settings`);
	const invite = new URL((await staff.getByLabel('Invite link').textContent())!.trim()).pathname;
	await visit(staff, `${course}/participation`);
	const studentParticipation = await hrefOf(
		staff.getByRole('main').getByRole('link', { name: 'Julia', exact: false })
	);

	await scanPage(staff, 'new course', '/courses/new');
	await scanPage(staff, 'settings', `${course}/settings`);
	await scanPage(staff, 'members', `${course}/members`);
	await scanPage(staff, 'presenters', `${course}/presenters`);
	await scanPage(staff, 'new lecture', `${course}/lectures/new`);
	await scanPage(staff, 'lecture edit', `${lecture1}/edit`);
	await scanPage(staff, 'announcement edit', announcementEdit);
	await scanPage(staff, 'participation (staff)', `${course}/participation`);
	await scanPage(staff, 'participation of a student', studentParticipation);
	await scanPage(staff, 'participation rules', `${course}/participation/rules`);
	await scanPage(staff, 'grades (instructor)', `${course}/grades`);
	await scanPage(staff, 'dashboard', `${course}/dashboard`);
	await scanPage(staff, 'talk grade', `${lecture2}/grade`);
	await scanPage(staff, 'mini-project (staff)', `${lecture1}/mini-project`);
	await scanPage(staff, 'critique history', critiqueHistory);
	await scanPage(staff, 'deck editor', `${lecture1}/deck`);
	await scanPage(staff, 'deck history', `${lecture1}/deck/history`);
	await visit(staff, `${lecture1}/deck/print`);
	await staff
		.getByRole('status')
		.getByText(/^Ready: \d+ pages?\.$/)
		.waitFor();
	await scan(staff, 'deck print');
	await scanPage(staff, 'present (not started)', `${lecture1}/present`);
	await submit(staff, staff.getByRole('button', { name: /^Start/ }));
	await staff.getByText('Live: the class follows your slides.', { exact: true }).waitFor();
	await staff.getByRole('region', { name: 'Current slide', exact: true }).waitFor();
	await scan(staff, 'present (live)');

	// A student, as a classmate of lecture 1.
	const student = (await newPerson(browser, app)).page;
	await signIn(student, STUDENT);
	await scanPage(student, 'courses (student)', '/courses');
	await scanPage(student, 'course home (student)', course);
	await scanPage(student, 'schedule', `${course}/lectures`);
	await scanPage(student, 'lecture', lecture1);
	await scanPage(student, 'live talk', `${lecture1}/live`);
	await scanPage(student, 'critiques', `${lecture1}/critiques`);
	await scanPage(
		student,
		'paper critique form, evidence pickers open',
		`${lecture1}/critiques/paper`
	);
	await submit(student, student.getByRole('button', { name: 'Submit critique' }));
	await student.locator('[aria-invalid="true"]').first().waitFor();
	await scan(student, 'paper critique form, refused with messages');
	await scanPage(student, 'talk critique form', `${lecture1}/critiques/presentation`);
	await scanPage(student, 'mini-project (student)', `${lecture1}/mini-project`);
	await scanPage(student, 'search with results', `${course}/search?q=memory`);
	expect(await student.getByRole('main').getByRole('listitem').count()).toBeGreaterThan(0);
	await scanPage(student, 'calendar', `${course}/calendar`);
	await scanPage(student, 'participation (student)', `${course}/participation`);
	await scanPage(student, 'grades (student)', `${course}/grades`);
	await scanPage(student, 'notifications', '/notifications');
	await scanPage(student, 'account', '/account');
	await scanPage(student, 'join with a code', '/join');
	await scanPage(student, 'join by invite link', invite);
	await visit(student, paper);
	await pdfLoaded(student);
	await scan(student, 'paper viewer');
	await selectPdfText(student, 1, 'Training a transformer', 'forward pass');
	await student.getByRole('heading', { name: 'New annotation' }).waitFor();
	await scan(student, 'paper viewer, annotation composer open');

	// A presenter of lecture 2 on the deck editor of a talk of their own.
	const presenter = (await newPerson(browser, app)).page;
	await signIn(presenter, PRESENTER);
	await scanPage(presenter, 'deck editor (presenter)', `${lecture2}/deck`);
	await scanPage(presenter, 'lecture (presenter)', lecture2);

	const counts = new Map<string, number>();
	for (const s of scans)
		for (const v of s.violations)
			counts.set(v.impact ?? 'none', (counts.get(v.impact ?? 'none') ?? 0) + 1);
	console.log(
		`axe: ${scans.length} page states scanned; violations by impact: ${
			[...counts].map(([impact, n]) => `${impact} ${n}`).join(', ') || 'none'
		}`
	);
	for (const s of scans)
		for (const v of s.violations)
			if (!FAILING.includes(v.impact ?? 'minor'))
				console.log(`  ${v.impact} ${v.id} on ${s.name} (${v.nodes.length})`);

	const failing = scans.flatMap((s) =>
		s.violations
			.filter((v) => FAILING.includes(v.impact ?? 'minor'))
			.map(
				(v) =>
					`${s.name} ${s.url}: ${v.impact} ${v.id}: ${v.help} — ${v.nodes
						.slice(0, 3)
						.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`)
						.join(' | ')}`
			)
	);
	expect(failing).toEqual([]);
}, 150_000);
