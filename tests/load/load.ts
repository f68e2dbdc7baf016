/**
 * Load without loss, and faults (`npm run load -- [options]`).
 *
 * Starts the built app (build/index.js; built first when missing) on a fresh database,
 * seeds the demo course plus 100 students (a roster import and 100 sign-ups over HTTP),
 * and runs one virtual user per student for --duration seconds: sign in, open the course,
 * lecture and paper pages, fetch the PDF and page text (once per paper, as a browser
 * caches them), fetch the annotations, annotate, reply, vote, save critique drafts and
 * submit critiques, all over plain HTTP as enhanced form posts. Every request's latency
 * and outcome is recorded; afterwards the app is stopped and the database opened directly
 * to count the writes (see verify.ts). Exits 1 on any lost, duplicated or unexpected
 * write, on any error when no fault was injected, or when the app did not recover.
 *
 * Options:
 *   --duration <s>       seconds of load (default 60)
 *   --vus <n>            virtual users (default 100)
 *   --think-ms <ms>      mean pause between a user's steps (default 2000)
 *   --ramp-up <s>        users sign in one after the other over this time (default 10)
 *   --timeout <s>        a request without an answer after this long fails (default 15)
 *   --pg                 run on PostgreSQL: a throwaway server of its own (initdb + pg_ctl
 *                        on a free port, removed afterwards)
 *   --pg-url <url>       run on a new database of this PostgreSQL server instead (dropped
 *                        afterwards; the server is never restarted)
 *   --restart-db-at <s>  with --pg: restart the server (pg_ctl restart -m fast) after this
 *                        many seconds of load, then measure the failures during the outage,
 *                        the time until a write succeeds again and until live annotation
 *                        events flow again
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeText } from '../../src/lib/annotations/anchoring';
import { documentText, type DocumentText } from '../../src/lib/papers/page-text';
import { DEMO_PASSWORD, INSTRUCTOR } from '../../src/lib/server/demo/content';
import { ROOT, freePort, startServer, type ServerProcess } from '../e2e/server-process';
import { Cluster } from './cluster';
import { Recorder, Session, resultValue, type Outcome, type Sample } from './http';
import { verify, type Verdict, type Write, type WriteState } from './verify';

const { values: args } = parseArgs({
	options: {
		duration: { type: 'string', default: '60' },
		vus: { type: 'string', default: '100' },
		'think-ms': { type: 'string', default: '2000' },
		'ramp-up': { type: 'string', default: '10' },
		timeout: { type: 'string', default: '15' },
		pg: { type: 'boolean', default: false },
		'pg-url': { type: 'string' },
		'restart-db-at': { type: 'string' }
	}
});

function positive(name: string, raw: string | undefined): number {
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0)
		throw new Error(`--${name} must be a positive number.`);
	return value;
}

const DURATION_MS = positive('duration', args.duration) * 1000;
const VUS = Math.round(positive('vus', args.vus));
const THINK_MS = Number(args['think-ms']);
const RAMP_UP_MS = Number(args['ramp-up']) * 1000;
const TIMEOUT_MS = positive('timeout', args.timeout) * 1000;
const RESTART_AT_MS =
	args['restart-db-at'] === undefined
		? null
		: positive('restart-db-at', args['restart-db-at']) * 1000;
if (RESTART_AT_MS !== null && !args.pg) {
	throw new Error('--restart-db-at needs --pg: only a server of the script’s own is restarted.');
}
if (RESTART_AT_MS !== null && RESTART_AT_MS >= DURATION_MS) {
	throw new Error('--restart-db-at must fall within --duration.');
}
/** How long the app may take to answer a write again after the restart. */
const RECOVERY_LIMIT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];

// --- set-up ------------------------------------------------------------------------------

function ensureBuild(): void {
	const entry = path.join(ROOT, 'build', 'index.js');
	if (!existsSync(entry)) {
		console.log('build/index.js is missing: running `npx vite build` ...');
		const built = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
		if (built.status !== 0) throw new Error('vite build failed');
	} else if (statSync(entry).mtimeMs < statSync(path.join(ROOT, 'src')).mtimeMs) {
		console.log(
			'note: build/ may be older than src/ (run `npm run build` to measure the latest code)'
		);
	}
}

