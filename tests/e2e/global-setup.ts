import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { CHROMIUM, ROOT, freePort, startServer } from './server-process';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The built app the browser tests run (a private copy of build/). */
		e2eBuildDir: string;
		/** A migrated, empty embedded data folder to copy for each server. */
		e2eTemplateDir: string;
		/** Where servers of this run keep their data folders. */
		e2eTempDir: string;
	}
}

function run(command: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: ROOT,
			env: { ...process.env, NODE_ENV: 'production' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		const keep = (chunk: Buffer) => {
			output = (output + chunk.toString()).slice(-20_000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		child.once('error', reject);
		child.once('exit', (code) => {
			if (code === 0) resolve();
			else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}`));
		});
	});
}

/**
 * Builds the app once for all browser tests and prepares one migrated, empty data
 * folder that every test file copies instead of running initdb again (3–5 s each).
 */
export default async function setup(project: TestProject) {
	if (!existsSync(CHROMIUM)) {
		throw new Error(
			`The browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium); ` +
				'they are never skipped.'
		);
	}

	const built = path.join(ROOT, 'build', 'index.js');
	if (process.env.PODIUM_E2E_SKIP_BUILD === '1' && existsSync(built)) {
		console.log('[e2e] PODIUM_E2E_SKIP_BUILD=1: using the existing build/.');
	} else {
		const started = Date.now();
		await run('npx', ['vite', 'build']);
		console.log(`[e2e] vite build took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
	}
	if (!existsSync(built)) throw new Error(`The build did not produce ${built}.`);

	// A private copy, so that someone rebuilding build/ meanwhile cannot pull it from under
	// running servers. It stays inside the repository so that node_modules resolves.
	mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
	const buildDir = mkdtempSync(path.join(ROOT, '.tmp', 'e2e-build-'));
	cpSync(path.join(ROOT, 'build'), buildDir, { recursive: true });

	const tempDir = mkdtempSync(path.join(os.tmpdir(), 'podium-e2e-'));
	const templateDir = path.join(tempDir, 'template');
	const server = await startServer({ buildDir, dataDir: templateDir, port: await freePort() });
	const exit = await server.stop();
	if (exit.code !== 0) {
		throw new Error(`The template server exited with code ${exit.code}:\n${server.output}`);
	}

	project.provide('e2eBuildDir', buildDir);
	project.provide('e2eTemplateDir', templateDir);
	project.provide('e2eTempDir', tempDir);

	return () => {
		rmSync(tempDir, { recursive: true, force: true });
		rmSync(buildDir, { recursive: true, force: true });
	};
}
