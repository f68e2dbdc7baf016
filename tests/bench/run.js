// Benchmark of the built server (`npm run bench`): throughput of course pages, the paper
// viewer and the deck editor's preview in Chromium (see BENCH_PAPERS and BENCH_DECK below).
//
// Starts `node build/index.js` on 127.0.0.1 with the embedded database (a fresh temporary
// data folder with the demo course) and, when DATABASE_URL is set, again on a fresh
// PostgreSQL database; signs in as the demo instructor and measures each scenario below
// with autocannon. The course pages are compared with the trivial route (GET /health)
// of the same run; the goal is "course pages >= 0.5x trivial route". It is a benchmark,
// not a test: it exits 0 whether the goal is met or not, and 1 only when something
// failed (a build, a server that does not start, a non-2xx response, ...).
//
// Environment:
//   BENCH_DURATION     seconds of each measured run (default 10)
//   BENCH_WARMUP       seconds of the warm-up before each measured run (default 2)
//   BENCH_CONNECTIONS  concurrent connections (default 50)
//   BENCH_VERBOSE=1    echo the server's output
//   BENCH_DIAGNOSE=1   also measure the diagnostic scenarios (what one query costs, what
//                      a page render without queries costs), to see where the time goes
//   BENCH_HTTP=0       skip the throughput scenarios (to run only the Chromium parts)
//   DATABASE_URL       also benchmark on PostgreSQL (a database is created and dropped)
//   BENCH_PAPERS=0     skip the paper-viewer part (see below and tests/bench/paper-viewer.js)
//   BENCH_PAPER_PAGES  page counts of its PDFs (default "30,300")
//   BENCH_PAPER_ANNOTATIONS  annotations on each (default 2000)
//   BENCH_PAPER_RUNS   measured rounds per PDF, after one warm-up round (default 3)
//   BENCH_PAPER_SEED   how the annotations are created: "import" (default, one W3C import
//                      through the paper's import form) or "annotate" (one ?/annotate each)
//   BENCH_DECK=0       skip the deck-preview part (see below and tests/bench/deck-preview.js)
//   BENCH_DECK_SLIDES  slides of the large deck (default 60)
//   BENCH_DECK_KEYSTROKES  measured keystrokes per round (default 40)
//   BENCH_DECK_PAUSE_MS    time between keystrokes (default 150)
//   BENCH_DECK_RUNS    rounds per deck (default 2)
//
// The paper-viewer part runs once, on the first backend, after its throughput scenarios:
// the paper page with a 30- and a 300-page PDF and 2,000 annotations in headless Chromium
// (/usr/bin/chromium, or BENCH_CHROMIUM), time to the first rendered page and to the
// anchored sidebar, against pdf.js's viewer alone on the same PDF; goal: first page
// <= 1.2x the bare viewer's. See tests/bench/paper-viewer.js.
//
// The deck-preview part runs once too, after it: in the deck editor, the time from a
// keystroke to the preview showing it, in a 60-slide deck against a 1-slide deck (p50,
// p95, max), and the JS heap after typing. See tests/bench/deck-preview.js.
//
// The live-talk part (tests/bench/followers.js) runs on every backend after its throughput
// scenarios: the delay from the presenter's slide change (POST of the position) to the
// `moved` event on 100 followers' SSE streams, p50 / p95 / max, against the same delay
// with a single follower. BENCH_FOLLOWERS (default 100; 0 skips the part) and
// BENCH_FOLLOWER_MOVES (default 50) set its size.
//
// The participation recompute part (tests/bench/recompute.js; BENCH_RECOMPUTE=0 skips it)
// runs last, outside the server: scoring a course of 300 students, 12 lectures and 50,000
// activity rows in one SQL pass against one pass per student, embedded and on PostgreSQL.
//
// To add a measurement, add an entry to SCENARIOS; to add a database set-up, add an
// entry to BACKENDS.

