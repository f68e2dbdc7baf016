import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { inject } from 'vitest';
import { PASSWORD, startApp, uniqueEmail, type App } from './harness';
import { freePort, startServer, type ServerProcess } from './server-process';
import { Session } from '../load/http';

// The embedded database when the server dies mid-write (SIGKILL: no shutdown hook, the
// folder lock left behind): the next server on the same folder starts, keeps every write
// it acknowledged and works.

let app: App;
let again: ServerProcess | undefined;

beforeAll(async () => {
	app = await startApp();
});

afterAll(async () => {
	await again?.stop();
	await app?.stop();
});

type State = 'acked' | 'refused' | 'unknown';

test('a server killed mid-write leaves every acknowledged write, and the next one starts and works', async () => {
	const owner = new Session(app.url, null, 10_000);
	const account = { name: 'Cora Crash', email: uniqueEmail('cora'), password: PASSWORD };
	expect((await owner.action('', '/signup', null, account)).ok).toBe(true);
	const created = await owner.action('', '/courses/new', null, {
		title: 'Crash Seminar',
		timeZone: 'Europe/Berlin'
	});
	const course = created.location;
	expect(course).toMatch(/^\/courses\/[\w-]+$/);

	// Eight writers post announcements until the server is killed under them.
	const writes = new Map<string, State>();
	let acked = 0;
	let n = 0;
	const writer = async () => {
		while (!app.server.hasExited) {
			const title = `crash ${++n}`;
			const o = await owner.action('', course!, 'postAnnouncement', { title, body: title });
			writes.set(title, o.ok ? 'acked' : o.status >= 400 && o.status < 500 ? 'refused' : 'unknown');
			if (o.ok) acked++;
		}
	};
	const writers = Array.from({ length: 8 }, writer);
	while (acked < 40) await new Promise((resolve) => setTimeout(resolve, 20));
	const lockFile = path.join(app.dataDir, 'podium.lock');
	const deadPid = Number(readFileSync(lockFile, 'utf8'));
	expect(await app.server.kill()).toEqual({ code: null, signal: 'SIGKILL' });
	await Promise.all(writers);
	// The dead server's lock is still there: the next one must take it over.
	expect(existsSync(lockFile)).toBe(true);
	expect([...writes.values()]).not.toContain('refused');

	again = await startServer({
		buildDir: inject('e2eBuildDir'),
		dataDir: app.dataDir,
		port: await freePort()
	});
	expect(Number(readFileSync(lockFile, 'utf8'))).not.toBe(deadPid);
	// The session survived with the rest: the same cookie posts a new announcement.
	const after = new Session(again.url, null, 10_000);
	after.cookie = owner.cookie;
	const fields = { title: 'after the crash', body: 'It works.' };
	expect((await after.action('', course!, 'postAnnouncement', fields)).ok).toBe(true);
	const page = await after.get('', course!);
	expect(page.body).toContain('after the crash');
	await again.stop();
	again = undefined;

	// Counted in the folder itself, with no server running.
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create(path.join(app.dataDir, 'pglite'));
	const { rows } = await db.query<{ title: string; n: number }>(
		"select title, count(*)::int as n from announcements where title like 'crash %' group by title"
	);
	await db.close();
	const found = new Map(rows.map((r) => [r.title, r.n]));
	const lost = [...writes].filter(([t, s]) => s === 'acked' && found.get(t) !== 1);
	const doubled = [...found].filter(([, count]) => count > 1);
	const unexpected = [...found.keys()].filter((t) => !writes.has(t));
	expect({ lost, doubled, unexpected }).toEqual({ lost: [], doubled: [], unexpected: [] });
	expect(acked).toBeGreaterThanOrEqual(40);
	expect([...writes.values()].filter((s) => s === 'unknown').length).toBeGreaterThan(0);
});
