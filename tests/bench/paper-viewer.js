// The paper-viewer part of `npm run bench`: how fast the paper page shows a long paper with
// many annotations in Chromium, against pdf.js's own viewer alone on the same PDF.
//
// For each document (30 and 300 pages by default) the instructor uploads the PDF through
// the lecture's upload form and 2,000 annotations are created through the app (see
// seedAnnotations). Then, in headless Chromium, each round opens
//   - Podium's paper page, signed in, and
//   - the bare pdf.js viewer (tests/bench/bare-viewer/, served with the PDF by a small static
//     server of this file on another port, its scroll container sized like Podium's),
// each in a fresh browser context (empty cache). A script that runs before the page's own
// (INSTRUMENT) notes, in ms since navigation start:
//   first page  pdf.js finished drawing a page: a `.page` with data-loaded, a canvas and no
//               `loadingIcon` class any more (pdf.js removes it when the render task is done);
//   anchored    the page texts (GET .../text/<sha>) were parsed and the task that applied them
//               (anchorAll, sidebar, highlights: one synchronous Svelte update) has run, and
//               the sidebar shows every annotation and no "Orphaned annotations" section.
// After the page settles, the main thread's JS heap (CDP Performance.getMetrics after a
// forced GC), its DOM nodes and the resident memory of the page's renderer process (which
// holds the pdf.js worker and the canvases) are read. One unmeasured round warms up the
// server and the browser; the table gives the median of the measured rounds.
//
// Goal: Podium's first page <= GOAL_RATIO x the bare viewer's, for each document.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
	REQUEST_TIMEOUT_MS,
	action,
	checkChromium,
	fmt,
	heapAfterGc,
	launchBrowser,
	median,
	request,
	sessionCookie,
	table
} from './browser.js';
import { documentText, makeBenchPdf, randomAnnotations } from './paper-fixtures.js';
import { integerSetting } from './settings.js';

export const GOAL_RATIO = 1.2;
const VIEWPORT = { width: 1280, height: 800 };
const LOAD_TIMEOUT_MS = 60_000;
const SETTLE_MS = 1500;

/** The part's settings, from the environment (see run.js). */
export function paperSettings(env = process.env) {
	const number = (name, fallback, min) => integerSetting(env, name, fallback, min);
	const pages = (env.BENCH_PAPER_PAGES || '30,300').split(',').map((p) => Number(p.trim()));
	if (pages.some((p) => !Number.isInteger(p) || p < 1 || p > 2000)) {
		throw new Error('BENCH_PAPER_PAGES must list page counts, e.g. "30,300".');
	}
	const seed = env.BENCH_PAPER_SEED || 'import';
	if (!['import', 'annotate'].includes(seed)) {
		throw new Error('BENCH_PAPER_SEED must be "import" or "annotate".');
	}
	const annotations = number('BENCH_PAPER_ANNOTATIONS', 2000, 1);
	if (seed === 'import' && annotations > 5000) {
		// MAX_IMPORT of src/lib/server/annotations/exchange.ts.
		throw new Error('The import takes at most 5000 annotations: use BENCH_PAPER_SEED=annotate.');
	}
	return {
		enabled: env.BENCH_PAPERS !== '0',
		pages,
		annotations,
		runs: number('BENCH_PAPER_RUNS', 3, 1),
		seed
	};
}

/** Fails early (before the throughput part) when the part cannot run here. */
export function checkPaperPrerequisites(settings) {
	if (settings.enabled) checkChromium('paper-viewer', 'BENCH_PAPERS=0');
}

/** An upper bound of the part's duration, for run.js's watchdog. */
export function paperBudgetMs(settings) {
	if (!settings.enabled) return 0;
	const perDocument =
		REQUEST_TIMEOUT_MS * 3 +
		(settings.runs + 1) * 2 * (LOAD_TIMEOUT_MS + SETTLE_MS + 15_000) +
		(settings.seed === 'annotate' ? settings.annotations * 1000 : 0);
	return 60_000 + settings.pages.length * perDocument;
}

// --- in the page ----------------------------------------------------------------------------

/**
 * Runs in every page before its own scripts (context.addInitScript). `expected` is the
 * number of annotations the sidebar must show (0 for the bare viewer).
 */
