/**
 * Text anchoring after hypothesis/client: a selection in a paper's document text is described by
 * a quote (exact text plus 32 characters of context either side) and a position; anchoring finds
 * it again in a document text that may have changed a little (a re-extraction by another pdf.js
 * version, another reading order) and gives up — an orphan — rather than guess.
 *
 * Pure: no DOM, no pdf.js. Offsets count UTF-16 code units of the document text.
 */
import search from 'approx-string-match';
import { pageAt, type DocumentText } from '$lib/papers/page-text';
import {
	normalizeQuote,
	normalizeText,
	normalizedOffset,
	originalRange,
	sourceEnd
} from './normalize';
import type { NormalizedQuote, NormalizedText } from './normalize';
import type { Anchor, AnnotationTarget, TextQuoteSelector } from './types';

export type TextTarget = Extract<AnnotationTarget, { kind: 'text' }>;

/** Characters of context kept before and after a quote. */
export const CONTEXT_LENGTH = 32;

/** Describes the range [start, end) of the document text as an annotation target. */
export function describeText(doc: DocumentText, start: number, end: number): TextTarget {
	const { text, pageStarts } = doc;
	if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length) {
		throw new RangeError(`Range ${start}-${end} is outside the document text`);
	}
	if (end <= start) throw new RangeError(`Range ${start}-${end} is empty`);
	let prefix = text.slice(Math.max(0, start - CONTEXT_LENGTH), start);
	let suffix = text.slice(end, end + CONTEXT_LENGTH);
	// Never keep half of a surrogate pair at the outer edge of the context.
	if (isLowSurrogate(prefix.charCodeAt(0))) prefix = prefix.slice(1);
	if (isHighSurrogate(suffix.charCodeAt(suffix.length - 1))) suffix = suffix.slice(0, -1);
	const page = pageAt(pageStarts, start);
	// The page of the last character, or the page before when that is a page separator.
	let endPage = pageAt(pageStarts, end - 1);
	if (endPage > 1 && end - 1 < pageStarts[endPage - 1]) endPage--;
	return {
		kind: 'text',
		page,
		endPage: Math.max(page, endPage),
		quote: { type: 'TextQuoteSelector', exact: text.slice(start, end), prefix, suffix },
		position: { type: 'TextPositionSelector', start, end }
	};
}

/**
 * Finds a text target in the document text: at its recorded position when the quote is still
 * there, else the best-scoring occurrence of the quote (exact after folding, then approximate),
 * else null (an orphan).
 */
export function anchorText(doc: DocumentText, target: TextTarget): Anchor | null {
	return anchorNear(doc, target, 0);
}

/**
 * Anchors each target; the result has the same order (null for orphans). Targets are anchored
 * in document order, and where the ones before were found (text moved by so much) is where the
 * next ones are looked for first.
 */
export function anchorAll(doc: DocumentText, targets: readonly TextTarget[]): (Anchor | null)[] {
	const order = targets
		.map((target, i) => ({
			i,
			start: Number.isFinite(target.position.start) ? target.position.start : Infinity
		}))
		.sort((a, b) => a.start - b.start || a.i - b.i);
	const anchors: (Anchor | null)[] = new Array(targets.length).fill(null);
	let drift = 0;
	for (const { i } of order) {
		const anchor = anchorNear(doc, targets[i], drift);
		anchors[i] = anchor;
		if (anchor && Number.isFinite(targets[i].position.start)) {
			drift = anchor.start - targets[i].position.start;
		}
	}
	return anchors;
}

