// The deck-preview part of `npm run bench`: how long the deck editor's live preview takes to
// show a keystroke in a 60-slide deck, against the same in a 1-slide deck.
//
// Through the app's forms the instructor creates a course, and in it one lecture per deck
// with a deck saved in it (tests/bench/deck-fixtures.js: a talk of BENCH_DECK_SLIDES slides,
// and its middle slide alone as the 1-slide baseline). Then, in headless Chromium, each
// round opens the deck editor in a fresh browser context, waits for reveal.js to show the
// preview, puts the cursor at the end of a bullet of the middle slide (the preview follows
// it there) and types TYPED one key at a time, BENCH_DECK_PAUSE_MS apart (typing speed; the
// editor autosaves 1.5 s after the last keystroke, so no save runs between the measured
// keystrokes: the round waits for the one after the last). The first WARMUP_KEYS keys are
// not counted. Per keystroke, in the page, from the `input` event's timeStamp:
//   preview DOM  a MutationObserver on the preview region (role=region "Slide preview")
//                sees the typed text in the slide reveal.js shows;
//   next frame   the first task after the next animation frame that follows (the update
//                painted, roughly).
// After the round has saved, the main thread's JS heap after a forced GC and its DOM nodes.
// Rounds alternate between the decks; the table pools the keystrokes of all rounds.

import {
	action,
	checkChromium,
	fmt,
	heapAfterGc,
	launchBrowser,
	median,
	percentile,
	sessionCookie,
	table
} from './browser.js';
import { ANCHOR, TYPED, deckSource } from './deck-fixtures.js';

const VIEWPORT = { width: 1280, height: 800 };
const LOAD_TIMEOUT_MS = 60_000;
const KEY_TIMEOUT_MS = 10_000;
const SAVE_TIMEOUT_MS = 30_000;
const WARMUP_KEYS = 5;

/** The part's settings, from the environment (see run.js). */
export function deckSettings(env = process.env) {
	const number = (name, fallback, min, max) => {
		const raw = env[name];
		if (raw === undefined || raw === '') return fallback;
		const value = Number(raw);
		if (!Number.isInteger(value) || value < min || value > max) {
			throw new Error(`${name} must be an integer from ${min} to ${max}.`);
		}
		return value;
	};
	return {
		enabled: env.BENCH_DECK !== '0',
		slides: number('BENCH_DECK_SLIDES', 60, 2, 300),
		keystrokes: number('BENCH_DECK_KEYSTROKES', 40, 1, TYPED.length - WARMUP_KEYS),
		pauseMs: number('BENCH_DECK_PAUSE_MS', 150, 0, 1000),
		runs: number('BENCH_DECK_RUNS', 2, 1, 20)
	};
}

/** Fails early (before the throughput part) when the part cannot run here. */
export function checkDeckPrerequisites(settings) {
	if (settings.enabled) checkChromium('deck-preview', 'BENCH_DECK=0');
}

/** An upper bound of the part's duration, for run.js's watchdog. */
export function deckBudgetMs(settings) {
	if (!settings.enabled) return 0;
	const perKey = settings.pauseMs + KEY_TIMEOUT_MS;
	const perRound =
		LOAD_TIMEOUT_MS + SAVE_TIMEOUT_MS + (WARMUP_KEYS + settings.keystrokes) * perKey + 15_000;
	return 60_000 + 2 * settings.runs * perRound;
}

// --- in the page ----------------------------------------------------------------------------

/**
 * Installed once the preview shows the middle slide (page.evaluate on the deck's field).
 * `arm(expected)` before a key is pressed returns nothing; `result()` then resolves with the
 * keystroke's times once the shown slide's text contains `expected` after that key's input.
 */
function INSTRUMENT(field) {
	const region = document.querySelector('[role="region"][aria-label="Slide preview"]');
	const normalize = (text) => text.replace(/\s+/g, ' ');
	/** The innermost slide reveal.js shows (a vertical stack is `present` too). */
	const shownText = () => {
		const present = region.querySelectorAll('.slides section.present');
		return normalize(present[present.length - 1]?.textContent ?? '');
	};
	let key = null;
	const observer = new MutationObserver(() => {
		if (!key || key.start === null || key.dom !== null) return;
		if (!shownText().includes(key.expected)) return;
		key.dom = performance.now() - key.start;
		requestAnimationFrame(() =>
			setTimeout(() => {
				key.frame = performance.now() - key.start;
				key.resolve({ dom: key.dom, frame: key.frame });
			}, 0)
		);
	});
	observer.observe(region, { subtree: true, childList: true, characterData: true });
	// Capture on window: before the app's own (delegated) input handler runs.
	window.addEventListener(
		'input',
		(event) => {
			if (key && event.target === field && key.start === null) key.start = event.timeStamp;
		},
		{ capture: true }
	);
	window.__deckBench = {
		arm(expected) {
			key = { expected: normalize(expected).trimEnd(), start: null, dom: null, frame: null };
			key.done = new Promise((resolve) => (key.resolve = resolve));
		},
		result(timeoutMs) {
			const current = key;
			return Promise.race([
				current.done,
				new Promise((resolve) =>
					setTimeout(
						() =>
							resolve({
								failed:
									current.start === null
										? 'the key caused no input event'
										: `the preview did not show "…${current.expected.slice(-40)}" within ${timeoutMs} ms`
							}),
						timeoutMs
					)
				)
			]);
		},
		shows(text) {
			return shownText().includes(normalize(text));
		}
	};
}