import { spawn, spawnSync } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	symlinkSync,
	unlinkSync
} from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { table } from './browser.js';
import {
	benchmarkRecompute,
	recomputeEnabled,
	recomputeLine,
	RECOMPUTE_BUDGET_MS
} from './recompute.js';
import {
	benchmarkDeckPreview,
	checkDeckPrerequisites,
	deckBudgetMs,
	deckReport,
	deckSettings,
	ratios as deckRatios
} from './deck-preview.js';
import {
	benchmarkFollowers,
	followerBudgetMs,
	followerReport,
	followerSettings,
	followerVerdict
} from './followers.js';
import {
	GOAL_RATIO as PAPER_GOAL_RATIO,
	benchmarkPaperViewer,
	checkPaperPrerequisites,
	paperBudgetMs,
	paperReport,
	paperSettings,
	verdict as paperVerdict
} from './paper-viewer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD_ENTRY = path.join(ROOT, 'build', 'index.js');

const DURATION = positiveNumber('BENCH_DURATION', 10);
const WARMUP = positiveNumber('BENCH_WARMUP', 2, { allowZero: true });
const CONNECTIONS = positiveNumber('BENCH_CONNECTIONS', 50);
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const DIAGNOSE = process.env.BENCH_DIAGNOSE === '1';
const HTTP = process.env.BENCH_HTTP !== '0';
const PAPERS = paperSettings();
const DECK = deckSettings();
const FOLLOWERS = followerSettings();
const GOAL_RATIO = 0.5;

// USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) is not reachable from Node).
const CLOCK_TICKS = 100;

const DEMO_INSTRUCTOR = { email: 'instructor@example.org', password: 'podium-demo-2026' };
const SESSION_COOKIE = 'podium_session';

const BUILD_TIMEOUT_MS = 5 * 60_000;
const START_TIMEOUT_MS = 90_000;
// adapter-node waits SHUTDOWN_TIMEOUT (given to the server below) for open connections.
const SERVER_SHUTDOWN_TIMEOUT_S = 5;
const STOP_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 15_000;
const SETTLE_TIMEOUT_MS = 30_000;

/**
 * What is measured, in this order, against one running server. `request(ctx)` returns
 * the path and headers of the request autocannon repeats; `ctx` holds `base` (the
 * server's URL), `cookie` (the demo instructor's session cookie) and `courseId` (the
 * demo course). `baseline: true` marks the trivial route the others are compared with;
 * `goal: true` marks the pages held to GOAL_RATIO x the baseline's req/s; `diagnostic:
 * true` ones only run with BENCH_DIAGNOSE=1.
 */
const ALL_SCENARIOS = [
	{
		name: 'GET /health (trivial)',
		baseline: true,
		request: () => ({ path: '/health' })
	},
	{
		name: 'GET /courses/<id> (course home)',
		goal: true,
		request: (ctx) => ({ path: `/courses/${ctx.courseId}`, headers: { cookie: ctx.cookie } })
	},
	{
		name: 'GET /courses/<id>/lectures (schedule)',
		goal: true,
		request: (ctx) => ({
			path: `/courses/${ctx.courseId}/lectures`,
			headers: { cookie: ctx.cookie }
		})
	},
	{
		// The session lookup of hooks.server.ts and nothing else: one query, no render.
		name: 'GET /health signed in (1 query)',
		diagnostic: true,
		request: (ctx) => ({ path: '/health', headers: { cookie: ctx.cookie } })
	},
	{
		// A server-rendered page without any query (no session cookie).
		name: 'GET /login (render, no query)',
		diagnostic: true,
		request: () => ({ path: '/login' })
	}
];
const SCENARIOS = HTTP ? ALL_SCENARIOS.filter((s) => DIAGNOSE || !s.diagnostic) : [];

/**
 * The databases the server is benchmarked on. `prepare(onCleanup)` returns the server's
 * extra environment (and a label); it registers with `onCleanup` what undoes it, as soon
 * as there is something to undo. Those cleanups run, newest first, once the server has
 * stopped, and also when the run is interrupted.
 */
