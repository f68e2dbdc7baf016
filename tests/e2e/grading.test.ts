import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { samplePaperPdf } from '../fixtures/pdf';
import {
	courseNav,
	launchBrowser,
	newPerson,
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
// Emil and Farah present lecture 4; Julia is a classmate.
const EMIL = { email: 'emil@example.org', password: DEMO_PASSWORD };
const JULIA = { email: 'julia@example.org', password: DEMO_PASSWORD };

async function signedIn(person: { email: string; password: string }): Promise<Page> {
	const { page } = await newPerson(browser, app);
	await signIn(page, person);
	return page;
}

/** Opens a lecture from the schedule and returns its address. */
async function openLecture(page: Page, title: string): Promise<string> {
	await visit(page, '/');
	await page.getByRole('link', { name: DEMO_COURSE }).click();
	await courseNav(page, 'Schedule').click();
	await page.getByRole('link', { name: title }).click();
	await page.getByRole('heading', { name: title, level: 1 }).waitFor();
	return new URL(page.url()).pathname;
}

describe('grading talks and mini-projects', () => {
	test('the instructor grades a talk with feedback; a presenter reads it, others cannot', async () => {
		const mira = await signedIn(INSTRUCTOR);
		const lectureUrl = await openLecture(mira, 'Lecture 4: Parallelism II');
		await mira.getByRole('link', { name: 'Grade of the talk' }).click();
		await mira.getByRole('heading', { name: 'Not graded yet' }).waitFor();
		const scores = [
			['Comprehensive explanation of the topic (0–25 points)', '22'],
			['Assessment of strengths and weaknesses (0–25 points)', '20'],
			['Delivery and slides (0–25 points)', '18'],
			['Handling of questions (0–25 points)', '20']
		];
		for (const [label, value] of scores) await mira.getByLabel(label).fill(value);
		await mira.getByLabel('Feedback for the presenters').fill('A **clear** pipeline diagram.');
		await submit(mira, mira.getByRole('button', { name: 'Save grade' }));
		await mira.getByRole('heading', { name: "The pair's grade: 80 %" }).waitFor();
		await mira
			.getByLabel('Adjustment for Emil Lindqvist (percentage points, -100 to 100)')
			.fill('5');
		await mira
			.getByLabel("Reason for Emil Lindqvist's adjustment")
			.fill('Answered most questions.');
		await submit(mira, mira.getByRole('button', { name: 'Save adjustment for Emil Lindqvist' }));
		await mira.getByText('Emil Lindqvist: 85 %').waitFor();

		const emil = await signedIn(EMIL);
		await visit(emil, lectureUrl);
		await emil.getByRole('link', { name: 'Grade of the talk' }).click();
		await emil.getByRole('heading', { name: "The pair's grade: 80 %" }).waitFor();
		await emil.getByText('Your grade: 85 %').waitFor();
		expect(await emil.locator('strong', { hasText: 'clear' }).count()).toBe(1);
		expect(await emil.getByRole('button', { name: 'Save grade' }).count()).toBe(0);

		const julia = await signedIn(JULIA);
		await visit(julia, lectureUrl);
		expect(await julia.getByRole('link', { name: 'Grade of the talk' }).count()).toBe(0);
		expect((await visit(julia, `${lectureUrl}/grade`))?.status()).toBe(404);
	});

	test('a published mini-project gets a report, a grade and feedback', async () => {
		const mira = await signedIn(INSTRUCTOR);
		const lectureUrl = await openLecture(mira, 'Lecture 3: Parallelism I');
		const julia = await signedIn(JULIA);
		expect((await visit(julia, `${lectureUrl}/mini-project`))?.status()).toBe(404);

		await mira.getByRole('link', { name: 'Mini-project' }).click();
		await mira.getByRole('heading', { name: 'Mini-project', level: 1 }).waitFor();
		await mira.getByLabel('Title', { exact: true }).fill('Pipeline bubbles');
		await mira.getByLabel('Description').fill('Estimate the bubble of *GPipe* for 4 stages.');
		await mira.getByLabel('Points a report is worth').fill('10');
		await submit(mira, mira.getByRole('button', { name: 'Publish mini-project' }));
		await mira.getByRole('heading', { name: 'Mini-project: Pipeline bubbles' }).waitFor();

		await visit(julia, lectureUrl);
		await julia.getByRole('link', { name: 'Mini-project' }).click();
		await julia.getByRole('heading', { name: 'Mini-project: Pipeline bubbles' }).waitFor();
		await julia.getByLabel('Report (PDF, 1–2 pages)').setInputFiles({
			name: 'bubbles.pdf',
			mimeType: 'application/pdf',
			buffer: Buffer.from(await samplePaperPdf())
		});
		await submit(julia, julia.getByRole('button', { name: 'Upload report' }));
		await julia.getByRole('status').getByText('Report uploaded (version 1).').waitFor();
		await julia.getByRole('link', { name: 'Version 1: bubbles.pdf' }).waitFor();

		await visit(mira, `${lectureUrl}/mini-project`);
		await mira.getByRole('heading', { name: 'Julia Rossi' }).waitFor();
		await mira.getByLabel('Points for Julia Rossi (0–10)').fill('9');
		await mira.getByLabel('Feedback for Julia Rossi').fill('Right bubble fraction.');
		await submit(mira, mira.getByRole('button', { name: 'Save grade for Julia Rossi' }));
		await mira.getByText('9 of 10').waitFor();

		await visit(julia, `${lectureUrl}/mini-project`);
		await julia.getByRole('heading', { name: 'Grade: 9 of 10' }).waitFor();
		await julia.getByText('Right bubble fraction.').waitFor();
		const download = await julia.request.get(
			(await julia.getByRole('link', { name: 'Version 1: bubbles.pdf' }).getAttribute('href'))!
		);
		expect(download.headers()['content-type']).toBe('application/pdf');
	});

	test('the instructor edits the talk rubric; a new grade form follows it', async () => {
		const mira = await signedIn(INSTRUCTOR);
		const lectureUrl = await openLecture(mira, 'Lecture 5: Parameter-efficient finetuning');
		await courseNav(mira, 'Grades').click();
		const rubric = mira.getByRole('region', { name: 'Talk rubric' });
		await rubric.getByLabel('Criterion 3', { exact: true }).fill('Slides and pacing');
		await rubric.getByLabel('Max points for criterion 3').fill('0');
		await submit(mira, rubric.getByRole('button', { name: 'Save the talk rubric' }));
		await rubric.getByText('Criterion 3: Enter a whole number of points from 1 to 100.').waitFor();

		await rubric.getByLabel('Max points for criterion 3').fill('30');
		await submit(mira, rubric.getByRole('button', { name: 'Move criterion 4 up' }));
		await rubric.getByRole('group', { name: 'Criterion 4: Slides and pacing' }).waitFor();
		await submit(mira, rubric.getByRole('button', { name: 'Save the talk rubric' }));
		await rubric.getByText('Talk rubric saved.').waitFor();

		await visit(mira, `${lectureUrl}/grade`);
		await mira.getByRole('heading', { name: 'Not graded yet' }).waitFor();
		await mira.getByLabel('Slides and pacing (0–30 points)').waitFor();
		expect(await mira.getByLabel('Delivery and slides (0–25 points)').count()).toBe(0);
		const labels = await mira
			.getByRole('spinbutton')
			.evaluateAll((inputs) =>
				inputs.map((i) => (i as HTMLInputElement).labels?.[0]?.textContent?.trim())
			);
		expect(labels.slice(2, 4)).toEqual([
			'Handling of questions (0–25 points)',
			'Slides and pacing (0–30 points)'
		]);
	});
});