interface Backend {
	label: string;
	env: Record<string, string>;
	dataDir: string;
	url?: string;
	cluster?: Cluster;
	cleanup(): Promise<void>;
}

async function prepareBackend(): Promise<Backend> {
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'podium-load-'));
	const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
	if (!args.pg && !args['pg-url']) {
		return {
			label: `embedded PGlite in ${dataDir}`,
			env: { PODIUM_DEMO: 'auto' },
			dataDir,
			cleanup: async () => removeDir()
		};
	}
	const cluster = args['pg-url'] ? undefined : await Cluster.start();
	const adminUrl = args['pg-url'] ?? cluster!.url();
	const { default: postgres } = await import('postgres');
	const database = `podium_load_${process.pid}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${database}`);
	await admin.end();
	const url = new URL(adminUrl);
	url.pathname = `/${database}`;
	return {
		label: cluster
			? `PostgreSQL of its own on port ${cluster.port} (${cluster.dataDir})`
			: `database ${database} on ${url.host}`,
		env: { DATABASE_URL: url.toString(), PODIUM_DEMO: 'on' },
		dataDir,
		url: url.toString(),
		cluster,
		cleanup: async () => {
			removeDir();
			if (cluster) {
				await cluster.stop().catch(() => {});
				cluster.remove();
				return;
			}
			const again = postgres(adminUrl, { max: 1, onnotice: () => {} });
			await again.unsafe(`drop database if exists ${database} with (force)`);
			await again.end();
		}
	};
}

interface Paper {
	id: string;
	lectureId: string;
	sha: string;
	doc: DocumentText;
	path: string;
}

interface Course {
	id: string;
	lectures: string[];
	papers: Paper[];
}

interface Student {
	email: string;
	name: string;
}

const PASSWORD = 'load test password 2026';

async function must(outcome: Promise<Outcome>, what: string): Promise<Outcome> {
	const o = await outcome;
	if (!o.ok) throw new Error(`${what} failed: ${o.error} ${o.message ?? ''}`);
	return o;
}

function idsIn(html: string, pattern: RegExp): string[] {
	return [...new Set([...html.matchAll(pattern)].map((m) => m[1]))].filter((id) => id !== 'new');
}

/** The demo course, its 100 extra students (a roster, then their own sign-ups), its papers. */
async function seed(base: string, students: Student[]): Promise<Course> {
	const staff = new Session(base, null, TIMEOUT_MS);
	const signIn = { email: INSTRUCTOR.email, password: DEMO_PASSWORD };
	await must(staff.action('', '/login', null, signIn), 'signing in as the instructor');
	const home = await must(staff.get('', '/courses'), 'GET /courses');
	const [id] = idsIn(home.body!, /href="\/courses\/([\w-]+)"/g);
	if (!id) throw new Error('The demo course is missing.');
	const csv = students.map((s) => `${s.email},${s.name}`).join('\n');
	const roster = { csv, role: 'student' };
	await must(staff.action('', `/courses/${id}/members`, 'importRoster', roster), 'roster');
	for (let i = 0; i < students.length; i += 4) {
		await Promise.all(
			students.slice(i, i + 4).map((s) => {
				const fields = { name: s.name, email: s.email, password: PASSWORD };
				return must(new Session(base, null, 30_000).action('', '/signup', null, fields), 'signup');
			})
		);
	}
	const schedule = await must(staff.get('', `/courses/${id}/lectures`), 'schedule');
	const lectures = idsIn(schedule.body!, new RegExp(`/courses/${id}/lectures/([\\w-]+)`, 'g'));
	const papers: Paper[] = [];
	for (const lectureId of lectures) {
		const page = await must(staff.get('', `/courses/${id}/lectures/${lectureId}`), 'lecture');
		for (const paperId of idsIn(page.body!, new RegExp(`/courses/${id}/papers/([\\w-]+)`, 'g'))) {
			const paperPath = `/courses/${id}/papers/${paperId}`;
			const html = (await must(staff.get('', paperPath), 'paper page')).body!;
			const sha = /sha256:"([0-9a-f]{64})"/.exec(html)?.[1];
			if (!sha) throw new Error(`No file hash on ${paperPath}`);
			const text = await must(staff.get('', `${paperPath}/text/${sha}`), 'page text');
			const pages = JSON.parse(text.body!) as { text: string }[];
			const doc = documentText(pages.map((p) => p.text));
			papers.push({ id: paperId, lectureId, sha, doc, path: paperPath });
		}
	}
	if (papers.length === 0) throw new Error('The demo course has no papers.');
	return { id, lectures, papers };
}