/** anchorText, also looking first where the recorded position moved by `drift` points. */
function anchorNear(doc: DocumentText, target: TextTarget, drift: number): Anchor | null {
	const { text } = doc;
	const { exact, prefix, suffix } = target.quote;
	if (!exact) return null;
	const { start, end } = target.position;
	// 1. Still at its position (or where the targets before it moved to): taken, unless the
	// quote is short and neither its prefix nor its suffix is still beside it (then it is a
	// coincidence as likely as not; search instead).
	if (Number.isInteger(start) && end - start === exact.length) {
		for (const at of drift === 0 ? [start] : [start, start + drift]) {
			if (isAt(text, target.quote, at)) return { start: at, end: at + exact.length, exact: true };
		}
	}

	const norm = foldedDocument(doc);
	// Only the context next to the quote counts (and a huge one would make scoring slow).
	const folded = normalizeQuote(
		prefix.slice(-CONTEXT_LENGTH),
		exact,
		suffix.slice(0, CONTEXT_LENGTH)
	);
	folded.prefix = folded.prefix.slice(-MAX_CONTEXT);
	folded.suffix = folded.suffix.slice(0, MAX_CONTEXT);
	const { hint, near } = whereToLook(doc, norm, target, drift);
	if (!folded.exact) return anchorGap(text, norm, folded, exact, hint, near);
	const found = new QuoteSearch(
		norm.text,
		folded.exact,
		folded.prefix,
		folded.suffix,
		hint,
		near
	).run();
	if (!found) return null;

	const range = originalRange(norm, text, found.start, found.end, folded.lead, folded.trail);
	return { ...range, exact: text.slice(range.start, range.end) === exact };
}

/** Whether the quote is at `at` in the text, with its prefix or suffix, or long enough alone. */
function isAt(text: string, quote: TextQuoteSelector, at: number): boolean {
	const { exact, prefix, suffix } = quote;
	return (
		at >= 0 &&
		text.startsWith(exact, at) &&
		(exact.length >= POSITION_TRUST_LENGTH ||
			(at >= prefix.length && text.startsWith(prefix, at - prefix.length)) ||
			text.startsWith(suffix, at + exact.length))
	);
}

/**
 * Where to look first, in folded offsets: around the recorded position (and around it moved by
 * `drift`), and on the recorded pages and their neighbours (a re-extraction keeps the pages
 * while offsets drift). The hint, for closeness, is the recorded position moved by `drift`, or
 * moved onto the recorded pages if it left them.
 */
function whereToLook(
	doc: DocumentText,
	norm: NormalizedText,
	target: TextTarget,
	drift: number
): { hint: number; near: [number, number][] } {
	const { text, pageStarts } = doc;
	const { page, endPage, position } = target;
	const clamp = (offset: number, from = 0, to = text.length) =>
		Math.min(Math.max(offset, from), to);
	const recorded = Number.isFinite(position.start) ? clamp(position.start) : 0;
	const windows: [number, number][] = [];
	let hint = recorded;
	if (drift !== 0) hint = clamp(recorded + drift);
	if (Number.isInteger(page) && Number.isInteger(endPage) && 1 <= page && page <= endPage) {
		if (page <= pageStarts.length) {
			const lastPage = Math.min(endPage, pageStarts.length);
			const pageEnd = lastPage < pageStarts.length ? pageStarts[lastPage] : text.length;
			if (drift === 0) hint = clamp(recorded, pageStarts[page - 1], pageEnd);
			const from = normalizedOffset(norm, pageStarts[Math.max(0, page - 2)]);
			const to = normalizedOffset(
				norm,
				lastPage + 1 < pageStarts.length ? pageStarts[lastPage + 1] : text.length
			);
			if (to - from <= MAX_PAGE_WINDOW) windows.push([from, to]);
		}
	}
	for (const offset of drift === 0 ? [recorded] : [recorded, hint]) {
		const at = normalizedOffset(norm, offset);
		windows.push([Math.max(0, at - NEAR), Math.min(norm.text.length, at + NEAR)]);
	}
	windows.sort((a, b) => a[0] - b[0]);
	const near: [number, number][] = [];
	for (const w of windows) {
		const last = near[near.length - 1];
		if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
		else near.push([w[0], w[1]]);
	}
	return { hint: normalizedOffset(norm, hint), near };
}

/**
 * Anchors a quote that folds to nothing (whitespace, say) in the same gap between the same
 * folded neighbours: the end of its prefix and the start of its suffix, found together exactly.
 */
