import { afterAll, beforeAll, expect, test } from 'vitest';
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
	thread,
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

const AMARA = { email: 'amara@example.org', password: DEMO_PASSWORD };
const JULIA = { email: 'julia@example.org', password: DEMO_PASSWORD };
const INSTRUCTOR = { email: 'instructor@example.org', password: DEMO_PASSWORD };
const PAPER = 'Study Notes: Trading Compute for Memory with Activation Checkpointing';
const AMARAS_QUOTE = /these activations, not the weights/;

/** The header's link to the notifications, and the unread count its name gives. */
function notificationsLink(page: Page) {
	return page
		.getByRole('navigation', { name: 'Account' })
		.getByRole('link', { name: /^Notifications/ });
}
async function unread(page: Page): Promise<number> {
	const name = (await notificationsLink(page).textContent())!.replace(/\s+/g, ' ').trim();
	return Number(/\((\d+) unread\)/.exec(name)?.[1] ?? 0);
}

test('a reply to a student’s annotation reaches them as a notification that leads to it', async () => {
	const amara = await newPerson(browser, app);
	await signIn(amara.page, AMARA);
	await visit(amara.page, '/courses');
	const before = await unread(amara.page);

	const julia = await newPerson(browser, app);
	await signIn(julia.page, JULIA);
	await julia.page.getByRole('link', { name: DEMO_COURSE }).click();
	await courseNav(julia.page, 'Schedule').click();
	await julia.page.getByRole('link', { name: PAPER }).click();
	const amaras = thread(julia.page, AMARAS_QUOTE);
	await amaras.waitFor();
	await amaras.getByRole('button', { name: 'Reply to this annotation' }).click();
	await amaras.getByLabel('Your reply').fill('The activation term is what checkpointing attacks.');
	await submit(julia.page, amaras.getByRole('button', { name: 'Post reply' }));

	await reload(amara.page);
	expect(await unread(amara.page)).toBe(before + 1);
	await notificationsLink(amara.page)
		.getByText(`(${before + 1} unread)`)
		.waitFor();
	await notificationsLink(amara.page).click();
	await amara.page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
	const notice = amara.page
		.getByRole('main')
		.getByRole('link', { name: `Julia Rossi replied to your annotation on “${PAPER}”.` });
	await notice.click();
	await amara.page.waitForURL(/\/papers\/[^/]+#annotation-/);
	await thread(amara.page, AMARAS_QUOTE)
		.getByText('The activation term is what checkpointing attacks.')
		.waitFor();
	// Following it marked it read.
	expect(await unread(amara.page)).toBe(before);

	await visit(amara.page, '/notifications');
	if (before > 0) {
		await submit(amara.page, amara.page.getByRole('button', { name: 'Mark all as read' }));
		await eventually(() => unread(amara.page)).toBe(0);
	}
	expect(await amara.page.getByRole('main').textContent()).toContain('All read.');
	expect(amara.pageErrors).toEqual([]);
	expect(julia.pageErrors).toEqual([]);
});

test('the dashboard lists a student’s critique still to write', async () => {
	const { page } = await newPerson(browser, app);
	await signIn(page, JULIA);
	await visit(page, '/courses');
	const due = page
		.getByRole('main')
		.getByRole('link', { name: /critique for Lecture \d due before/ });
	expect(await due.count()).toBeGreaterThan(0);
	expect(await due.first().getAttribute('href')).toMatch(/\/lectures\/[^/]+\/critiques$/);
});

test('the instructor sets when critiques are shown and changes a score scale', async () => {
	const { page, pageErrors } = await newPerson(browser, app);
	await signIn(page, INSTRUCTOR);
	await page.getByRole('link', { name: DEMO_COURSE }).click();
	await courseNav(page, 'Settings').click();
	const critiques = page.getByRole('region', { name: 'Critiques' });
	await critiques.getByLabel('only after the deadline').check();
	await submit(page, critiques.getByRole('button', { name: 'Save when critiques are shown' }));
	await critiques.getByText('Saved when classmates read each other’s critiques.').waitFor();

	const form = critiques.getByRole('region', { name: 'Presentation critique form' });
	const delivery = form.getByRole('group', { name: 'Field 6: Delivery' });
	// A scale that ends below its start is refused with the row named, and nothing is saved.
	await delivery.getByLabel('Lowest score').fill('5');
	await delivery.getByLabel('Highest score').fill('3');
	await submit(page, form.getByRole('button', { name: 'Save the presentation critique form' }));
	await form
		.getByRole('alert')
		.getByText('Field 6: A scale must end above where it starts.')
		.waitFor();
	expect(await delivery.getByLabel('Lowest score').inputValue()).toBe('5');

	await delivery.getByLabel('Lowest score').fill('1');
	await delivery.getByLabel('Highest score').fill('10');
	await delivery.getByLabel('Word for the highest').fill('captivating');
	await submit(page, form.getByRole('button', { name: 'Save the presentation critique form' }));
	await form.getByText('Presentation critique form saved.').waitFor();

	await reload(page);
	const saved = page
		.getByRole('region', { name: 'Presentation critique form' })
		.getByRole('group', { name: 'Field 6: Delivery' });
	expect(await saved.getByLabel('Highest score').inputValue()).toBe('10');
	expect(await saved.getByLabel('Word for the highest').inputValue()).toBe('captivating');
	expect(await page.getByLabel('only after the deadline').isChecked()).toBe(true);
	expect(pageErrors).toEqual([]);
});