function INSTRUMENT(expected) {
	const b = {
		expected,
		firstCanvas: null,
		firstPage: null,
		started: null,
		textParsed: null,
		textApplied: null,
		anchored: null,
		cards: null,
		shown: null,
		orphans: null,
		failed: null,
		longTasks: [],
		done: false
	};
	window.__bench = b;

	// SvelteKit's client router starts right after hydration; it then listens for clicks on
	// <html> (as in tests/e2e/harness.ts).
	const add = EventTarget.prototype.addEventListener;
	EventTarget.prototype.addEventListener = function (type, listener, options) {
		if (b.started === null && type === 'click' && this === document.documentElement) {
			b.started = performance.now();
		}
		return add.call(this, type, listener, options);
	};

	// The paper page fetches its page texts and sets them in a .then(); Svelte applies that in
	// a microtask, so a task queued when the JSON is parsed runs after the update.
	const json = Response.prototype.json;
	Response.prototype.json = function () {
		const parsed = json.call(this);
		if (/\/text\/[0-9a-f]{64}$/.test(this.url)) {
			parsed.then(
				() => {
					b.textParsed = performance.now();
					setTimeout(() => {
						b.textApplied = performance.now();
						check();
					}, 0);
				},
				() => {}
			);
		}
		return parsed;
	};

	try {
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]);
		}).observe({ type: 'longtask', buffered: true });
	} catch {
		// no long task timing
	}

	function orphanCount() {
		for (const h of document.querySelectorAll('h2, h3, h4')) {
			const m = /^Orphaned annotations \((\d+)\)/.exec(h.textContent.trim());
			if (m) return Number(m[1]);
		}
		return 0;
	}

	/** The sidebar's "N shown" line, should the cards ever be rendered lazily. */
	function shownCount() {
		for (const p of document.querySelectorAll('p')) {
			const m = /^(\d+) shown$/.exec(p.textContent.trim());
			if (m) return Number(m[1]);
		}
		return null;
	}

	function check() {
		const now = performance.now();
		if (b.firstPage === null) {
			if (b.firstCanvas === null && document.querySelector('.pdfViewer .page canvas')) {
				b.firstCanvas = now;
			}
			for (const page of document.querySelectorAll('.pdfViewer .page[data-loaded="true"]')) {
				if (!page.classList.contains('loadingIcon') && page.querySelector('canvas')) {
					b.firstPage = now;
					break;
				}
			}
		}
		if (b.expected > 0 && b.anchored === null && b.textApplied !== null) {
			b.cards = document.querySelectorAll('article.thread').length;
			b.shown = shownCount();
			b.orphans = orphanCount();
			if (b.orphans > 0) {
				b.failed = `${b.orphans} orphaned annotations in the sidebar`;
			} else if (b.cards === b.expected || b.shown === b.expected) {
				b.anchored = now;
			}
		}
		if (b.failed || (b.firstPage !== null && (b.expected === 0 || b.anchored !== null))) {
			b.done = true;
			observer.disconnect();
		}
	}
	const observer = new MutationObserver(check);
	observer.observe(document, {
		subtree: true,
		childList: true,
		attributes: true,
		attributeFilter: ['class', 'data-loaded']
	});
}

/** What the page recorded, plus navigation timing; read once the page is done. */
function READ_RESULTS() {
	const b = window.__bench;
	const nav = performance.getEntriesByType('navigation')[0];
	const end = Math.max(b.firstPage ?? 0, b.anchored ?? 0);
	const container = document.querySelector('.pdfViewer')?.parentElement;
	return {
		firstCanvas: b.firstCanvas,
		firstPage: b.firstPage,
		started: b.started,
		textParsed: b.textParsed,
		textApplied: b.textApplied,
		anchored: b.anchored,
		cards: b.cards,
		shown: b.shown,
		orphans: b.orphans,
		failed: b.failed,
		htmlEnd: nav?.responseEnd ?? null,
		htmlBytes: nav?.decodedBodySize ?? null,
		domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
		longTaskMs: b.longTasks
			.filter(([start]) => start < end)
			.reduce((sum, [start, duration]) => sum + Math.min(duration, end - start), 0),
		container: container ? { width: container.clientWidth, height: container.clientHeight } : null,
		pagesRendered: document.querySelectorAll('.pdfViewer .page[data-loaded="true"]').length
	};
}