function anchorGap(
	text: string,
	norm: NormalizedText,
	folded: NormalizedQuote,
	exact: string,
	hint: number,
	near: [number, number][]
): Anchor | null {
	const before = folded.prefix.slice(-GAP_CONTEXT);
	const after = folded.suffix.slice(0, GAP_CONTEXT);
	if (!before || !after || before.length + after.length < GAP_CONTEXT) return null;
	const found = new QuoteSearch(norm.text, before + after, '', '', hint, near).run();
	if (!found || found.errors > 0) return null;
	const gap = found.start + before.length;
	const start = sourceEnd(norm, text, gap - 1);
	const end = norm.toOriginal[gap];
	if (end <= start) return null;
	return { start, end, exact: text.slice(start, end) === exact };
}

// ---------------------------------------------------------------------------------------------

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

interface Folded {
	text: string;
	norm: NormalizedText;
}

/** The folded copy of a document's text, by document, and of the last two texts seen. */
const foldedByDocument = new WeakMap<DocumentText, Folded>();
const foldedCache: Folded[] = [];

function foldedDocument(doc: DocumentText): NormalizedText {
	const { text } = doc;
	let folded = foldedByDocument.get(doc);
	if (folded?.text === text) return folded.norm;
	folded = foldedCache.find((entry) => entry.text === text);
	if (!folded) {
		folded = { text, norm: normalizeText(text) };
		foldedCache.unshift(folded);
		if (foldedCache.length > 2) foldedCache.pop();
	}
	foldedByDocument.set(doc, folded);
	return folded.norm;
}

/** Folded characters on each side of a gap that locate a quote made only of whitespace. */
const GAP_CONTEXT = 16;
/** A quote this long found at its recorded position is taken without looking at its context. */
const POSITION_TRUST_LENGTH = 32;
/** Folded characters of context compared, at most (folding may expand a character). */
const MAX_CONTEXT = 2 * CONTEXT_LENGTH;
/** Folded quotes shorter than this are only found exactly (after folding). */
const MIN_FUZZY_LENGTH = 16;
/** Folded quotes longer than this are only found exactly (after folding). */
const MAX_FUZZY_LENGTH = 10_000;
/** Folded quotes shorter than this are only looked for approximately near the old position. */
const MIN_FUZZY_EVERYWHERE_LENGTH = 32;
/** A folded quote this long that occurs exactly once is taken without supporting context. */
const DISTINCTIVE_LENGTH = 32;
/** An approximate match of a folded quote this long is taken without supporting context. */
const DISTINCTIVE_FUZZY_LENGTH = 64;
/** Similarity of prefix or suffix (either one) that supports a match. */
const SUPPORTING_SIDE = 0.8;
/** Mean similarity of prefix and suffix that supports a match. */
const SUPPORTING_CONTEXT = 0.6;
/** Mean similarity of prefix and suffix that supports a match of a short quote. */
const SHORT_QUOTE_CONTEXT = 0.7;
/** Context similarity at which an exact match near the old position is taken at once. */
const CONFIRMING_CONTEXT = 0.9;
/** How far (folded characters) around the old position to look first. */
const NEAR = 4096;
/** The recorded pages are looked at first only when no longer than this (folded characters). */
const MAX_PAGE_WINDOW = 65_536;
/** Characters of context looked for together with a short quote. */
const KEY_CONTEXT = 6;
/** At most this many exact occurrences are scored in full. */
const MAX_SCORED = 100;
/** Length of the pieces the quote is cut into to filter places for the search anywhere. */
const FILTER_PIECE = 8;
/** At most this many errors are allowed for a match far from the old position. */
const MAX_FAR_ERRORS = 8;
/** Beyond this many filter hits, the fuzzy search scans the whole text instead. */
const MAX_FILTER_HITS = 50_000;

/** The number of errors allowed for a folded quote of `length` characters. */
function maxErrors(length: number): number {
	return Math.min(256, Math.floor(length / 8));
}

/** Whether the text around a match agrees enough with the recorded prefix and suffix. */
function supported(c: Candidate, quoteLength: number): boolean {
	if (c.context === null) return true;
	if (quoteLength < MIN_FUZZY_LENGTH) {
		// A short quote is common: both sides of its context must agree.
		return c.context >= SHORT_QUOTE_CONTEXT && Math.min(c.prefix ?? 1, c.suffix ?? 1) >= 0.5;
	}
	return (
		c.context >= SUPPORTING_CONTEXT || Math.max(c.prefix ?? 0, c.suffix ?? 0) >= SUPPORTING_SIDE
	);
}