// --- virtual users -------------------------------------------------------------------------

interface Seen {
	id: string;
	mine: boolean;
	question: boolean;
	reply: boolean;
}

const stateOf = (o: Outcome): WriteState =>
	o.ok ? 'acked' : o.status >= 400 && o.status < 500 ? 'refused' : 'unknown';

/** A passage of 20–80 characters on one page, as a person selects it. */
function passage(doc: DocumentText) {
	const pages = doc.pageStarts
		.map((start, i) => ({ start, end: doc.pageStarts[i + 1] ?? doc.text.length }))
		.filter((p) => p.end - p.start > 100);
	const page = pick(pages);
	const length = 20 + Math.floor(Math.random() * 60);
	let start = page.start + Math.floor(Math.random() * (page.end - page.start - length - 2));
	while (/\s/.test(doc.text[start])) start++;
	let end = start + length;
	while (/\s/.test(doc.text[end - 1])) end--;
	return describeText(doc, start, end);
}

class VirtualUser {
	private writes = 0;
	private readonly seen = new Map<string, Seen[]>();
	private readonly opened = new Set<string>();
	private readonly voted = new Set<string>();
	/** Per lecture: whether its critique may be submitted already (then only submits). */
	private readonly critiques = new Map<string, 'draft' | 'submitted'>();

	constructor(
		readonly index: number,
		readonly student: Student,
		readonly session: Session,
		readonly course: Course,
		readonly log: Write[]
	) {}

	private marker(): string {
		return `load ${this.index}-${++this.writes}`;
	}

	private write(kind: Write['kind'], marker: string, o: Outcome, extra: Partial<Write> = {}) {
		this.log.push({ kind, marker, state: stateOf(o), ...extra });
	}

	/** Signs in at `start` (users arrive over the ramp-up, not all at once), then works. */
	async run(start: number, until: number): Promise<void> {
		await sleep(start - performance.now());
		const fields = { email: this.student.email, password: PASSWORD };
		while (performance.now() < until && !this.session.cookie) {
			if (!(await this.session.action('sign in', '/login', null, fields)).ok) await sleep(2000);
		}
		while (performance.now() < until) {
			await this.step();
			await sleep(Math.random() * 2 * THINK_MS);
		}
	}

	private async step(): Promise<void> {
		const c = `/courses/${this.course.id}`;
		const paper = pick(this.course.papers);
		const r = Math.random() * 100;
		if (r < 8) await this.session.get('course page', c);
		else if (r < 16) await this.session.get('lecture page', `${c}/lectures/${paper.lectureId}`);
		else if (r < 30) await this.openPaper(paper);
		else if (r < 40) await this.fetchAnnotations(paper);
		else if (r < 54) await this.annotate(paper);
		else if (r < 61) await this.reply(paper);
		else if (r < 70) await this.vote(paper);
		else await this.critique(paper);
	}

	private async openPaper(paper: Paper) {
		await this.session.get('paper page', paper.path);
		if (this.opened.has(paper.id)) return;
		// The browser keeps both (immutable, keyed by the file's hash).
		const [pdf, text] = await Promise.all([
			this.session.get('paper pdf', `${paper.path}/file/${paper.sha}`),
			this.session.get('paper text', `${paper.path}/text/${paper.sha}`)
		]);
		if (pdf.ok && text.ok) this.opened.add(paper.id);
	}