const BACKENDS = [
	{
		name: 'embedded PGlite',
		enabled: () => true,
		prepare: async (onCleanup) => {
			const dataDir = tempDir(onCleanup);
			return { env: { PODIUM_DATA_DIR: dataDir, PODIUM_DEMO: 'auto' } };
		}
	},
	{
		name: 'PostgreSQL',
		enabled: () => Boolean(process.env.DATABASE_URL),
		prepare: async (onCleanup) => {
			const { default: postgres } = await import('postgres');
			const adminUrl = process.env.DATABASE_URL;
			const database = `podium_bench_${process.pid}`;
			const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
			onCleanup(() => admin.end({ timeout: 5 }));
			onCleanup(() => admin.unsafe(`drop database if exists ${database} with (force)`));
			await admin.unsafe(`drop database if exists ${database} with (force)`);
			await admin.unsafe(`create database ${database}`);
			const url = new URL(adminUrl);
			url.pathname = `/${database}`;
			// A folder of its own anyway, so nothing is ever written to ./data.
			const dataDir = tempDir(onCleanup);
			return {
				env: { DATABASE_URL: url.toString(), PODIUM_DEMO: 'on', PODIUM_DATA_DIR: dataDir },
				label: `database ${database} on ${url.host}`
			};
		}
	}
];