interface Candidate {
	start: number;
	end: number;
	errors: number;
	/** Similarity of the recorded prefix with the text before the match; null when none was. */
	prefix: number | null;
	/** Similarity of the recorded suffix with the text after the match; null when none was. */
	suffix: number | null;
	/** Mean similarity of the prefix and suffix that were recorded; null when neither was. */
	context: number | null;
	score: number;
}

/** Searches a folded quote in the folded document text. */
class QuoteSearch {
	private readonly scored = new Map<string, Candidate>();

	/**
	 * @param hint where the quote was (folded offset), for closeness
	 * @param near folded ranges to look in first, in order and apart
	 */
	constructor(
		private readonly text: string,
		private readonly quote: string,
		private readonly prefix: string,
		private readonly suffix: string,
		private readonly hint: number,
		private readonly near: [number, number][]
	) {}

	run(): Candidate | null {
		const { quote } = this;
		const m = quote.length;

		// 1. The quote, exactly, near where it was, with its context: done.
		const confirmed: Candidate[] = [];
		for (const start of this.nearStarts()) {
			const c = this.score(start, start + m, 0);
			if (c.context === null || c.context < CONFIRMING_CONTEXT) continue;
			confirmed.push(c);
			if (c.context === 1) break;
		}
		if (confirmed.length > 0) return this.best(confirmed);

		// 2. Every exact occurrence, scored by context and position. Without context that
		// supports it, only a long quote that occurs once is taken.
		const occurrences = this.exactCandidates();
		const unique = occurrences.length === 1;
		const exact = this.best(
			occurrences.filter((c) => supported(c, m) || (unique && m >= DISTINCTIVE_LENGTH))
		);
		if (exact && supported(exact, m)) return exact;
		if (m < MIN_FUZZY_LENGTH || m > MAX_FUZZY_LENGTH) return exact;

		// 3. Approximate matches, near the old position first, then anywhere (long quotes only:
		// short ones are too common to look for everywhere).
		const k = maxErrors(m);
		const accept = (c: Candidate) =>
			c.errors <= k && (supported(c, m) || m >= DISTINCTIVE_FUZZY_LENGTH);
		const nearby = this.best(
			this.near
				.flatMap(([from, to]) => this.approximate(from, Math.min(this.text.length, to + m), k))
				.filter((c) => accept(c) && supported(c, m))
		);
		if (nearby) return this.best([nearby, ...(exact ? [exact] : [])]);
		if (m < MIN_FUZZY_EVERYWHERE_LENGTH) return exact;
		const anywhere = this.best(this.approximateEverywhere(k).filter(accept));
		return this.best([...(anywhere ? [anywhere] : []), ...(exact ? [exact] : [])]);
	}

	/** Exact occurrences in the near ranges, nearest to the hint first, at most MAX_SCORED. */
	private nearStarts(): number[] {
		const { text, quote, near, hint } = this;
		const m = quote.length;
		const found: number[] = [];
		for (const [from, to] of near) {
			const window = text.slice(from, Math.min(text.length, to + m));
			for (let i = window.indexOf(quote); i !== -1; i = window.indexOf(quote, i + 1)) {
				found.push(from + i);
			}
		}
		found.sort((a, b) => Math.abs(a - hint) - Math.abs(b - hint));
		return found.length > MAX_SCORED ? found.slice(0, MAX_SCORED) : found;
	}

	private best(candidates: Candidate[]): Candidate | null {
		let best: Candidate | null = null;
		for (const c of candidates) {
			if (!best || c.score > best.score) best = c;
		}
		return best;
	}