// --- static server of the bare viewer ---------------------------------------------------------

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.gif': 'image/gif',
	'.png': 'image/png',
	'.wasm': 'application/wasm',
	'.pdf': 'application/pdf'
};

/**
 * Serves /bench/ (tests/bench/bare-viewer), /pdfjs/ (node_modules/pdfjs-dist) and /doc/<name>
 * (PDFs in memory) on 127.0.0.1, without caching or range requests (like Podium's file route).
 */
function startStaticServer(root, documents) {
	const mounts = {
		'/bench/': path.join(root, 'tests', 'bench', 'bare-viewer'),
		'/pdfjs/': path.join(root, 'node_modules', 'pdfjs-dist')
	};
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const send = (status, body, type = 'text/plain; charset=utf-8') => {
			res.writeHead(status, {
				'content-type': type,
				'content-length': String(body.length),
				'cache-control': 'no-store'
			});
			res.end(req.method === 'HEAD' ? undefined : body);
		};
		if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed');
		const doc = /^\/doc\/([\w-]+\.pdf)$/.exec(url.pathname);
		if (doc) {
			const bytes = documents.get(doc[1]);
			return bytes ? send(200, Buffer.from(bytes), TYPES['.pdf']) : send(404, 'Not found');
		}
		for (const [prefix, dir] of Object.entries(mounts)) {
			if (!url.pathname.startsWith(prefix)) continue;
			const rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
			const file = path.resolve(dir, rel);
			if (!file.startsWith(dir + path.sep)) return send(403, 'Forbidden');
			try {
				const body = readFileSync(file);
				return send(200, body, TYPES[path.extname(file)] ?? 'application/octet-stream');
			} catch {
				return send(404, 'Not found');
			}
		}
		return send(404, 'Not found');
	});
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				base: `http://127.0.0.1:${port}`,
				close: () =>
					new Promise((done) => {
						server.closeAllConnections?.();
						server.close(() => done());
					})
			});
		});
	});
}

// --- the app: upload and annotations -----------------------------------------------------------

async function firstLecture(ctx) {
	const { res, body } = await request(ctx, `/courses/${ctx.courseId}/lectures`);
	if (res.status !== 200) throw new Error(`GET /courses/<id>/lectures answered ${res.status}`);
	const ids = [
		...body.matchAll(new RegExp(`href="/courses/${ctx.courseId}/lectures/([A-Za-z0-9_-]+)"`, 'g'))
	]
		.map((m) => m[1])
		.filter((id) => id !== 'new');
	if (ids.length === 0) throw new Error('the demo course has no lecture to upload a paper to');
	return ids[0];
}