function tempDir(onCleanup) {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'podium-bench-'));
	onCleanup(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

// ---------------------------------------------------------------------------------------

function positiveNumber(name, fallback, { allowZero = false } = {}) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
		throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number.`);
	}
	return value;
}

/** Cleanups still to run, newest first; also run on SIGINT/SIGTERM and on the watchdog. */
const pendingCleanups = [];
/** A failed cleanup (say, a server that ignores SIGTERM) makes the run fail too. */
let cleanupFailures = 0;

/** Set once the run is ending (done, failed or interrupted): start nothing new. */
let stopping = false;
let cleanupQueue = Promise.resolve();

/**
 * Runs the cleanups registered after the first `keep` ones, newest first. Calls queue up,
 * so an interruption waits for a cleanup already under way (say, a DROP DATABASE).
 */
function runCleanups(keep = 0) {
	cleanupQueue = cleanupQueue.then(async () => {
		while (pendingCleanups.length > keep) {
			const cleanup = pendingCleanups.pop();
			try {
				await cleanup();
			} catch (error) {
				cleanupFailures++;
				console.error(`\nCLEANUP FAILED: ${error instanceof Error ? error.message : error}`);
			}
		}
	});
	return cleanupQueue;
}

function forgetCleanup(cleanup) {
	const index = pendingCleanups.indexOf(cleanup);
	if (index >= 0) pendingCleanups.splice(index, 1);
}

function printMachineInfo() {
	const cpus = os.cpus();
	const load = os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' ');
	console.log('Podium benchmark');
	console.log(`  machine     ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}`);
	console.log(`  memory      ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${load}`);
	console.log(`  platform    ${os.platform()} ${os.release()} (${os.arch()})`);
	console.log(`  node        ${process.version}`);
	console.log(`  code        ${describeCheckout()}`);
	console.log(
		`  load        ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s measured per route (autocannon on the same machine)`
	);
	console.log('');
}

/** The commit the checkout is at and whether it has changes (read-only git commands). */
function describeCheckout() {
	const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', timeout: 10_000 });
	const head = git('rev-parse', '--short', 'HEAD');
	if (head.status !== 0) return 'not a git checkout';
	const status = git('status', '--porcelain', '--', 'src');
	const dirty = status.status === 0 && status.stdout.trim() !== '';
	return `commit ${head.stdout.trim()}${dirty ? ' + uncommitted changes in src/' : ''}`;
}

// --- build -----------------------------------------------------------------------------

function newestMtime(dir) {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
		else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
	}
	return newest;
}

async function ensureBuild() {
	let builtAt = 0;
	try {
		builtAt = statSync(BUILD_ENTRY).mtimeMs;
	} catch {
		// not built yet
	}
	const sourcesAt = newestMtime(path.join(ROOT, 'src'));
	if (builtAt >= sourcesAt) return;
	console.log(
		builtAt === 0
			? 'build/index.js is missing: running `npx vite build` ...'
			: 'build/ is older than src/: running `npx vite build` ...'
	);
	const started = Date.now();
	await new Promise((resolve, reject) => {
		// The build's output goes to stderr, so stdout stays the report.
		const child = spawn('npx', ['vite', 'build'], {
			cwd: ROOT,
			stdio: ['ignore', process.stderr, process.stderr]
		});
		const timer = setTimeout(() => {
			child.kill('SIGTERM');
			reject(new Error(`vite build took longer than ${BUILD_TIMEOUT_MS / 1000} s`));
		}, BUILD_TIMEOUT_MS);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve();
			else reject(new Error(`vite build failed (${signal ?? `exit code ${code}`})`));
		});
	});
	console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/**
 * Copies build/ into a temporary folder, next to links to node_modules/ and drizzle/
 * (the migrations the server applies at start-up), and returns that folder. The servers
 * run from the copy: other work in this checkout may rebuild build/ meanwhile, and the
 * server loads its route modules lazily.
 */
function snapshotBuild() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'podium-bench-build-'));
	const links = ['node_modules', 'drizzle'].filter((name) => existsSync(path.join(ROOT, name)));
	pendingCleanups.push(async () => {
		for (const name of links) {
			try {
				unlinkSync(path.join(dir, name));
			} catch {
				// never linked
			}
		}
		rmSync(dir, { recursive: true, force: true });
	});
	cpSync(path.join(ROOT, 'build'), path.join(dir, 'build'), { recursive: true });
	for (const name of links) symlinkSync(path.join(ROOT, name), path.join(dir, name), 'dir');
	return dir;
}

// --- server ----------------------------------------------------------------------------

function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `node build/index.js` in `appDir` with `extraEnv` and resolves once GET /health
 * answers 200.
 */
async function startServer(appDir, extraEnv) {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const env = { ...process.env };
	// Only what the backend asks for: no inherited DATABASE_URL on the embedded run.
	for (const key of ['DATABASE_URL', 'PODIUM_DATA_DIR', 'PODIUM_DEMO']) delete env[key];
	Object.assign(env, extraEnv, {
		HOST: '127.0.0.1',
		PORT: String(port),
		ORIGIN: base,
		NODE_ENV: 'production',
		SHUTDOWN_TIMEOUT: String(SERVER_SHUTDOWN_TIMEOUT_S),
		// As `npm start`: the paper-viewer part uploads PDFs larger than adapter-node's 512K.
		BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT || '60M'
	});

	const child = spawn(process.execPath, [path.join(appDir, 'build', 'index.js')], {
		cwd: appDir,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output = [];
	const keep = (chunk) => {
		const text = chunk.toString();
		if (VERBOSE) process.stderr.write(text);
		output.push(...text.split('\n').filter(Boolean));
		if (output.length > 60) output.splice(0, output.length - 60);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => resolve({ code, signal }));
	});
	let exitInfo;
	void exited.then((info) => (exitInfo = info));
	child.on('error', (error) => output.push(`spawn error: ${error.message}`));

	const server = {
		base,
		child,
		output,
		async stop() {
			if (exitInfo) return exitInfo;
			child.kill('SIGTERM');
			const timer = sleep(STOP_TIMEOUT_MS).then(() => 'timeout');
			const result = await Promise.race([exited, timer]);
			if (result === 'timeout') {
				child.kill('SIGKILL');
				await exited;
				throw new Error(
					`the server did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM (killed).\n${server.describeOutput()}`
				);
			}
			return result;
		},
		/** CPU seconds the server process has used so far (Linux), or undefined. */
		cpuSeconds() {
			try {
				const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
				const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				// utime and stime are fields 14 and 15 of stat(5); here they sit at 11 and 12.
				return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
			} catch {
				return undefined;
			}
		},
		describeOutput() {
			return output.length ? `server output:\n  ${output.join('\n  ')}` : 'no server output';
		}
	};
	pendingCleanups.push(() => server.stop());

	const startedAt = Date.now();
	for (;;) {
		if (stopping) throw new Error('the run is ending');
		if (exitInfo) {
			throw new Error(
				`the server exited during start-up (${exitInfo.signal ?? `exit code ${exitInfo.code}`}).\n${server.describeOutput()}`
			);
		}
		if (Date.now() - startedAt > START_TIMEOUT_MS) {
			throw new Error(
				`GET /health did not answer within ${START_TIMEOUT_MS / 1000} s.\n${server.describeOutput()}`
			);
		}
		try {
			const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
			await res.arrayBuffer();
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		await sleep(200);
	}
	server.startupMs = Date.now() - startedAt;
	return server;
}

// --- session and course ------------------------------------------------------------------

/**
 * Signs in through the login form and returns the session cookie (`name=value`). With
 * `accept: text/html` SvelteKit answers the action's redirect with a 303; other clients
 * get a JSON action result (`{"type":"redirect",...}`): both are accepted.
 */
async function signIn(base, { email, password }) {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			// SvelteKit's CSRF check compares it with ORIGIN.
			origin: base
		},
		body: new URLSearchParams({ email, password }).toString(),
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
	});
	const body = await res.text();
	let redirected = res.status === 303;
	if (res.status === 200 && (res.headers.get('content-type') ?? '').includes('json')) {
		try {
			redirected = JSON.parse(body).type === 'redirect';
		} catch {
			// not an action result
		}
	}
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith(`${SESSION_COOKIE}=`) && c.length > SESSION_COOKIE.length + 1);
	if (!redirected || !cookie) {
		throw new Error(
			`signing in as ${email} failed: POST /login answered ${res.status}` +
				(cookie ? '' : ` without a ${SESSION_COOKIE} cookie`) +
				`: ${body.slice(0, 200)}`
		);
	}
	return cookie;
}

async function getPage(base, pathname, headers = {}) {
	const res = await fetch(`${base}${pathname}`, {
		redirect: 'manual',
		headers,
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
	});
	const body = await res.text();
	if (res.status !== 200) {
		throw new Error(`GET ${pathname} answered ${res.status} (expected 200)`);
	}
	return body;
}

async function findDemoCourse(base, cookie) {
	const html = await getPage(base, '/courses', { cookie });
	const ids = [...html.matchAll(/href="\/courses\/([A-Za-z0-9_-]+)"/g)]
		.map((m) => m[1])
		.filter((id) => id !== 'new');
	if (ids.length === 0) throw new Error('GET /courses lists no course: was the demo created?');
	return ids[0];
}

// --- measuring ---------------------------------------------------------------------------

function runAutocannon(opts) {
	return new Promise((resolve, reject) => {
		if (stopping) {
			reject(new Error('the run is ending'));
			return;
		}
		const stop = () => instance.stop();
		const instance = autocannon(opts, (error, result) => {
			forgetCleanup(stop);
			if (error) reject(error);
			else if (stopping) reject(new Error('the run is ending'));
			else resolve(result);
		});
		pendingCleanups.push(stop);
	});
}

function describeStatuses(result) {
	return Object.entries(result.statusCodeStats ?? {})
		.map(([status, { count }]) => `${status}: ${count}`)
		.join(', ');
}

async function measure(scenario, ctx) {
	const { path: requestPath, headers = {} } = scenario.request(ctx);
	const opts = {
		url: `${ctx.base}${requestPath}`,
		headers,
		connections: CONNECTIONS,
		timeout: REQUEST_TIMEOUT_MS / 1000,
		title: scenario.name
	};
	// A single request first, so a wrong path or a lost session fails with a clear message.
	await getPage(ctx.base, requestPath, headers);
	if (WARMUP > 0) {
		const warm = await runAutocannon({ ...opts, duration: WARMUP });
		checkClean(scenario, warm, 'warm-up');
		await settle(ctx, requestPath, headers);
	}
	const cpuBefore = ctx.server.cpuSeconds();
	const result = await runAutocannon({ ...opts, duration: DURATION });
	const cpuAfter = ctx.server.cpuSeconds();
	checkClean(scenario, result, 'measured run');
	await settle(ctx, requestPath, headers);
	return {
		scenario,
		reqPerSec: result.requests.average,
		total: result.requests.total,
		p50: result.latency.p50,
		p99: result.latency.p99,
		failures: result.errors + result.timeouts + result.non2xx,
		cpuMsPerRequest:
			cpuBefore === undefined || cpuAfter === undefined
				? undefined
				: ((cpuAfter - cpuBefore) * 1000) / Math.max(1, result.requests.total)
	};
}

/**
 * When autocannon stops it drops its connections, but the server still works through the
 * requests they had sent (up to one per connection). One more request queues behind them;
 * once it is answered they are done, so they neither count against the next measurement
 * nor run into the server's shutdown.
 */
async function settle(ctx, requestPath, headers) {
	const res = await fetch(`${ctx.base}${requestPath}`, {
		redirect: 'manual',
		headers,
		signal: AbortSignal.timeout(SETTLE_TIMEOUT_MS)
	});
	await res.arrayBuffer();
	if (!res.ok) throw new Error(`GET ${requestPath} answered ${res.status} after the run`);
	await sleep(250);
}

function checkClean(scenario, result, phase) {
	if (result.errors || result.timeouts || result.non2xx || result.requests.total === 0) {
		throw new Error(
			`${scenario.name} (${phase}): ${result.requests.total} requests, ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx [${describeStatuses(result)}]`
		);
	}
}

async function benchmarkBackend(backend, appDir, { browserParts = false } = {}) {
	console.log(`== ${backend.name} ==`);
	const mark = pendingCleanups.length;
	let server;
	try {
		const prepared = await backend.prepare((cleanup) => pendingCleanups.push(cleanup));
		if (prepared.label) console.log(`  ${prepared.label}`);
		server = await startServer(appDir, prepared.env);
		console.log(`  server ready on ${server.base} after ${(server.startupMs / 1000).toFixed(1)} s`);
		const { rows, ctx } = await measureAll(server);
		const followerRows = FOLLOWERS.enabled ? await measureFollowers(ctx) : null;
		const paperRows = browserParts && PAPERS.enabled ? await measurePapers(ctx) : null;
		const deckRows = browserParts && DECK.enabled ? await measureDeck(ctx) : null;
		return { rows, paperRows, deckRows, followerRows };
	} catch (error) {
		if (server && error instanceof Error) error.message += `\n${server.describeOutput()}`;
		throw error;
	} finally {
		// Stop the server, then undo the backend's set-up (drop the database, ...).
		await runCleanups(mark);
	}
}

async function measureAll(server) {
	const cookie = await signIn(server.base, DEMO_INSTRUCTOR);
	const courseId = await findDemoCourse(server.base, cookie);
	const ctx = { base: server.base, server, cookie, courseId };
	console.log(`  signed in as ${DEMO_INSTRUCTOR.email}; demo course ${courseId}\n`);
	const rows = [];
	for (const scenario of SCENARIOS) {
		if (stopping) throw new Error('the run is ending');
		process.stdout.write(`  measuring ${scenario.name} ...`);
		const row = await measure(scenario, ctx);
		process.stdout.write(` ${Math.round(row.reqPerSec)} req/s\n`);
		rows.push(row);
	}
	if (rows.length > 0) {
		console.log('');
		printTable(rows);
	}
	return { rows, ctx };
}

/** The live-talk part (tests/bench/followers.js) against the same server. */
async function measureFollowers(ctx) {
	console.log(
		`  live talk: ${FOLLOWERS.followers} followers on SSE, ${FOLLOWERS.moves} slide moves (and 1 follower as baseline)`
	);
	const rows = await benchmarkFollowers(
		{
			base: ctx.base,
			cookie: ctx.cookie,
			courseId: ctx.courseId,
			signIn,
			onCleanup: (cleanup) => pendingCleanups.push(cleanup),
			isStopping: () => stopping
		},
		FOLLOWERS
	);
	console.log('');
	console.log(followerReport(rows, FOLLOWERS));
	return rows;
}

/** The paper-viewer part (tests/bench/paper-viewer.js) against the same server. */
async function measurePapers(ctx) {
	console.log(
		`  paper viewer: ${PAPERS.pages.join(' and ')} pages, ${PAPERS.annotations} annotations each, ` +
			`1 warm-up + ${PAPERS.runs} rounds`
	);
	const started = Date.now();
	const paperRows = await benchmarkPaperViewer(
		{
			root: ROOT,
			base: ctx.base,
			cookie: ctx.cookie,
			courseId: ctx.courseId,
			onCleanup: (cleanup) => pendingCleanups.push(cleanup),
			isStopping: () => stopping,
			log: (line) => console.log(line)
		},
		PAPERS
	);
	console.log(`  paper viewer part took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
	console.log(paperReport(paperRows, PAPERS));
	return paperRows;
}