	/** Scores a match: quote similarity first, then prefix and suffix, then closeness. */
	private score(start: number, end: number, errors: number): Candidate {
		const key = `${start}:${end}`;
		const known = this.scored.get(key);
		if (known && known.errors <= errors) return known;
		const { text, quote, prefix, suffix, hint } = this;
		const prefixScore = prefix ? contextSimilarity(prefix, text, start, -1) : null;
		const suffixScore = suffix ? contextSimilarity(suffix, text, end, 1) : null;
		const context =
			prefixScore === null
				? suffixScore
				: suffixScore === null
					? prefixScore
					: (prefixScore + suffixScore) / 2;
		const quoteScore = 1 - errors / quote.length;
		const positionScore = 1 - Math.min(1, Math.abs(start - hint) / Math.max(1, text.length));
		const score =
			(50 * quoteScore +
				20 * (prefixScore ?? 0.5) +
				20 * (suffixScore ?? 0.5) +
				2 * positionScore) /
			92;
		const candidate = {
			start,
			end,
			errors,
			prefix: prefixScore,
			suffix: suffixScore,
			context,
			score
		};
		this.scored.set(key, candidate);
		return candidate;
	}

	/**
	 * Exact occurrences anywhere. A short quote, which is only taken with its context, is looked
	 * for together with a few characters of its prefix or of its suffix (and near its position).
	 */
	private exactCandidates(): Candidate[] {
		const { text, quote, prefix, suffix, hint } = this;
		const m = quote.length;
		let starts: number[] = [];
		if (m < MIN_FUZZY_LENGTH && (prefix || suffix)) {
			const head = prefix.slice(-KEY_CONTEXT);
			const tail = suffix.slice(0, KEY_CONTEXT);
			const found = new Set(this.nearStarts());
			if (head) for (const i of indexesOf(text, head + quote)) found.add(i + head.length);
			if (tail) for (const i of indexesOf(text, quote + tail)) found.add(i);
			starts = [...found].sort((a, b) => a - b);
		} else {
			starts = indexesOf(text, quote);
		}
		if (starts.length <= MAX_SCORED) return starts.map((s) => this.score(s, s + m, 0));

		// Too many to score in full: keep those whose context matches longest at its inner edge,
		// and those nearest the old position.
		const keep = new Set<number>();
		const quick = starts.map((s) => ({
			s,
			q: commonLength(prefix, text, s, -1) + commonLength(suffix, text, s + m, 1)
		}));
		quick.sort((a, b) => b.q - a.q);
		for (let i = 0; i < MAX_SCORED / 2; i++) keep.add(quick[i].s);
		let right = lowerBound(starts, hint);
		let left = right - 1;
		for (let n = 0; n < MAX_SCORED / 2; n++) {
			const useLeft =
				left >= 0 && (right >= starts.length || hint - starts[left] <= starts[right] - hint);
			if (useLeft) keep.add(starts[left--]);
			else if (right < starts.length) keep.add(starts[right++]);
			else break;
		}
		return [...keep].map((s) => this.score(s, s + m, 0));
	}

	/** Best approximate matches in text[from, to), scanned in overlapping chunks. */
	private approximate(from: number, to: number, k: number): Candidate[] {
		const { text, quote } = this;
		const reach = quote.length + k;
		const chunk = Math.max(2048, 4 * reach);
		const found: Candidate[] = [];
		for (let a = from; a < to; a += chunk - reach) {
			const b = Math.min(to, a + chunk);
			for (const match of search(text.slice(a, b), quote, k)) {
				found.push(this.score(a + match.start, a + match.end, match.errors));
			}
			if (b === to) break;
		}
		return found;
	}

