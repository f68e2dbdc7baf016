import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
	courseNav,
	launchBrowser,
	newPerson,
	signIn,
	startApp,
	visit,
	type App,
	DEMO_PASSWORD,
	DEMO_COURSE
} from './harness';

let app: App;
let browser: Browser;
let downloads: string;

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
	downloads = mkdtempSync(path.join(os.tmpdir(), 'podium-gradebook-'));
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	rmSync(downloads, { recursive: true, force: true });
});

const INSTRUCTOR = { email: 'instructor@example.org', password: DEMO_PASSWORD };
const EMIL = { email: 'emil@example.org', password: DEMO_PASSWORD, name: 'Emil Lindqvist' };
const STUDENT_EMAILS = [
	'amara',
	'ben',
	'chen',
	'dalia',
	'emil',
	'farah',
	'gabriel',
	'hana',
	'ivan',
	'julia'
].map((name) => `${name}@example.org`);
const OTHER_NAMES = ['Amara Okafor', 'Ben Hoffmann', 'Farah Siddiqui', 'Julia Rossi'];

async function openGrades(page: Page): Promise<void> {
	await visit(page, '/');
	await page.getByRole('link', { name: DEMO_COURSE }).click();
	await courseNav(page, 'Grades').click();
	await page.getByRole('heading', { level: 1, name: 'Grades' }).waitFor();
}

describe('gradebook', () => {
	test('the instructor downloads the Moodle CSV: a header and one row per student', async () => {
		const { page, context } = await newPerson(browser, app);
		await signIn(page, INSTRUCTOR);
		await openGrades(page);
		const [file] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: 'Moodle CSV' }).click()
		]);
		const saved = path.join(downloads, file.suggestedFilename());
		await file.saveAs(saved);
		expect(saved).toMatch(/\.csv$/);
		const [header, ...rows] = Papa.parse<string[]>(readFileSync(saved, 'utf8').trim()).data;
		expect(header[0]).toBe('Email address');
		expect(header).toEqual(
			expect.arrayContaining(['Presentation', 'Participation', 'Final grade'])
		);
		expect(rows.map((r) => r[0]).sort()).toEqual(STUDENT_EMAILS);
		for (const row of rows) {
			expect(row).toHaveLength(header.length);
			expect(Number(row[header.indexOf('Final grade')])).toBeGreaterThanOrEqual(0);
		}
		await context.close();
	});

	test('a student sees their own grade and its parts, and no one else’s', async () => {
		const { page, context } = await newPerson(browser, app);
		await signIn(page, EMIL);
		await openGrades(page);
		const table = page.getByRole('table', { name: 'Your grade and its parts' });
		await expect(table.getByRole('rowheader', { name: 'Final grade' }).isVisible()).resolves.toBe(
			true
		);
		await expect(table.getByRole('rowheader', { name: 'Participation' }).isVisible()).resolves.toBe(
			true
		);
		const text = await page.locator('main').innerText();
		for (const name of OTHER_NAMES) expect(text).not.toContain(name);
		await expect(page.getByRole('link', { name: 'Moodle CSV' }).count()).resolves.toBe(0);
		const refused = await page.request.get(
			page.url().replace(/\/grades$/, '/grades/export?format=moodle')
		);
		expect(refused.status()).toBe(403);
		await context.close();
	});
});

describe('dashboard', () => {
	test('sorts the participation table by links and draws the charts with their data', async () => {
		const { page, context, pageErrors } = await newPerson(browser, app);
		await signIn(page, INSTRUCTOR);
		await openGrades(page);
		await page.getByRole('link', { name: 'Participation dashboard' }).click();
		const table = page.getByRole('table', { name: /Participation points per student/ });
		await table.getByRole('link', { name: 'Participation' }).click();
		await page.waitForURL(/sort=percent&dir=asc/);
		await table.getByRole('link', { name: 'Participation' }).click();
		await page.waitForURL(/sort=percent&dir=desc/);
		const percents = await table
			.locator('tbody tr td:last-child')
			.evaluateAll((cells) => cells.map((c) => parseFloat(c.textContent ?? '')));
		expect(percents.length).toBe(STUDENT_EMAILS.length);
		expect(percents).toEqual([...percents].sort((a, b) => b - a));
		const chart = page.getByRole('img', { name: /Distribution of participation scores/ });
		await chart.locator('canvas').waitFor();
		await expect
			.poll(() => chart.locator('canvas').evaluate((c: HTMLCanvasElement) => c.width))
			.toBeGreaterThan(0);
		await page.getByText('Data: Distribution of participation scores').click();
		const counts = await page
			.getByRole('table')
			.filter({ has: page.getByRole('columnheader', { name: 'Students' }) })
			.locator('tbody td:last-child')
			.allInnerTexts();
		expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(STUDENT_EMAILS.length);
		expect(pageErrors).toEqual([]);
		await context.close();
	});
});