/** The deck-preview part (tests/bench/deck-preview.js) against the same server. */
async function measureDeck(ctx) {
	console.log(
		`  deck preview: ${DECK.keystrokes} keystrokes in a ${DECK.slides}-slide and a 1-slide deck, ` +
			`${DECK.runs} rounds each`
	);
	const started = Date.now();
	const deckRows = await benchmarkDeckPreview(
		{
			base: ctx.base,
			cookie: ctx.cookie,
			onCleanup: (cleanup) => pendingCleanups.push(cleanup),
			isStopping: () => stopping,
			log: (line) => console.log(line)
		},
		DECK
	);
	console.log(`  deck preview part took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
	console.log(deckReport(deckRows, DECK));
	return deckRows;
}

// --- report ------------------------------------------------------------------------------

function printTable(rows) {
	const baseline = rows.find((r) => r.scenario.baseline);
	const header = [
		'route',
		'req/s',
		'p50 ms',
		'p99 ms',
		'errors/non-2xx',
		'server CPU ms/req',
		'vs trivial',
		'goal'
	];
	const lines = rows.map((r) => {
		const ratio = baseline ? r.reqPerSec / baseline.reqPerSec : NaN;
		let verdict = '';
		if (r.scenario.baseline) verdict = 'baseline';
		else if (r.scenario.goal) {
			verdict = ratio >= GOAL_RATIO ? 'PASS' : 'BELOW GOAL';
		}
		return [
			r.scenario.name,
			r.reqPerSec.toFixed(0),
			r.p50.toFixed(1),
			r.p99.toFixed(1),
			String(r.failures),
			r.cpuMsPerRequest === undefined ? '-' : r.cpuMsPerRequest.toFixed(2),
			Number.isNaN(ratio) ? '-' : `${ratio.toFixed(2)}x`,
			verdict
		];
	});
	console.log(table(header, [false, true, true, true, true, true, true, false], lines));
	console.log(`  goal: course pages >= ${GOAL_RATIO}x the trivial route's req/s (same run)`);
	console.log(
		'  server CPU ms/req: CPU time of the server process (not of PostgreSQL) per answered request\n'
	);
}

// --- main --------------------------------------------------------------------------------

async function main() {
	printMachineInfo();
	checkPaperPrerequisites(PAPERS);
	checkDeckPrerequisites(DECK);
	await ensureBuild();
	const appDir = snapshotBuild();
	// The Chromium parts run on the first backend only: without the throughput part, the
	// others would have nothing to measure.
	const backends = BACKENDS.filter((b) => b.enabled()).slice(0, HTTP ? undefined : 1);
	const summary = [];
	const followerSummary = [];
	let paperRows = null;
	let deckRows = null;
	for (const [index, backend] of backends.entries()) {
		const result = await benchmarkBackend(backend, appDir, { browserParts: index === 0 });
		const { rows } = result;
		paperRows ??= result.paperRows;
		deckRows ??= result.deckRows;
		for (const r of result.followerRows ?? []) {
			followerSummary.push(
				`  ${backend.name.padEnd(16)} ${r.name.padEnd(40)} p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms  ${r.followers > 1 ? followerVerdict(r) : 'baseline'}`
			);
		}
		const baseline = rows.find((r) => r.scenario.baseline);
		for (const r of rows.filter((x) => x.scenario.goal)) {
			const ratio = r.reqPerSec / baseline.reqPerSec;
			summary.push(
				`  ${backend.name.padEnd(16)} ${r.scenario.name.padEnd(40)} ${ratio.toFixed(2)}x  ${ratio >= GOAL_RATIO ? 'PASS' : 'BELOW GOAL'}`
			);
		}
	}
	if (!HTTP) {
		console.log('(BENCH_HTTP=0: the throughput of the course pages was not benchmarked.)\n');
	} else {
		if (!process.env.DATABASE_URL) {
			console.log('(DATABASE_URL is not set: PostgreSQL was not benchmarked.)\n');
		}
		console.log('Summary (course pages vs trivial route, goal >= 0.5x):');
		for (const line of summary) console.log(line);
	}
	if (followerSummary.length > 0) {
		console.log("Summary (presenter's slide change -> followers' SSE event, goal p95 < 1 s):");
		for (const line of followerSummary) console.log(line);
	}
	if (paperRows) {
		console.log(
			`Summary (paper page's first rendered page vs pdf.js viewer alone, goal <= ${PAPER_GOAL_RATIO}x):`
		);
		for (const r of paperRows) {
			console.log(
				`  ${`${r.pages} pages, ${PAPERS.annotations} annotations`.padEnd(57)} ${r.ratio.toFixed(2)}x  ${paperVerdict(r)}`
			);
		}
	} else if (!PAPERS.enabled) {
		console.log('(BENCH_PAPERS=0: the paper viewer was not benchmarked.)');
	}
	if (deckRows) {
		console.log(
			"Summary (deck editor: keystroke to preview, ms, vs the 1-slide deck's p50 and p95):"
		);
		for (const r of deckRows) {
			console.log(
				`  ${`${r.slides}-slide deck: p50 ${r.dom.p50.toFixed(1)}, p95 ${r.dom.p95.toFixed(1)}, max ${r.dom.max.toFixed(1)}`.padEnd(57)} ` +
					(r === deckRows[0] ? 'baseline' : deckRatios(r, deckRows[0]))
			);
		}
	} else if (!DECK.enabled) {
		console.log('(BENCH_DECK=0: the deck preview was not benchmarked.)');
	}
	if (recomputeEnabled()) {
		const rows = await benchmarkRecompute();
		console.log('Summary (participation recompute, whole course vs one student at a time):');
		for (const r of rows) console.log(`  ${recomputeLine(r)}`);
	} else {
		console.log('(BENCH_RECOMPUTE=0: the participation recompute was not benchmarked.)');
	}
}

// Bounded in time: a build, then per backend a start-up, the scenarios and some slack.
const perBackendMs =
	START_TIMEOUT_MS +
	STOP_TIMEOUT_MS +
	SCENARIOS.length *
		((WARMUP + DURATION) * 1000 + REQUEST_TIMEOUT_MS + 2 * SETTLE_TIMEOUT_MS + 5_000) +
	followerBudgetMs(FOLLOWERS) +
	30_000;
const WATCHDOG_MS =
	BUILD_TIMEOUT_MS +
	BACKENDS.length * perBackendMs +
	paperBudgetMs(PAPERS) +
	deckBudgetMs(DECK) +
	(recomputeEnabled() ? RECOMPUTE_BUDGET_MS : 0);

async function finish(code, error) {
	if (stopping) return;
	stopping = true;
	// Should a cleanup hang, leave anyway.
	setTimeout(() => process.exit(code || 1), STOP_TIMEOUT_MS + 30_000).unref();
	if (error) {
		console.error(`\nBENCHMARK FAILED: ${error instanceof Error ? error.message : error}`);
	}
	await runCleanups();
	if (code === 0 && cleanupFailures > 0) {
		console.error('BENCHMARK FAILED: a cleanup step failed (see above).');
		code = 1;
	}
	process.exit(code);
}

const watchdog = setTimeout(
	() => void finish(1, new Error(`the benchmark took longer than ${WATCHDOG_MS / 1000} s`)),
	WATCHDOG_MS
);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => void finish(130, new Error(`interrupted (${signal})`)));
}

main().then(
	() => finish(0),
	(error) => finish(1, error)
);