	/**
	 * Approximate matches anywhere, found by filtering first: cut the quote into pieces of
	 * FILTER_PIECE characters; a match with at most e errors keeps at least s - e of any s pieces
	 * intact, each within e characters of the diagonal where the match starts. Looking up
	 * e + 2 pieces, only places where two different ones occur on nearby diagonals need the full
	 * search. Far from the old position fewer errors are allowed (at most pieces - 2, and
	 * MAX_FAR_ERRORS), which keeps this to a few scans of the text.
	 */
	private approximateEverywhere(allowed: number): Candidate[] {
		const { text, quote } = this;
		const m = quote.length;
		const pieces = Math.floor(m / FILTER_PIECE);
		const k = Math.min(allowed, pieces - 2, MAX_FAR_ERRORS);
		if (k < 1) return [];
		const scanned = k + 2;
		const diagonals: number[] = [];
		const pieceOf: number[] = [];
		for (let s = 0; s < scanned; s++) {
			const j = Math.round((s * (pieces - 1)) / (scanned - 1));
			const offset = j * FILTER_PIECE;
			const piece = quote.slice(offset, j === pieces - 1 ? m : offset + FILTER_PIECE);
			for (let p = text.indexOf(piece); p !== -1; p = text.indexOf(piece, p + 1)) {
				diagonals.push(p - offset);
				pieceOf.push(j);
				if (diagonals.length > MAX_FILTER_HITS) return this.approximate(0, text.length, k);
			}
		}
		const order = diagonals.map((_, i) => i).sort((a, b) => diagonals[a] - diagonals[b]);
		const windows: [number, number][] = [];
		for (let x = 0; x < order.length; x++) {
			const d = diagonals[order[x]];
			for (let y = x + 1; y < order.length && diagonals[order[y]] - d <= 2 * k; y++) {
				if (pieceOf[order[y]] === pieceOf[order[x]]) continue;
				windows.push([Math.max(0, d - k), Math.min(text.length, diagonals[order[y]] + m + 2 * k)]);
				break;
			}
		}
		const found: Candidate[] = [];
		let current: [number, number] | null = null;
		for (const w of windows) {
			if (current && w[0] <= current[1]) {
				current[1] = Math.max(current[1], w[1]);
				continue;
			}
			if (current) found.push(...this.approximate(current[0], current[1], k));
			current = [w[0], w[1]];
		}
		if (current) found.push(...this.approximate(current[0], current[1], k));
		return found;
	}
}

function indexesOf(text: string, value: string): number[] {
	const found: number[] = [];
	for (let i = text.indexOf(value); i !== -1; i = text.indexOf(value, i + 1)) found.push(i);
	return found;
}

function lowerBound(sorted: readonly number[], value: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid] < value) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * How many characters of `context` match the text going outwards from `at`: backwards from
 * the end of a prefix (direction -1) or forwards from the start of a suffix (direction 1).
 */
function commonLength(context: string, text: string, at: number, direction: 1 | -1): number {
	let n = 0;
	while (n < context.length) {
		const c = direction === 1 ? context.charCodeAt(n) : context.charCodeAt(context.length - 1 - n);
		const t = direction === 1 ? text.charCodeAt(at + n) : text.charCodeAt(at - 1 - n);
		if (c !== t) break;
		n++;
	}
	return n;
}

let rowA = new Int32Array(128);
let rowB = new Int32Array(128);

/**
 * Similarity (0..1) of a recorded context with the text next to a match: 1 - edit distance /
 * context length, where the context is aligned from the match's edge outwards and may end
 * anywhere within a little more than its length.
 */
function contextSimilarity(context: string, text: string, at: number, direction: 1 | -1): number {
	const p = context.length;
	const w =
		direction === 1 ? Math.min(text.length - at, p + (p >> 2) + 2) : Math.min(at, p + (p >> 2) + 2);
	if (rowA.length < w + 1) {
		rowA = new Int32Array(w + 1);
		rowB = new Int32Array(w + 1);
	}
	let prev = rowA;
	let cur = rowB;
	for (let j = 0; j <= w; j++) prev[j] = j;
	for (let i = 1; i <= p; i++) {
		const c = direction === 1 ? context.charCodeAt(i - 1) : context.charCodeAt(p - i);
		cur[0] = i;
		for (let j = 1; j <= w; j++) {
			const t = direction === 1 ? text.charCodeAt(at + j - 1) : text.charCodeAt(at - j);
			const substitute = prev[j - 1] + (c === t ? 0 : 1);
			const remove = prev[j] + 1;
			const insert = cur[j - 1] + 1;
			cur[j] =
				substitute < remove
					? substitute < insert
						? substitute
						: insert
					: remove < insert
						? remove
						: insert;
		}
		const swap = prev;
		prev = cur;
		cur = swap;
	}
	let distance = prev[0];
	for (let j = 1; j <= w; j++) if (prev[j] < distance) distance = prev[j];
	return Math.max(0, 1 - distance / p);
}