	private async fetchAnnotations(paper: Paper) {
		const o = await this.session.get('annotations', `${paper.path}/export`);
		if (!o.ok) return;
		const items = (JSON.parse(o.body!) as { first?: { items?: W3CItem[] } }).first?.items ?? [];
		this.seen.set(
			paper.id,
			items.flatMap((item) => {
				const id = /#annotation-([\w-]+)$/.exec(item.id)?.[1];
				if (!id) return [];
				const tags = (item.body ?? []).filter((b) => b.purpose === 'tagging').map((b) => b.value);
				return [
					{
						id,
						mine: item.creator?.name === this.student.name,
						question: tags.includes('question'),
						reply: item.motivation === 'replying'
					}
				];
			})
		);
	}

	private async annotate(paper: Paper) {
		const marker = this.marker();
		const question = Math.random() < 0.25;
		const o = await this.session.action('annotate', paper.path, 'annotate', {
			target: JSON.stringify(passage(paper.doc)),
			body: marker,
			tags: question ? 'question' : pick(['strength', 'weakness']),
			visibility: 'class'
		});
		const id = resultValue(o.body, 'created');
		this.write('annotate', marker, o, { id, paperId: paper.id });
		if (id) {
			const list = this.seen.get(paper.id) ?? [];
			this.seen.set(paper.id, [...list, { id, mine: true, question, reply: false }]);
		}
	}

	private async reply(paper: Paper) {
		const threads = (this.seen.get(paper.id) ?? []).filter((a) => !a.reply);
		if (threads.length === 0) return this.fetchAnnotations(paper);
		const thread = pick(threads);
		const marker = this.marker();
		const fields = { parentId: thread.id, body: marker };
		const o = await this.session.action('reply', paper.path, 'reply', fields);
		this.write('reply', marker, o);
		// The page then shows the thread with the new reply.
		if (o.ok) await this.session.get('thread', `${paper.path}/threads/${thread.id}`);
	}

	private async vote(paper: Paper) {
		const candidates = (this.seen.get(paper.id) ?? []).filter(
			(a) => !a.mine && !a.reply && !this.voted.has(a.id)
		);
		if (candidates.length === 0) return this.fetchAnnotations(paper);
		const target = pick(candidates);
		// A vote is never sent twice: one that may have committed stays as it is.
		this.voted.add(target.id);
		const kind = target.question ? 'same_question' : 'helpful';
		const fields = { annotationId: target.id, kind, on: 'true' };
		const o = await this.session.action('vote', paper.path, 'vote', fields);
		this.write('vote', `${this.student.email} ${target.id}`, o);
	}

	private async critique(paper: Paper) {
		const state = this.critiques.get(paper.lectureId);
		// A submitted critique changes only by submitting again; a draft is submitted now and then.
		const submit = state === 'submitted' || (state === 'draft' && Math.random() < 0.3);
		const marker = this.marker();
		const path = `/courses/${this.course.id}/lectures/${paper.lectureId}/critiques/paper`;
		const o = await this.session.action(
			submit ? 'critique submit' : 'critique draft',
			path,
			submit ? 'submit' : 'draft',
			{
				kind: 'paper',
				paperId: paper.id,
				summary: marker,
				strengths: 'A clear account of where the memory goes.',
				weaknesses: 'Only one model size is measured.',
				soundness: '3',
				significance: '3',
				clarity: '4',
				confidence: String(1 + Math.floor(Math.random() * 5))
			}
		);
		const critique = `${this.student.email} ${paper.lectureId}`;
		this.write(submit ? 'critique submit' : 'critique draft', marker, o, { critique });
		// A submission that may have committed makes the critique a submitted one.
		if (submit && stateOf(o) !== 'refused') this.critiques.set(paper.lectureId, 'submitted');
		else if (!submit && o.ok) this.critiques.set(paper.lectureId, 'draft');
	}
}

interface W3CItem {
	id: string;
	motivation?: string;
	creator?: { name?: string };
	body?: { purpose?: string; value: string }[];
}

// --- live events and the fault ---------------------------------------------------------------

/** An open event stream of a paper, as the paper page keeps it: which thread ids arrived when. */
class Watcher {
	readonly events = new Map<string, number>();
	private readonly abort = new AbortController();
	private done: Promise<void> = Promise.resolve();