/** Uploads the PDF through the lecture's upload form; returns the paper's id and hash. */
async function uploadPaper(ctx, lectureId, bytes, name) {
	const form = new FormData();
	form.set('file', new Blob([bytes], { type: 'application/pdf' }), name);
	const result = await action(
		ctx,
		`/courses/${ctx.courseId}/lectures/${lectureId}?/uploadPaper`,
		form
	);
	const id = /\/papers\/([A-Za-z0-9_-]+)$/.exec(result.location ?? '')?.[1];
	if (result.type !== 'redirect' || !id) {
		throw new Error(`the upload did not lead to a paper: ${JSON.stringify(result).slice(0, 300)}`);
	}
	// The file store names a file by its SHA-256, and so do the paper's file and text URLs.
	return { id, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function pageTexts(ctx, paperPath, sha256) {
	const { res, body } = await request(ctx, `${paperPath}/text/${sha256}`);
	if (res.status !== 200) throw new Error(`GET ${paperPath}/text/<sha> answered ${res.status}`);
	return JSON.parse(body).map((p) => p.text);
}

/**
 * Creates the annotations through the app. "import" (default): one W3C JSON-LD file through
 * the paper's import form (?/import), which stores them in one transaction. "annotate": one
 * POST ?/annotate each (what the annotation composer sends), 4 at a time; that is the path
 * a person's annotation takes, but each request re-reads every page text, so it takes
 * about 12 ms (30 pages) to 20 ms (300 pages) per annotation on PGlite.
 */
async function seedAnnotations(ctx, mode, paperPath, sha256, items) {
	if (mode === 'annotate') {
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const item = items[next++];
				await action(
					ctx,
					`${paperPath}?/annotate`,
					new URLSearchParams({
						target: JSON.stringify(item.target),
						body: item.body,
						tags: item.tags,
						visibility: 'class'
					})
				);
			}
		};
		await Promise.all(Array.from({ length: 4 }, worker));
		return;
	}
	const paperIri = `${ctx.base}${paperPath}/file/${sha256}`;
	const collectionIri = `${ctx.base}${paperPath}/bench-import`;
	const collection = {
		'@context': 'http://www.w3.org/ns/anno.jsonld',
		id: collectionIri,
		type: 'AnnotationCollection',
		total: items.length,
		first: {
			id: `${collectionIri}#page-1`,
			type: 'AnnotationPage',
			startIndex: 0,
			items: items.map((item, i) => ({
				id: `${collectionIri}#a${i}`,
				type: 'Annotation',
				motivation: 'commenting',
				body: [
					{ type: 'TextualBody', value: item.body, format: 'text/markdown', purpose: 'commenting' },
					...(item.tags ? [{ type: 'TextualBody', value: item.tags, purpose: 'tagging' }] : [])
				],
				target: {
					type: 'SpecificResource',
					source: paperIri,
					// Positions count code points in W3C; the text here is ASCII, so they agree.
					selector: [item.target.quote, item.target.position]
				}
			}))
		}
	};
	const form = new FormData();
	form.set('visibility', 'class');
	form.set(
		'file',
		new Blob([JSON.stringify(collection)], { type: 'application/ld+json' }),
		'annotations.jsonld'
	);
	const result = await action(ctx, `${paperPath}?/import`, form);
	// The action's data, { imported: n }, in SvelteKit's devalue encoding: [{"imported":1},n].
	let imported;
	try {
		const data = JSON.parse(result.data);
		imported = data[data[0].imported];
	} catch {
		// below
	}
	if (imported !== items.length) {
		throw new Error(`the import did not report ${items.length} annotations: ${result.data}`);
	}
}

// --- measuring ----------------------------------------------------------------------------------

/** Resident and private memory (MiB) of the largest Chromium renderer started by this process. */
function rendererMemory() {
	const parents = new Map();
	const renderers = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
			const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
			if (cmdline.includes('--type=renderer')) renderers.push(Number(name));
		} catch {
			// gone meanwhile
		}
	}
	const mine = (pid) => {
		for (let p = pid, hops = 0; p > 1 && hops < 10; p = parents.get(p) ?? 0, hops++) {
			if (p === process.pid) return true;
		}
		return false;
	};
	let best = null;
	for (const pid of renderers.filter(mine)) {
		try {
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
			let priv = null;
			try {
				const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
				priv =
					(Number(/Private_Clean:\s+(\d+)/.exec(rollup)?.[1] ?? 0) +
						Number(/Private_Dirty:\s+(\d+)/.exec(rollup)?.[1] ?? 0)) /
					1024;
			} catch {
				// no smaps_rollup
			}
			if (!best || rss > best.rss) best = { rss, priv };
		} catch {
			// gone meanwhile
		}
	}
	return best;
}

/** Opens `url` in a fresh context and measures it (see the top of this file). */
async function measurePage(browser, { url, cookie, expected }) {
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	try {
		if (cookie) await context.addCookies([cookie]);
		await context.addInitScript(INSTRUMENT, expected);
		const page = await context.newPage();
		const errors = [];
		page.on('pageerror', (error) => errors.push(error.message));
		page.on('console', (message) => {
			if (message.type() === 'error') errors.push(message.text());
		});
		const response = await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
		if (!response || response.status() !== 200) {
			throw new Error(`GET ${url} answered ${response?.status() ?? 'nothing'}`);
		}
		try {
			await page.waitForFunction(() => window.__bench?.done === true, undefined, {
				timeout: LOAD_TIMEOUT_MS,
				polling: 100
			});
		} catch {
			const state = await page.evaluate(READ_RESULTS).catch(() => null);
			throw new Error(
				`${url} did not finish within ${LOAD_TIMEOUT_MS / 1000} s: ${JSON.stringify(state)}` +
					(errors.length ? `\n  page errors: ${errors.slice(0, 5).join('\n  ')}` : '')
			);
		}
		const result = await page.evaluate(READ_RESULTS);
		if (result.failed) throw new Error(`${url}: ${result.failed}`);
		// Let the page settle (neighbouring pages render, text layers fill), then read memory.
		await page.waitForTimeout(SETTLE_MS);
		await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
		Object.assign(result, await heapAfterGc(context, page));
		result.renderer = rendererMemory();
		result.errors = errors;
		return result;
	} finally {
		await context.close();
	}
}

