import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import {
	PASSWORD,
	description,
	eventually,
	launchBrowser,
	newPerson,
	signIn,
	signUp,
	startApp,
	submit,
	uniqueEmail,
	type App,
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

test('changing the password signs out every other session of the account', async () => {
	const email = uniqueEmail('carla');
	const NEW_PASSWORD = 'a brand new passphrase';
	const first = await newPerson(browser, app);
	await signUp(first.page, { name: 'Carla Changer', email });
	const second = await newPerson(browser, app);
	await signIn(second.page, { email });
	await second.page.getByRole('heading', { name: 'My courses' }).waitFor();

	const page = first.page;
	await page.getByRole('link', { name: 'Carla Changer' }).click();
	await page.getByRole('heading', { name: 'Your account' }).waitFor();

	// A wrong current password changes nothing.
	await page.getByLabel('Current password').fill('not my password');
	await page.getByLabel('New password').fill(NEW_PASSWORD);
	await submit(page, page.getByRole('button', { name: 'Change password' }));
	await eventually(() => description(page.getByLabel('Current password'))).toContain(
		'The current password is not right.'
	);
	await reload(second.page);
	await second.page.getByRole('heading', { name: 'My courses' }).waitFor();

	await page.getByLabel('Current password').fill(PASSWORD);
	await page.getByLabel('New password').fill(NEW_PASSWORD);
	await submit(page, page.getByRole('button', { name: 'Change password' }));
	await eventually(() => page.getByRole('status').textContent()).toBe(
		'Password changed. Every other session of your account is signed out.'
	);

	// The other session is gone: reloading sends it to sign in.
	await reload(second.page);
	await second.page.getByRole('heading', { name: 'Sign in' }).waitFor();
	const url = new URL(second.page.url());
	expect(url.pathname).toBe('/login');
	expect(url.searchParams.get('next')).toBe('/courses');
	expect((await second.context.cookies()).map((c) => c.name)).not.toContain('podium_session');

	// The session that changed the password stays signed in.
	await reload(page);
	await page.getByRole('heading', { name: 'Your account' }).waitFor();
	expect(await page.getByRole('main').textContent()).toContain(`Signed in as ${email}`);

	// The old password no longer works, the new one does.
	await second.page.getByLabel('Email').fill(email);
	await second.page.getByLabel('Password').fill(PASSWORD);
	await submit(second.page, second.page.getByRole('button', { name: 'Sign in' }));
	await eventually(() => second.page.getByRole('alert').textContent()).toBe(
		'Wrong email or password.'
	);
	await signIn(second.page, { email, password: NEW_PASSWORD });
	await second.page.getByRole('heading', { name: 'My courses' }).waitFor();
	expect(new URL(second.page.url()).pathname).toBe('/courses');
});