	async open(session: Session, paper: Paper): Promise<void> {
		const response = await fetch(`${session.base}${paper.path}/events`, {
			headers: { cookie: session.cookie, accept: 'text/event-stream' },
			signal: this.abort.signal
		});
		if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
		const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
		this.done = (async () => {
			let buffer = '';
			try {
				for (;;) {
					const { value, done } = await reader.read();
					if (done) return;
					buffer += value;
					const blocks = buffer.split('\n\n');
					buffer = blocks.pop()!;
					for (const block of blocks) {
						const data = /^data: (.*)$/m.exec(block)?.[1];
						if (data) this.events.set((JSON.parse(data) as { id: string }).id, performance.now());
					}
				}
			} catch {
				// closed by close()
			}
		})();
	}

	async close(): Promise<void> {
		this.abort.abort();
		await this.done;
	}
}

interface Fault {
	downAt: number;
	backAt: number;
	/** When the first write after the restart was acknowledged. */
	recoveredAt: number | null;
	/** When the watcher heard of an annotation created after the restart. */
	liveAt: number | null;
}

/**
 * Restarts the database server at `at`, then writes (as the instructor, a "probe") until
 * the app acknowledges a write, and until the watcher hears of a new annotation again.
 */
async function injectFault(
	cluster: Cluster,
	at: number,
	probe: Session,
	paper: Paper,
	watcher: Watcher,
	log: Write[]
): Promise<Fault> {
	await sleep(at - performance.now());
	const downAt = performance.now();
	await cluster.restart();
	const fault: Fault = { downAt, backAt: performance.now(), recoveredAt: null, liveAt: null };
	let n = 0;
	const write = async () => {
		const marker = `load probe-${++n}`;
		const o = await probe.action('annotate', paper.path, 'annotate', {
			target: JSON.stringify(passage(paper.doc)),
			body: marker,
			visibility: 'class'
		});
		const id = resultValue(o.body, 'created');
		log.push({ kind: 'annotate', marker, state: stateOf(o), id, paperId: paper.id });
		return id;
	};
	while (fault.recoveredAt === null && performance.now() < fault.backAt + RECOVERY_LIMIT_MS) {
		if (await write()) fault.recoveredAt = performance.now();
		else await sleep(50);
	}
	while (fault.liveAt === null && performance.now() < fault.backAt + RECOVERY_LIMIT_MS) {
		const id = await write();
		await sleep(500);
		if (id && watcher.events.has(id)) fault.liveAt = watcher.events.get(id)!;
	}
	return fault;
}

// --- report ------------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function latencyTable(samples: Sample[]): string {
	const kinds = [...new Set(samples.map((s) => s.kind))];
	const rows = [...kinds.map((k) => [k, samples.filter((s) => s.kind === k)] as const)];
	rows.push(['all', samples]);
	const header = ['request', 'count', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
	const lines = rows.map(([kind, list]) => {
		const ms = list.map((s) => s.endedAt - s.startedAt).sort((a, b) => a - b);
		const errors = list.filter((s) => !s.outcome.ok).length;
		const f = (v: number) => v.toFixed(0);
		const q = [50, 95, 99].map((p) => f(percentile(ms, p)));
		return [kind, String(list.length), String(errors), ...q, f(ms[ms.length - 1])];
	});
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const format = (cells: string[]) =>
		'  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [format(header), ...lines.map(format)].join('\n');
}