/**
 * Runs the whole part against a running server. `ctx`: root (the checkout), base, cookie
 * (`name=value` of the instructor's session), courseId; `onCleanup(fn)` registers what to
 * undo (newest first) and `isStopping()` tells that the run is ending.
 */
export async function benchmarkPaperViewer(ctx, settings) {
	const { onCleanup, isStopping, log } = ctx;
	const checkStop = () => {
		if (isStopping()) throw new Error('the run is ending');
	};
	const cookie = sessionCookie(ctx);

	// 1. The documents, on the server.
	const lectureId = await firstLecture(ctx);
	const documents = [];
	const files = new Map();
	for (const pages of settings.pages) {
		checkStop();
		let started = Date.now();
		const bytes = await makeBenchPdf(ctx.root, pages);
		const generateMs = Date.now() - started;
		started = Date.now();
		const fileName = `bench-${pages}-pages.pdf`;
		const paper = await uploadPaper(ctx, lectureId, bytes, fileName);
		const uploadMs = Date.now() - started;
		const paperPath = `/courses/${ctx.courseId}/papers/${paper.id}`;
		started = Date.now();
		const doc = documentText(await pageTexts(ctx, paperPath, paper.sha256));
		const items = randomAnnotations(doc, settings.annotations, pages);
		await seedAnnotations(ctx, settings.seed, paperPath, paper.sha256, items);
		const seedMs = Date.now() - started;
		log(
			`  ${pages}-page PDF (${(bytes.length / 1024).toFixed(0)} KiB): generated in ${generateMs} ms, ` +
				`uploaded in ${uploadMs} ms, ${settings.annotations} annotations (${settings.seed}) in ` +
				`${(seedMs / 1000).toFixed(1)} s`
		);
		files.set(fileName, bytes);
		documents.push({ pages, paperPath, fileName, podium: [], bare: [] });
	}

	// 2. The browser and the bare viewer's server.
	const statics = await startStaticServer(ctx.root, files);
	onCleanup(() => statics.close());
	checkStop();
	const browser = await launchBrowser();
	onCleanup(() => browser.close());

	// 3. Rounds: Podium, then the bare viewer in a container of the same size.
	for (const doc of documents) {
		let container = null;
		for (let round = 0; round <= settings.runs; round++) {
			checkStop();
			const podium = await measurePage(browser, {
				url: `${ctx.base}${doc.paperPath}`,
				cookie,
				expected: settings.annotations
			});
			container ??= podium.container;
			const size = container ? `&w=${container.width}&h=${container.height}` : '';
			checkStop();
			const bare = await measurePage(browser, {
				url: `${statics.base}/bench/index.html?file=/doc/${doc.fileName}${size}`,
				expected: 0
			});
			const warm = round === 0;
			log(
				`  ${doc.pages} pages, ${warm ? 'warm-up' : `round ${round}`}: Podium first page ` +
					`${podium.firstPage.toFixed(0)} ms, anchored ${podium.anchored.toFixed(0)} ms; ` +
					`bare first page ${bare.firstPage.toFixed(0)} ms (load ${os.loadavg()[0].toFixed(1)})`
			);
			if (!warm) {
				doc.podium.push(podium);
				doc.bare.push(bare);
			}
		}
		doc.container = container;
	}
	return documents.map(summarize);
}

