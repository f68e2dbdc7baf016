import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type App } from './harness';
import type { ServerProcess } from './server-process';
import { isRefusal, type Answer, type Request } from './authorization/client';
import { dumpDifferences, dumpTables, withServerStopped } from './authorization/database';
import {
	ACTORS,
	readFixtures,
	setUp,
	type Actor,
	type Clients,
	type Fixtures
} from './authorization/fixtures';
import { CROSS_COURSE_ROWS, ROWS, defaultParams, type Row } from './authorization/matrix';
import { discoverRoutes } from './authorization/routes';

// Every page, form action and endpoint of src/routes, asked over plain HTTP by each kind of
// person, with the answer each must get (tests/e2e/authorization/matrix.ts). Refusals run
// first, against a dump of the database taken before and after them: nothing may change.
// Allowed cells run next: reads, then writes in the rows' order.

interface Cell {
	row: Row;
	actor: Actor;
}

const rows = [...ROWS, ...CROSS_COURSE_ROWS];
const cells: Cell[] = rows.flatMap((row) =>
	(row.actors ?? ACTORS).map((actor) => ({ row, actor }))
);
const refused = (cell: Cell) => isRefusal(cell.row.expect[cell.actor]);
const label = ({ row, actor }: Cell) =>
	`${row.key}${row.variant ? ` (${row.variant})` : ''} as ${actor}`;

let app: App;
let server: ServerProcess;
let clients: Clients;
let fx: Fixtures;

/** Stops the server, runs `read` on its database, and starts it again. */
async function offline<T>(read: Parameters<typeof withServerStopped<T>>[1]): Promise<T> {
	const stopped = await withServerStopped(server, read);
	server = stopped.server;
	return stopped.result;
}

/** The database after the set-up, before any matrix request. */
let before: Awaited<ReturnType<typeof dumpTables>>;

beforeAll(async () => {
	const started = Date.now();
	app = await startApp({ demo: true });
	server = app.server;
	const { clients: signedIn, base } = await setUp(server.url);
	clients = signedIn;
	[fx, before] = await offline(async (db) => [await readFixtures(db, base), await dumpTables(db)]);
	console.log(`[authz] demo course and fixtures ready in ${Date.now() - started} ms`);
}, 240_000);

afterAll(async () => {
	await server?.stop();
	await app?.stop();
});

async function request({ row, actor }: Cell): Promise<Request> {
	const [kind, target] = row.key.split(' ');
	const [route, name] = target.split('?/');
	const params = { ...defaultParams(fx), ...row.params?.(fx, actor) };
	const path = route.replace(/\/\([^)]+\)/g, '').replace(/\[([^\]]+)\]/g, (_, param: string) => {
		if (!(param in params)) throw new Error(`${row.key}: no value for [${param}]`);
		return encodeURIComponent(params[param]);
	});
	if (kind === 'page') return { method: 'GET', path: path + (row.query ?? '') };
	const body = await row.body?.(fx, actor);
	if (kind === 'action') {
		return { method: 'POST', path: name ? `${path}?/${name}` : path, body, action: true };
	}
	return { method: kind, path: path + (row.query ?? ''), body };
}

/** What is wrong with the answer to one cell: the outcome, or what a refusal showed. */
function problems(cell: Cell, answer: Answer): string[] {
	const expected = cell.row.expect[cell.actor];
	if (answer.outcome !== expected) {
		const detail = answer.location ?? answer.text.replace(/\s+/g, ' ').slice(0, 160);
		return [`${label(cell)}: expected ${expected}, got ${answer.outcome} (${detail})`];
	}
	const hidden = cell.row.hidden?.from.includes(cell.actor) ? cell.row.hidden.texts(fx) : [];
	const secrets = [...hidden];
	if (isRefusal(expected)) secrets.push(...(cell.row.secrets?.(fx) ?? []));
	if (expected === 'not-found') secrets.push(fx.courseTitle);
	const shown = cell.row.shown?.to.includes(cell.actor) ? cell.row.shown.texts(fx) : [];
	return [
		...secrets
			.filter((secret) => answer.text.includes(secret))
			.map((secret) => `${label(cell)}: the answer shows "${secret}"`),
		...shown
			.filter((text) => !answer.text.includes(text))
			.map((text) => `${label(cell)}: the answer lacks "${text}"`)
	];
}

async function run(batch: Cell[], concurrency: number): Promise<string[]> {
	const found: string[] = [];
	const queue = [...batch];
	const worker = async () => {
		for (let cell = queue.shift(); cell; cell = queue.shift()) {
			const answer = await clients[cell.actor].send(await request(cell));
			found.push(...problems(cell, answer));
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return found;
}

describe('authorization matrix', () => {
	test('every route, action and method has a row, and every row a route', () => {
		const discovered = discoverRoutes();
		const covered = new Set(ROWS.map((r) => r.key));
		expect(
			discovered.filter((key) => !covered.has(key)),
			'routes without a row'
		).toEqual([]);
		expect(
			[...covered].filter((key) => !discovered.includes(key)),
			'rows without a route'
		).toEqual([]);
	});

	test('refusals answer as the matrix says, show nothing and change nothing', async () => {
		const refusals = cells.filter(refused);
		const started = Date.now();
		const found = await run(refusals, 4);
		console.log(`[authz] ${refusals.length} refused cells in ${Date.now() - started} ms`);
		const after = await offline(dumpTables);
		expect(found).toEqual([]);
		expect(dumpDifferences(before, after)).toEqual([]);
	}, 120_000);

	test('allowed requests answer as the matrix says', async () => {
		const allowed = cells.filter((cell) => !refused(cell));
		const reads = allowed.filter(
			(c) => !c.row.key.startsWith('action ') && !c.row.key.startsWith('POST ')
		);
		const writes = allowed
			.filter((c) => !reads.includes(c))
			.sort((a, b) => (a.row.order ?? 0) - (b.row.order ?? 0));
		const started = Date.now();
		const found = [...(await run(reads, 4)), ...(await run(writes, 1))];
		console.log(
			`[authz] ${allowed.length} allowed cells in ${Date.now() - started} ms; ` +
				`${cells.length} cells for ${rows.length} rows`
		);
		expect(found).toEqual([]);
	}, 120_000);
});