// --- the app: course, lectures, decks -------------------------------------------------------

function idAfter(result, pattern, what) {
	const id = pattern.exec(result.location ?? '')?.[1];
	if (result.type !== 'redirect' || !id) {
		throw new Error(`${what} did not lead to its page: ${JSON.stringify(result).slice(0, 300)}`);
	}
	return id;
}

/** A course of the instructor's, with one lecture per deck; returns each deck editor's path. */
async function createDecks(ctx, decks) {
	const course = await action(
		ctx,
		'/courses/new',
		new URLSearchParams({ title: 'Deck preview benchmark', timeZone: 'Europe/Berlin' })
	);
	const courseId = idAfter(course, /^\/courses\/([A-Za-z0-9_-]+)$/, 'creating the course');
	const paths = [];
	for (const [i, deck] of decks.entries()) {
		const lecture = await action(
			ctx,
			`/courses/${courseId}/lectures/new`,
			new URLSearchParams({
				number: String(i + 1),
				title: `${deck.slides}-slide deck`,
				startsAt: `2026-06-0${i + 1}T10:00`,
				endsAt: `2026-06-0${i + 1}T11:30`
			})
		);
		const lectureId = idAfter(
			lecture,
			/\/lectures\/([A-Za-z0-9_-]+)$/,
			`creating the lecture of the ${deck.slides}-slide deck`
		);
		const path = `/courses/${courseId}/lectures/${lectureId}/deck`;
		const saved = await action(
			ctx,
			`${path}?/save`,
			new URLSearchParams({ source: deck.source, baseRevision: '0' })
		);
		if (saved.type !== 'success') {
			throw new Error(`saving the ${deck.slides}-slide deck answered ${JSON.stringify(saved)}`);
		}
		paths.push(path);
	}
	return paths;
}

// --- measuring ------------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One round in a fresh context: open the editor, type, wait for the autosave, read memory. */
async function typingRound(browser, { url, cookie, settings }) {
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	try {
		await context.addCookies([cookie]);
		const page = await context.newPage();
		const errors = [];
		page.on('pageerror', (error) => errors.push(error.message));
		page.on('console', (message) => {
			if (message.type() === 'error') errors.push(message.text());
		});
		const started = Date.now();
		const response = await page.goto(url, { timeout: LOAD_TIMEOUT_MS });
		if (!response || response.status() !== 200) {
			throw new Error(`GET ${url} answered ${response?.status() ?? 'nothing'}`);
		}
		const field = page.getByRole('textbox', { name: 'Deck (reveal.js Markdown)' });
		const preview = page.getByRole('region', { name: 'Slide preview' });
		await preview.locator('.reveal.ready').waitFor({ timeout: LOAD_TIMEOUT_MS });

		// The cursor at the end of ANCHOR's line (earlier rounds may have typed after it).
		const value = await field.inputValue();
		const at = value.indexOf(ANCHOR);
		if (at < 0) throw new Error('the deck has lost the line the benchmark types into');
		const lineEnd = value.indexOf('\n', at);
		const line = value.slice(at, lineEnd);
		await field.evaluate((element, end) => {
			element.focus();
			element.setSelectionRange(end, end);
		}, lineEnd);
		// A key that moves nothing: its keyup moves the preview to the cursor's slide.
		await page.keyboard.press('End');
		await field.evaluate(INSTRUMENT);
		await page.waitForFunction((text) => window.__deckBench.shows(text), line, {
			timeout: LOAD_TIMEOUT_MS
		});
		const loadMs = Date.now() - started;
		const before = await heapAfterGc(context, page);

		const keys = [];
		const total = WARMUP_KEYS + settings.keystrokes;
		for (let k = 0; k < total; k++) {
			const expected = line + TYPED.slice(0, k + 1);
			const sent = Date.now();
			await page.evaluate((text) => window.__deckBench.arm(text), expected);
			await page.keyboard.press(TYPED[k] === ' ' ? 'Space' : TYPED[k]);
			const result = await page.evaluate((ms) => window.__deckBench.result(ms), KEY_TIMEOUT_MS);
			if (result.failed) throw new Error(`keystroke ${k + 1}: ${result.failed}`);
			if (k >= WARMUP_KEYS) keys.push(result);
			await sleep(settings.pauseMs - (Date.now() - sent));
		}

		await page.waitForFunction(
			() =>
				/^Saved \(revision \d+\)$/.test(
					document.getElementById('deck-status')?.textContent.trim() ?? ''
				),
			undefined,
			{ timeout: SAVE_TIMEOUT_MS }
		);
		const after = await heapAfterGc(context, page);
		return { keys, loadMs, before, after, errors };
	} finally {
		await context.close();
	}
}