function summarize(doc) {
	const m = (runs, key) => median(runs.map((r) => (typeof key === 'function' ? key(r) : r[key])));
	const view = (runs) => ({
		firstPage: m(runs, 'firstPage'),
		anchored: m(runs, 'anchored'),
		started: m(runs, 'started'),
		htmlEnd: m(runs, 'htmlEnd'),
		htmlBytes: m(runs, 'htmlBytes'),
		textParsed: m(runs, 'textParsed'),
		applyMs: m(runs, (r) => (r.textApplied ?? NaN) - (r.textParsed ?? NaN)),
		longTaskMs: m(runs, 'longTaskMs'),
		jsHeapMiB: m(runs, 'jsHeapMiB'),
		domNodes: m(runs, 'domNodes'),
		rssMiB: m(runs, (r) => r.renderer?.rss ?? NaN),
		privateMiB: m(runs, (r) => r.renderer?.priv ?? NaN),
		errors: [...new Set(runs.flatMap((r) => r.errors))]
	});
	const podium = view(doc.podium);
	const bare = view(doc.bare);
	return {
		pages: doc.pages,
		runs: doc.podium.length,
		container: doc.container,
		podium,
		bare,
		ratio: podium.firstPage / bare.firstPage
	};
}

// --- report -----------------------------------------------------------------------------------

export function verdict(row) {
	return row.ratio <= GOAL_RATIO ? 'PASS' : 'BELOW GOAL';
}

/** The part's tables, as text. */
export function paperReport(rows, settings) {
	const out = [];
	out.push(
		`  Paper page in Chromium (${VIEWPORT.width}x${VIEWPORT.height}, fresh context each time): ` +
			`median of ${settings.runs} rounds, ms since navigation start`
	);
	const lines = [];
	for (const r of rows) {
		const doc = `${r.pages} pages, ${settings.annotations} annotations`;
		lines.push([
			doc,
			'Podium',
			fmt(r.podium.firstPage),
			fmt(r.podium.anchored),
			`${fmt(r.ratio, 2)}x`,
			verdict(r),
			fmt(r.podium.jsHeapMiB, 1),
			fmt(r.podium.domNodes),
			fmt(r.podium.rssMiB),
			fmt(r.podium.privateMiB)
		]);
		lines.push([
			'',
			'pdf.js viewer alone',
			fmt(r.bare.firstPage),
			'-',
			'baseline',
			'',
			fmt(r.bare.jsHeapMiB, 1),
			fmt(r.bare.domNodes),
			fmt(r.bare.rssMiB),
			fmt(r.bare.privateMiB)
		]);
	}
	out.push(
		table(
			[
				'document',
				'viewer',
				'first page',
				'sidebar anchored',
				'vs bare',
				'goal',
				'JS heap MiB',
				'DOM nodes',
				'renderer RSS MiB',
				'private MiB'
			],
			[false, false, true, true, true, false, true, true, true, true],
			lines
		)
	);
	const size = rows.find((r) => r.container)?.container;
	out.push(
		`  goal: Podium's first page <= ${GOAL_RATIO}x the bare pdf.js viewer's (same run, same PDF, ` +
			`same scroll container size${size ? `: ${size.width}x${size.height}` : ''})`
	);
	out.push(
		'  memory after the page settled: main-thread JS heap after a GC (the pdf.js worker not ' +
			'included), DOM nodes, resident and private memory of the renderer process\n'
	);
	out.push("  Where Podium's time goes (medians, ms since navigation start):");
	out.push(
		table(
			[
				'document',
				'HTML received',
				'HTML KiB',
				'hydrated',
				'page texts parsed',
				'anchoring update',
				'long tasks until done'
			],
			[false, true, true, true, true, true, true],
			rows.map((r) => [
				`${r.pages} pages`,
				fmt(r.podium.htmlEnd),
				fmt(r.podium.htmlBytes / 1024),
				fmt(r.podium.started),
				fmt(r.podium.textParsed),
				fmt(r.podium.applyMs),
				fmt(r.podium.longTaskMs)
			])
		)
	);
	out.push(
		"  hydrated: SvelteKit's router started; anchoring update: from the parsed page texts to " +
			'the end of the task that applied them (anchorAll, sidebar, highlights)'
	);
	for (const r of rows) {
		for (const [label, v] of [
			['Podium', r.podium],
			['bare viewer', r.bare]
		]) {
			if (v.errors.length) {
				out.push(`  page errors (${r.pages} pages, ${label}): ${v.errors.slice(0, 3).join(' | ')}`);
			}
		}
	}
	return out.join('\n') + '\n';
}
