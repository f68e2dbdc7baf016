// What the Chromium parts of `npm run bench` share (paper-viewer.js, deck-preview.js): the
// browser, requests and form actions against the app as the signed-in instructor, the
// session cookie for a browser context, the JS heap, and the tables of the report.

import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.BENCH_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
export const REQUEST_TIMEOUT_MS = 120_000;
const SESSION_COOKIE = 'podium_session';

/** Fails early (before the throughput part) when a part that needs Chromium cannot run here. */
export function checkChromium(part, skip) {
	if (!existsSync(CHROMIUM)) {
		throw new Error(
			`the ${part} part needs Chromium at ${CHROMIUM} (apt-get install chromium, or set ` +
				`BENCH_CHROMIUM); ${skip} skips the part.`
		);
	}
}

export function launchBrowser() {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: CHROMIUM_ARGS,
		// run.js handles the signals: it closes the browser with its other cleanups (Playwright's
		// own handlers would exit the process before the server is stopped).
		handleSIGINT: false,
		handleSIGTERM: false,
		handleSIGHUP: false
	});
}

/** The instructor's session (`ctx.cookie`, `name=value`) as a cookie for a browser context. */
export function sessionCookie(ctx) {
	const [name, value] = ctx.cookie.split(/=(.*)/s);
	if (name !== SESSION_COOKIE) throw new Error(`unexpected session cookie ${name}`);
	return { name, value, url: ctx.base };
}

/** Main-thread JS heap (MiB) and DOM nodes of `page`, after a forced GC (CDP). */
export async function heapAfterGc(context, page) {
	const cdp = await context.newCDPSession(page);
	try {
		await cdp.send('HeapProfiler.collectGarbage');
		await cdp.send('Performance.enable');
		const { metrics } = await cdp.send('Performance.getMetrics');
		const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
		return { jsHeapMiB: metric('JSHeapUsedSize') / 2 ** 20, domNodes: metric('Nodes') };
	} finally {
		await cdp.detach();
	}
}

// --- the app ------------------------------------------------------------------------------------

export async function request(ctx, pathname, init = {}) {
	const res = await fetch(`${ctx.base}${pathname}`, {
		redirect: 'manual',
		...init,
		headers: { cookie: ctx.cookie, origin: ctx.base, ...init.headers },
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
	});
	return { res, body: await res.text() };
}

/** A form action's JSON result (as `use:enhance` gets it), or an error. */
export async function action(ctx, pathname, body) {
	const { res, body: text } = await request(ctx, pathname, {
		method: 'POST',
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
		body
	});
	let result;
	try {
		result = JSON.parse(text);
	} catch {
		// below
	}
	if (!res.ok || !result || (result.type !== 'success' && result.type !== 'redirect')) {
		throw new Error(`POST ${pathname} answered ${res.status}: ${text.slice(0, 300)}`);
	}
	return result;
}

// --- report -------------------------------------------------------------------------------------

function finite(values) {
	return values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
}

export function median(values) {
	const sorted = finite(values);
	if (sorted.length === 0) return null;
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The nearest-rank percentile (`p` in 0..100) of the finite values; null when there are none. */
export function percentile(values, p) {
	const sorted = finite(values);
	if (sorted.length === 0) return null;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const fmt = (v, digits = 0) =>
	v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits);

/** A text table: `numeric[i]` right-aligns column i. */
export function table(header, numeric, lines) {
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const format = (cells) =>
		'  ' +
		cells
			.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join(
		'\n'
	);
}