/** Failures grouped by request and kind of failure, with when they started (s into the load). */
function errorsByKind(samples: Sample[], t0: number): string[] {
	const groups = new Map<string, { n: number; message: string; first: number; last: number }>();
	for (const s of samples.filter((s) => !s.outcome.ok)) {
		const key = `${s.kind}: ${s.outcome.error}`;
		const at = (s.startedAt - t0) / 1000;
		const g = groups.get(key) ?? { n: 0, message: s.outcome.message ?? '', first: at, last: at };
		g.n++;
		g.first = Math.min(g.first, at);
		g.last = Math.max(g.last, at);
		groups.set(key, g);
	}
	return [...groups].map(
		([key, g]) =>
			`${key} x${g.n} at ${g.first.toFixed(1)}–${g.last.toFixed(1)} s (“${g.message.slice(0, 80)}”)`
	);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// --- main --------------------------------------------------------------------------------------

async function main(): Promise<number> {
	ensureBuild();
	const backend = await prepareBackend();
	let server: ServerProcess | undefined;
	try {
		server = await startServer({
			buildDir: path.join(ROOT, 'build'),
			dataDir: backend.dataDir,
			port: await freePort(),
			env: backend.env
		});
		console.log(
			`Podium load: ${VUS} virtual users for ${DURATION_MS / 1000} s on ${backend.label}`
		);
		const students = Array.from({ length: VUS }, (_, i) => ({
			email: `load-${i + 1}@example.org`,
			name: `Load Student ${i + 1}`
		}));
		let t = performance.now();
		const course = await seed(server.url, students);
		console.log(
			`  seeded: ${VUS} students signed up in ${seconds(performance.now() - t)}; ` +
				`${course.papers.length} papers in ${course.lectures.length} lectures`
		);

		const recorder = new Recorder();
		const log: Write[] = [];
		const staff = new Session(server.url, recorder, TIMEOUT_MS);
		const signIn = { email: INSTRUCTOR.email, password: DEMO_PASSWORD };
		await must(staff.action('sign in', '/login', null, signIn), 'signing in as the instructor');
		const watcher = new Watcher();
		await watcher.open(staff, course.papers[0]);

		t = performance.now();
		const until = t + DURATION_MS;
		const users = students.map(
			(s, i) =>
				new VirtualUser(i + 1, s, new Session(server!.url, recorder, TIMEOUT_MS), course, log)
		);
		const fault =
			RESTART_AT_MS !== null
				? injectFault(backend.cluster!, t + RESTART_AT_MS, staff, course.papers[0], watcher, log)
				: null;
		await Promise.all(users.map((u, i) => u.run(t + (i * RAMP_UP_MS) / VUS, until)));
		const faultResult = fault ? await fault : null;
		const elapsed = performance.now() - t;
		// Events of the last writes are still on their way.
		await sleep(1000);
		await watcher.close();
		const crashed = server.hasExited;
		const stopping = performance.now();
		// adapter-node itself waits up to 30 s (SHUTDOWN_TIMEOUT) for open requests.
		const exit = await server.stop(45_000).catch((error: Error) => {
			// The message ends with the server's output: its last lines say where it stood.
			const lines = error.message.split('\n').filter((l) => l && !/^\s+at /.test(l));
			console.error([lines[0], ...lines.slice(-12)].join('\n  '));
			return { code: null, signal: 'SIGKILL' as const };
		});

		const stopMs = performance.now() - stopping;
		const verdict = await verify({ url: backend.url, dataDir: backend.dataDir }, log);
		return report({
			t0: t,
			samples: recorder.samples,
			log,
			elapsed,
			faultResult,
			crashed,
			exit,
			stopMs,
			verdict,
			watcher,
			course
		});
	} catch (error) {
		if (server) console.error(`server output:\n${server.output}`);
		throw error;
	} finally {
		if (server && !server.hasExited) await server.stop().catch(() => {});
		await backend.cleanup();
	}
}

interface Results {
	/** When the load started (performance.now()). */
	t0: number;
	samples: Sample[];
	log: Write[];
	elapsed: number;
	faultResult: Fault | null;
	crashed: boolean;
	exit: { code: number | null; signal: NodeJS.Signals | null };
	/** From SIGTERM to the app's exit. */
	stopMs: number;
	verdict: Verdict;
	watcher: Watcher;
	course: Course;
}

function report(r: Results): number {
	const failures: string[] = [];
	const { samples, verdict } = r;
	console.log(
		`\n  requests: ${samples.length} in ${seconds(r.elapsed)} = ${(samples.length / (r.elapsed / 1000)).toFixed(1)} req/s`
	);
	console.log(latencyTable(samples));

	// During a fault, a request may fail while the database is away: cleanly, with a 5xx and
	// a message. Every other failure is an error.
	const f = r.faultResult;
	const inOutage = (s: Sample) =>
		f !== null && s.startedAt <= (f.recoveredAt ?? Infinity) && s.endedAt >= f.downAt;
	const failed = samples.filter((s) => !s.outcome.ok);
	const clean = (s: Sample) => s.outcome.status >= 500 && Boolean(s.outcome.message);
	const tolerated = failed.filter((s) => inOutage(s) && clean(s));
	const errors = failed.filter((s) => !tolerated.includes(s));
	console.log(`\n  errors: ${errors.length === 0 ? 'none' : ''}`);
	for (const line of errorsByKind(errors, r.t0)) console.log(`    ${line}`);
	if (errors.length > 0) failures.push(`${errors.length} requests failed`);

	if (f) {
		const slowest = Math.max(0, ...failed.filter(inOutage).map((s) => s.endedAt - s.startedAt));
		console.log(
			`\n  fault: PostgreSQL restarted (pg_ctl restart -m fast), down for ${seconds(f.backAt - f.downAt)}`
		);
		console.log(
			`    requests failed during the outage: ${failed.filter(inOutage).length}` +
				` (${tolerated.length} cleanly with a 5xx and a message; slowest failure ${seconds(slowest)})`
		);
		for (const line of errorsByKind(tolerated, r.t0)) console.log(`      ${line}`);
		if (f.recoveredAt === null) failures.push('no write succeeded after the restart');
		else
			console.log(
				`    recovery: a write succeeded ${seconds(f.recoveredAt - f.backAt)} after the database was back`
			);
		if (f.liveAt === null)
			failures.push('live annotation events did not flow again after the restart');
		else
			console.log(
				`    live events: flowing again ${seconds(f.liveAt - f.backAt)} after the database was back`
			);
	}
	console.log(`  the app stopped ${seconds(r.stopMs)} after SIGTERM`);
	if (r.crashed) failures.push('the app process died during the run');
	if (r.exit.code !== 0)
		failures.push(`the app exited with ${r.exit.signal ?? `code ${r.exit.code}`} on SIGTERM`);

	const watched = r.log.filter((w) => w.state === 'acked' && w.paperId === r.course.papers[0].id);
	const heard = watched.filter((w) => r.watcher.events.has(w.id!));
	const kinds = [...new Set(r.log.map((w) => w.kind))];
	console.log(
		`\n  writes: ${r.log.length} attempted, ${verdict.counts.acked} acknowledged, ` +
			`${verdict.counts.refused} refused, ${verdict.counts.unknown} unknown ` +
			`(${verdict.unknownPresent} reached the database, ${verdict.unknownAbsent} did not, ` +
			`${r.log.filter((w) => w.state === 'unknown' && w.kind === 'critique draft').length} ` +
			'drafts cannot tell: later saves replace them)'
	);
	for (const kind of kinds) {
		const list = r.log.filter((w) => w.kind === kind);
		console.log(
			`    ${kind}: ${list.length} attempted, ${list.filter((w) => w.state === 'acked').length} acknowledged`
		);
	}
	console.log(
		`  live: an open event stream of paper 1 heard of ${heard.length} of its ` +
			`${watched.length} acknowledged new annotations`
	);
	const rows = Object.entries(verdict.rows)
		.map(([k, n]) => `${n} ${k}`)
		.join(', ');
	console.log(`  database: ${rows}`);
	if (verdict.problems.length === 0) {
		console.log(
			'    every acknowledged write is present exactly once, no refused or unexpected one is'
		);
	} else {
		failures.push(`${verdict.problems.length} writes lost, duplicated or unexpected`);
		for (const p of verdict.problems.slice(0, 20)) {
			console.log(`    ${p.what}: “${p.marker}” (${p.state}) found ${p.found} times`);
		}
	}
	console.log(failures.length === 0 ? '\nLOAD PASSED' : `\nLOAD FAILED: ${failures.join('; ')}`);
	return failures.length === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`LOAD FAILED: ${error instanceof Error ? error.stack : error}`);
		process.exit(1);
	}
);