/**
 * Runs the whole part against a running server. `ctx`: base, cookie (`name=value` of the
 * instructor's session); `onCleanup(fn)` registers what to undo (newest first) and
 * `isStopping()` tells that the run is ending.
 */
export async function benchmarkDeckPreview(ctx, settings) {
	const { onCleanup, isStopping, log } = ctx;
	const checkStop = () => {
		if (isStopping()) throw new Error('the run is ending');
	};
	const cookie = sessionCookie(ctx);
	const decks = [
		{ slides: 1, source: deckSource(1), rounds: [] },
		{ slides: settings.slides, source: deckSource(settings.slides), rounds: [] }
	];
	const paths = await createDecks(ctx, decks);
	checkStop();
	const browser = await launchBrowser();
	onCleanup(() => browser.close());

	for (let round = 1; round <= settings.runs; round++) {
		for (const [i, deck] of decks.entries()) {
			checkStop();
			const result = await typingRound(browser, {
				url: `${ctx.base}${paths[i]}`,
				cookie,
				settings
			});
			deck.rounds.push(result);
			const dom = result.keys.map((k) => k.dom);
			log(
				`  ${deck.slides}-slide deck, round ${round}: editor ready in ${result.loadMs} ms, ` +
					`preview DOM p50 ${fmt(median(dom), 1)} ms, max ${fmt(Math.max(...dom), 1)} ms`
			);
		}
	}
	return decks.map(summarize);
}

function summarize(deck) {
	const keys = deck.rounds.flatMap((r) => r.keys);
	const stats = (values) => ({
		p50: percentile(values, 50),
		p95: percentile(values, 95),
		max: values.length ? Math.max(...values) : null
	});
	const m = (pick) => median(deck.rounds.map(pick));
	return {
		slides: deck.slides,
		keystrokes: keys.length,
		dom: stats(keys.map((k) => k.dom)),
		frame: stats(keys.map((k) => k.frame)),
		heapBeforeMiB: m((r) => r.before.jsHeapMiB),
		heapAfterMiB: m((r) => r.after.jsHeapMiB),
		domNodes: m((r) => r.after.domNodes),
		errors: [...new Set(deck.rounds.flatMap((r) => r.errors))]
	};
}

// --- report -----------------------------------------------------------------------------------

/** The part's table, as text; `rows[0]` is the 1-slide baseline. */
export function deckReport(rows, settings) {
	const [baseline] = rows;
	const out = [];
	out.push(
		`  Deck editor preview in Chromium (${VIEWPORT.width}x${VIEWPORT.height}): ${settings.keystrokes} ` +
			`keystrokes x ${settings.runs} rounds per deck, ${settings.pauseMs} ms apart, ms from the input event`
	);
	out.push(
		table(
			[
				'deck',
				'DOM p50',
				'DOM p95',
				'DOM max',
				'frame p50',
				'frame p95',
				'frame max',
				'vs 1 slide (p50, p95)',
				'JS heap MiB before/after',
				'DOM nodes'
			],
			[false, true, true, true, true, true, true, true, true, true],
			rows.map((r) => [
				`${r.slides} slide${r.slides === 1 ? '' : 's'}`,
				fmt(r.dom.p50, 1),
				fmt(r.dom.p95, 1),
				fmt(r.dom.max, 1),
				fmt(r.frame.p50, 1),
				fmt(r.frame.p95, 1),
				fmt(r.frame.max, 1),
				r === baseline ? 'baseline' : ratios(r, baseline),
				`${fmt(r.heapBeforeMiB, 1)} / ${fmt(r.heapAfterMiB, 1)}`,
				fmt(r.domNodes)
			])
		)
	);
	out.push(
		'  DOM: until the typed text is in the preview slide (MutationObserver); frame: until the ' +
			'first task after the next animation frame. A keystroke re-renders one slide, so the ' +
			'ratio should stay near 1x.'
	);
	out.push(
		'  JS heap: main thread after a forced GC, once the editor showed the slide (before) and ' +
			'after typing and the autosave (after); medians of the rounds\n'
	);
	for (const r of rows) {
		if (r.errors.length) {
			out.push(`  page errors (${r.slides} slides): ${r.errors.slice(0, 3).join(' | ')}`);
		}
	}
	return out.join('\n') + '\n';
}

export function ratios(row, baseline) {
	return `${fmt(row.dom.p50 / baseline.dom.p50, 2)}x, ${fmt(row.dom.p95 / baseline.dom.p95, 2)}x`;
}
