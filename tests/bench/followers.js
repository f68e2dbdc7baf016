// The live-talk part of `npm run bench`: how long a presenter's slide change takes to reach
// the screens of 100 followers over Server-Sent Events.
//
// On the demo course's lecture 1 (the instructors' published deck) the demo instructor starts
// the talk; the ten demo students sign in ten times each (100 sessions) and each session
// opens the talk's event stream (GET .../live/events), as the follower page does. The
// presenter then POSTs moves to .../present/position as the presenter page does, one at a
// time: each move waits until every stream has received its `moved` event (or a timeout),
// so moves never overlap. The delay of one follower is the time from just before the POST
// to the arrival of its `moved` event, measured in this process (client and server on the
// same machine, so one clock).
//
// Baseline, measured in the same run and the same way: the same moves with a single
// follower connected. With PostgreSQL (DATABASE_URL) every event also travels through
// LISTEN/NOTIFY, as it does between several app instances.
//
// Goal (from the issue): followers' screens follow within a second; reported as p95 < 1000 ms.

import http from 'node:http';
import { integerSetting } from './settings.js';

export const GOAL_MS = 1000;
const SSE_READY_TIMEOUT_MS = 30_000;
const MOVE_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const DEMO_STUDENTS = [
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
const DEMO_PASSWORD = 'podium-demo-2026';

/** The part's settings, from the environment (see run.js). */
export function followerSettings(env = process.env) {
	const number = (name, fallback, min) => integerSetting(env, name, fallback, min);
	const followers = number('BENCH_FOLLOWERS', 100, 0);
	return { enabled: followers > 0, followers, moves: number('BENCH_FOLLOWER_MOVES', 50, 1) };
}

/** Time a part may take at most (for run.js's watchdog). */
export function followerBudgetMs(settings) {
	if (!settings.enabled) return 0;
	return 60_000 + settings.followers * 2_000 + 2 * settings.moves * MOVE_TIMEOUT_MS;
}

function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

function summarize(delays, postMs, lost) {
	const sorted = [...delays].sort((a, b) => a - b);
	const posts = [...postMs].sort((a, b) => a - b);
	return {
		samples: sorted.length,
		lost,
		p50: percentile(sorted, 50),
		p95: percentile(sorted, 95),
		max: sorted.at(-1) ?? NaN,
		postP50: percentile(posts, 50)
	};
}

/**
 * An open event stream of one follower: counts the `moved` events it has received and
 * when each arrived (performance.now()).
 */
function openStream(base, path, cookie) {
	return new Promise((resolve, reject) => {
		const arrivals = [];
		let buffer = '';
		let connected = false;
		const request = http.get(
			`${base}${path}`,
			{ headers: { cookie, accept: 'text/event-stream' }, agent: false },
			(response) => {
				if (response.statusCode !== 200) {
					reject(new Error(`GET ${path} answered ${response.statusCode}`));
					response.resume();
					return;
				}
				response.setEncoding('utf8');
				response.on('data', (chunk) => {
					const at = performance.now();
					buffer += chunk;
					let end;
					while ((end = buffer.indexOf('\n\n')) >= 0) {
						const message = buffer.slice(0, end);
						buffer = buffer.slice(end + 2);
						if (message.includes(': connected') && !connected) {
							connected = true;
							resolve(stream);
						}
						if (message.startsWith('event: moved\n')) arrivals.push(at);
					}
				});
				response.on('error', () => {});
			}
		);
		request.on('error', (error) => {
			if (!connected) reject(error);
		});
		request.setTimeout(SSE_READY_TIMEOUT_MS, () => {
			if (!connected) request.destroy(new Error(`GET ${path}: no answer`));
		});
		const stream = { arrivals, close: () => request.destroy() };
	});
}

async function action(base, path, cookie, fields = {}) {
	const res = await fetch(`${base}${path}`, {
		method: 'POST',
		headers: {
			cookie,
			origin: base,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams(fields).toString(),
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
	});
	const body = await res.text();
	if (res.status !== 200 || !body.includes('"type":"success"')) {
		throw new Error(`POST ${path} answered ${res.status}: ${body.slice(0, 200)}`);
	}
}

/** The first lecture of the course's schedule: lecture 1, whose deck the demo publishes. */
async function firstLecture(base, cookie, courseId) {
	const res = await fetch(`${base}/courses/${courseId}/lectures`, {
		headers: { cookie },
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
	});
	const html = await res.text();
	const ids = [
		...html.matchAll(new RegExp(`href="/courses/${courseId}/lectures/([A-Za-z0-9]+)"`, 'g'))
	]
		.map((m) => m[1])
		.filter((id) => id !== 'new');
	if (ids.length === 0) throw new Error('the schedule lists no lecture');
	return `/courses/${courseId}/lectures/${ids[0]}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POSTs `count` moves through the deck's first `slides` slides, each after the previous one
 * reached every stream; returns every follower's delay of every move.
 */
async function measureMoves(ctx, lecture, streams, count, slides) {
	const delays = [];
	const postMs = [];
	let lost = 0;
	for (let i = 0; i < count; i++) {
		if (ctx.isStopping()) throw new Error('the run is ending');
		const seen = streams.map((s) => s.arrivals.length);
		// Every move goes somewhere else, as a presenter's does.
		const position = { h: (i + 1) % slides, v: 0, f: -1 };
		const sent = performance.now();
		const res = await fetch(`${ctx.base}${lecture}/present/position`, {
			method: 'POST',
			headers: { cookie: ctx.cookie, 'content-type': 'application/json' },
			body: JSON.stringify(position),
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
		});
		await res.arrayBuffer();
		postMs.push(performance.now() - sent);
		if (res.status !== 204) throw new Error(`POST .../present/position answered ${res.status}`);
		const deadline = sent + MOVE_TIMEOUT_MS;
		while (streams.some((s, k) => s.arrivals.length <= seen[k]) && performance.now() < deadline) {
			await sleep(2);
		}
		streams.forEach((s, k) => {
			if (s.arrivals.length > seen[k]) delays.push(s.arrivals[seen[k]] - sent);
			else lost++;
		});
		await sleep(20);
	}
	return summarize(delays, postMs, lost);
}

/** Runs the part against a server started by run.js; returns the two rows of the report. */
export async function benchmarkFollowers(ctx, settings) {
	const lecture = await firstLecture(ctx.base, ctx.cookie, ctx.courseId);
	const streams = [];
	ctx.onCleanup(() => {
		for (const s of streams) s.close();
	});
	await action(ctx.base, `${lecture}/present?/start`, ctx.cookie);
	ctx.onCleanup(() => action(ctx.base, `${lecture}/present?/end`, ctx.cookie).catch(() => {}));
	// The demo deck of lecture 1 has four horizontal slides.
	const slides = 4;

	const cookies = [];
	for (let i = 0; i < settings.followers; i++) {
		if (ctx.isStopping()) throw new Error('the run is ending');
		const email = DEMO_STUDENTS[i % DEMO_STUDENTS.length];
		cookies.push(await ctx.signIn(ctx.base, { email, password: DEMO_PASSWORD }));
	}
	const eventsPath = `${lecture}/live/events`;
	streams.push(await openStream(ctx.base, eventsPath, cookies[0]));
	const baseline = await measureMoves(ctx, lecture, streams, settings.moves, slides);
	for (const cookie of cookies.slice(1)) {
		streams.push(await openStream(ctx.base, eventsPath, cookie));
	}
	const all = await measureMoves(ctx, lecture, streams, settings.moves, slides);
	for (const s of streams) s.close();
	return [
		{ name: '1 follower (baseline)', followers: 1, ...baseline },
		{ name: `${settings.followers} followers`, followers: settings.followers, ...all }
	];
}

export function followerReport(rows, settings) {
	const header = [
		'followers',
		'moves x streams',
		'lost',
		'p50 ms',
		'p95 ms',
		'max ms',
		'POST p50 ms'
	];
	const lines = rows.map((r) => [
		r.name,
		String(r.samples),
		String(r.lost),
		r.p50.toFixed(1),
		r.p95.toFixed(1),
		r.max.toFixed(1),
		r.postP50.toFixed(1)
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const format = (cells) =>
		'  ' +
		cells
			.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
			.join('  ')
			.trimEnd();
	return [
		format(header),
		format(widths.map((w) => '-'.repeat(w))),
		...lines.map(format),
		`  delay: presenter's POST of a move -> that follower's SSE 'moved' event; ${settings.moves} moves each, one at a time`,
		`  goal: p95 < ${GOAL_MS} ms with ${settings.followers} followers`,
		''
	].join('\n');
}

export const followerVerdict = (row) =>
	row.p95 < GOAL_MS && row.lost === 0 ? 'PASS' : 'BELOW GOAL';
