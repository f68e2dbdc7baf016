import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import type { Browser } from 'playwright-core';
import {
	courseIdOf,
	launchBrowser,
	newPerson,
	scriptSrc,
	signIn,
	signUp,
	startApp,
	submit,
	uniqueEmail,
	type App,
	type Person,
	visit
} from './harness';
import { ROOT, ServerProcess, freePort, startServer } from './server-process';

let app: App;
let browser: Browser;
let person: Person;
const email = uniqueEmail('sid');
const restarted: ServerProcess[] = [];

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp(), launchBrowser()]);
	person = await newPerson(browser, app);
});

afterAll(async () => {
	await browser?.close();
	for (const server of restarted) await server.stop();
	await app?.stop();
});

describe('headers', () => {
	test('the session cookie is HttpOnly and SameSite=Lax', async () => {
		const { page, context } = person;
		await visit(page, '/signup');
		await page.getByLabel('Name').fill('Sid Server');
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password').fill('correct horse battery');
		const response = await submit(page, page.getByRole('button', { name: 'Sign up' }));
		const setCookie = (await response.headerValue('set-cookie')) ?? '';
		expect(setCookie).toMatch(/^podium_session=[a-z0-9]+;/);
		expect(setCookie).toMatch(/;\s*HttpOnly/i);
		expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
		expect(setCookie).toMatch(/;\s*Path=\//i);
		await page.waitForURL('**/courses');

		const [cookie] = (await context.cookies()).filter((c) => c.name === 'podium_session');
		expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
		// Scripts of the page cannot read it.
		expect(await page.evaluate(() => document.cookie)).not.toContain('podium_session');
	});

	test('every HTML page has a CSP whose script-src allows no inline script', async () => {
		const { page } = person;
		await visit(page, '/courses/new');
		await page.getByLabel('Title').fill('Header Seminar');
		await page.getByRole('button', { name: 'Create course' }).click();
		await page.getByRole('heading', { name: 'Header Seminar', level: 1 }).waitFor();
		const course = `/courses/${courseIdOf(page)}`;

		const signedIn = [
			'/courses',
			'/courses/new',
			'/account',
			'/join',
			course,
			`${course}/lectures`,
			`${course}/lectures/new`,
			`${course}/members`,
			`${course}/calendar`,
			`${course}/settings`,
			'/courses/no-such-course',
			'/no-such-page'
		];
		const signedOut = ['/', '/login', '/signup', '/login?next=%2Fcourses', '/no-such-page'];
		const pages: { path: string; status: number; csp: string; html: string }[] = [];
		for (const path of signedIn) {
			const response = await visit(page, path);
			if (!response) throw new Error(`No response for ${path}`);
			pages.push({
				path,
				status: response.status(),
				csp: (await response.headerValue('content-security-policy')) ?? '',
				html: await response.text()
			});
		}
		for (const path of signedOut) {
			const response = await fetch(`${app.url}${path}`, { redirect: 'manual' });
			pages.push({
				path,
				status: response.status,
				csp: response.headers.get('content-security-policy') ?? '',
				html: await response.text()
			});
		}
		expect(pages.filter((p) => p.status === 404).map((p) => p.path)).toEqual([
			'/courses/no-such-course',
			'/no-such-page',
			'/no-such-page'
		]);
		for (const { path, csp, html } of pages) {
			expect(csp, path).not.toBe('');
			const scripts = scriptSrc(csp);
			expect(scripts, path).toMatch(/^script-src /);
			expect(scripts, path).not.toContain('unsafe-inline');
			// SvelteKit's own inline start-up script runs only through its nonce or hash.
			const nonce = /'nonce-([^']+)'/.exec(scripts)?.[1];
			const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
			expect(inline.length, path).toBeGreaterThan(0);
			for (const attributes of inline) {
				if (nonce) expect(attributes, path).toContain(`nonce="${nonce}"`);
				else expect(scripts, path).toMatch(/'sha256-/);
			}
		}
	});
});

describe('the server process', () => {
	test('a second server on the same data folder refuses to start', async () => {
		const second = new ServerProcess({
			buildDir: inject('e2eBuildDir'),
			dataDir: app.dataDir,
			port: await freePort()
		});
		const exit = await second.exitWithin(30_000);
		if (!exit) second.child.kill('SIGKILL');
		expect(exit).not.toBeNull();
		expect(exit?.code).not.toBe(0);
		expect(second.output).toContain('in use by another Podium process');
		// The first one is untouched and still serves.
		expect((await fetch(`${app.url}/health`)).status).toBe(200);
		expect(existsSync(path.join(app.dataDir, 'podium.lock'))).toBe(true);
	});

	test('SIGTERM stops the server within seconds, releasing the folder with the data', async () => {
		// An open keep-alive connection from the browser must not hold the exit up.
		await visit(person.page, '/courses');
		await person.page.getByRole('heading', { name: 'My courses' }).waitFor();

		const started = Date.now();
		app.server.child.kill('SIGTERM');
		const exit = await app.server.exitWithin(5_000);
		expect(exit).toEqual({ code: 0, signal: null });
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(existsSync(path.join(app.dataDir, 'podium.lock'))).toBe(false);

		// A new server on the same folder starts and has everything the first one wrote.
		const again = await startServer({
			buildDir: inject('e2eBuildDir'),
			dataDir: app.dataDir,
			port: await freePort()
		});
		restarted.push(again);
		const { page } = await newPerson(browser, { ...app, url: again.url });
		await signIn(page, { email });
		await page.getByRole('link', { name: 'Header Seminar' }).waitFor();
		expect(new URL(page.url()).pathname).toBe('/courses');
	});

	test('`npm start` on plain http with no ORIGIN set: a person signs up and in at localhost', async () => {
		const dataDir = mkdtempSync(path.join(inject('e2eTempDir'), 'npm-start-'));
		cpSync(inject('e2eTemplateDir'), dataDir, { recursive: true });
		rmSync(path.join(dataDir, 'podium.lock'), { force: true });
		const port = await freePort();
		const started = await startServer({
			buildDir: inject('e2eBuildDir'),
			script: path.join(ROOT, 'scripts', 'start.js'),
			dataDir,
			port,
			// As on a fresh machine: the README says nothing about ORIGIN for the first start.
			env: { ORIGIN: '', BODY_SIZE_LIMIT: '' }
		});
		restarted.push(started);
		const { page } = await newPerson(browser, { ...app, url: `http://localhost:${port}` });
		const newcomer = { name: 'Nadia Start', email: uniqueEmail('nadia') };
		await signUp(page, newcomer);
		await page.getByRole('heading', { name: 'My courses' }).waitFor();
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL((url) => url.pathname === '/login' || url.pathname === '/');
		await signIn(page, newcomer);
		await page.getByRole('heading', { name: 'My courses' }).waitFor();
		expect(new URL(page.url()).pathname).toBe('/courses');
	});
});
