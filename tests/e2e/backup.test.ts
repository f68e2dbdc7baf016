import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import {
	courseIdOf,
	courseNav,
	DEMO_COURSE,
	DEMO_PASSWORD,
	launchBrowser,
	newPerson,
	signIn,
	submit,
	visit
} from './harness';
import { freePort, ROOT, startServer, type ServerProcess } from './server-process';

// One demo installation: a course is exported and imported in it through the pages, then
// the whole installation is backed up with the app stopped, restored elsewhere, and the
// app started on the copy.
let temp: string;
let source: string;
let server: ServerProcess;
let browser: Browser;
let exported: string;

const INSTRUCTOR = { email: 'instructor@example.org', password: DEMO_PASSWORD };
const STUDENT = { email: 'amara@example.org', password: DEMO_PASSWORD };

async function serve(dataDir: string, demo: 'auto' | 'off'): Promise<ServerProcess> {
	return startServer({
		buildDir: inject('e2eBuildDir'),
		dataDir,
		port: await freePort(),
		env: { PODIUM_DEMO: demo }
	});
}

beforeAll(async () => {
	temp = mkdtempSync(path.join(inject('e2eTempDir'), 'backup-'));
	source = path.join(temp, 'source');
	[server, browser] = await Promise.all([serve(source, 'auto'), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	rmSync(temp, { recursive: true, force: true });
});

function npmScript(name: 'backup' | 'restore', args: string[], dataDir: string) {
	const env: NodeJS.ProcessEnv = { ...process.env, PODIUM_DATA_DIR: dataDir };
	delete env.DATABASE_URL;
	return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
		const child = spawn('npm', ['run', '--silent', name, '--', ...args], {
			cwd: ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.once('error', reject);
		child.once('exit', (code) => resolve({ code, output }));
	});
}

describe('course export and import', () => {
	test('an instructor exports the course from Settings and imports it as a new course', async () => {
		const { page, context, pageErrors } = await newPerson(browser, server, {
			acceptDownloads: true
		});
		await signIn(page, INSTRUCTOR);
		await visit(page, '/');
		await page.getByRole('link', { name: DEMO_COURSE }).click();
		await page.waitForURL(/\/courses\/[^/]+$/);
		const original = courseIdOf(page);
		await courseNav(page, 'Settings').click();
		const section = page.getByRole('region', { name: 'Export and import' });
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			section.getByRole('link', { name: 'Export course' }).click()
		]);
		expect(download.suggestedFilename()).toMatch(/\.podium-course\.json\.gz$/);
		exported = path.join(temp, download.suggestedFilename());
		await download.saveAs(exported);

		await section.getByRole('link', { name: 'Import a course' }).click();
		await page.getByRole('heading', { level: 1, name: 'Import a course' }).waitFor();
		const field = page.getByLabel('Course export file');
		const broken = path.join(temp, 'broken.json');
		writeFileSync(broken, '{"format": "podium-course", "version": 1}');
		await field.setInputFiles(broken);
		const refusal = await submit(page, page.getByRole('button', { name: 'Import course' }));
		expect(refusal.status()).toBe(200);
		await expect(page.getByRole('alert').innerText()).resolves.toMatch(
			/not a Podium course export: exportedAt/
		);
		await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');

		await field.setInputFiles(exported);
		await page.getByRole('button', { name: 'Import course' }).click();
		await page.waitForURL((url) => /^\/courses\/[^/]+$/.test(url.pathname));
		expect(courseIdOf(page)).not.toBe(original);
		await page.getByRole('heading', { level: 1, name: DEMO_COURSE }).waitFor();
		await visit(page, '/courses');
		await expect(page.getByRole('link', { name: DEMO_COURSE }).count()).resolves.toBe(2);
		expect(pageErrors).toEqual([]);
		await context.close();
	});

	test('a student cannot export the course', async () => {
		const { page, context } = await newPerson(browser, server);
		await signIn(page, STUDENT);
		await visit(page, '/');
		await page.getByRole('link', { name: DEMO_COURSE }).first().click();
		await page.waitForURL(/\/courses\/[^/]+$/);
		const refused = await page.request.get(`/courses/${courseIdOf(page)}/settings/export`);
		expect(refused.status()).toBe(403);
		await context.close();
	});
});

describe('backup and restore', () => {
	test('refuses while the app runs; restored elsewhere, the app starts on the copy', async () => {
		const archive = path.join(temp, 'podium-backup.tar.gz');
		const refused = await npmScript('backup', [archive], source);
		expect(refused.code).not.toBe(0);
		expect(refused.output).toContain('only be backed up while Podium is stopped');

		await server.stop();
		const backup = await npmScript('backup', [archive], source);
		expect(backup.output).toContain('Backed up');
		const target = path.join(temp, 'restored');
		const restore = await npmScript('restore', [archive], target);
		expect(restore.output).toContain('Restored');

		server = await serve(target, 'off');
		const { page, context } = await newPerson(browser, server);
		await signIn(page, INSTRUCTOR);
		await visit(page, '/courses');
		// The demo course and the copy imported above.
		await expect(page.getByRole('link', { name: DEMO_COURSE }).count()).resolves.toBe(2);
		await context.close();
	});
});
