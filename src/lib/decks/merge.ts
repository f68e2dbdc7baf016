/**
 * Three-way merge of deck Markdown, and the line diff that the revision history shows.
 *
 * Pure and shared by server and browser. Lines are aligned by the `diff` package
 * (jsdiff: Myers' O(ND) algorithm, with a cap on the edit length so that a huge rewrite
 * costs a bounded time); the three-way merge over those alignments is the classic diff3
 * one (as in GNU diff3 and git): each side's changes against the base are hunks, hunks
 * of the two sides that overlap or touch form one region, and a region is a conflict
 * when both sides changed it differently. On top of that this module gives what a deck
 * editor needs: line ends normalised, the final newline merged on its own, lines both
 * sides added alike moved out of conflicts, and conflicts kept as data so a person can
 * pick a side or edit — nothing either side wrote is dropped.
 *
 * Texts are compared line by line after turning CRLF and lone CR into LF, so a revision
 * saved from a textarea (which submits CRLF) does not look different on every line.
 * Every string this module returns uses LF.
 */
import { diffArrays } from 'diff';

/** One overlapping change that the two sides made differently. */
export interface MergeConflict {
	/**
	 * Each side's lines as text, every line ending in `\n` — so `''` is "no lines"
	 * (that side deleted the passage) and `'\n'` is one empty line.
	 */
	mine: string;
	theirs: string;
	base: string;
	/** 1-based line of `merged` where this conflict's `<<<<<<<` marker stands. */
	line: number;
}

export type MergeResult =
	{ clean: true; merged: string } | { clean: false; merged: string; conflicts: MergeConflict[] };

/** How a person settles one conflict. `'both'` keeps mine, then theirs. */
export type ConflictChoice = 'mine' | 'theirs' | 'both' | { custom: string };

export interface MergeOptions {
	/** Words after the conflict markers, e.g. the presenters' names. Default mine/base/theirs. */
	labels?: { mine?: string; base?: string; theirs?: string };
}

export interface DiffLine {
	kind: 'same' | 'added' | 'removed';
	text: string;
}

/** A conflict list that does not fit the merged text it is applied to. */
export class MergeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MergeError';
	}
}

const MARK = { start: '<<<<<<<', base: '|||||||', sep: '=======', end: '>>>>>>>' } as const;

/** CRLF and lone CR become LF. */
export function normalizeEol(text: string): string {
	return text.replace(/\r\n?/g, '\n');
}

interface Lines {
	lines: string[];
	/** Whether the text ends with a newline; null for the empty text, which has no last line. */
	finalNewline: boolean | null;
}

function toLines(text: string): Lines {
	const t = normalizeEol(text);
	if (t === '') return { lines: [], finalNewline: null };
	const finalNewline = t.endsWith('\n');
	return { lines: (finalNewline ? t.slice(0, -1) : t).split('\n'), finalNewline };
}

function fromLines(lines: readonly string[], finalNewline: boolean): string {
	return lines.length === 0 ? '' : lines.join('\n') + (finalNewline ? '\n' : '');
}

/** Lines as a conflict side: every line ends in `\n`, so no lines and one blank line differ. */
const sideText = (lines: readonly string[]) => lines.map((l) => l + '\n').join('');

/** Whether the merged text ends with a newline: a three-way merge of one yes/no, which never conflicts. */
function mergeFinalNewline(base: Lines, mine: Lines, theirs: Lines): boolean {
	const b = base.finalNewline;
	const m = mine.finalNewline;
	const t = theirs.finalNewline;
	if (m === null) return t ?? b ?? true;
	if (t === null) return m;
	if (m === t) return m;
	return m === b ? t : m;
}

const sameLines = (a: readonly string[], b: readonly string[]) =>
	a.length === b.length && a.every((line, i) => line === b[i]);

/** `target.push(...items)` without the engine's limit on arguments, for very long texts. */
function append(target: string[], ...parts: ReadonlyArray<readonly string[]>): void {
	for (const part of parts) for (const item of part) target.push(item);
}

/** Lines `start..end` of the old text, which the new text has as `lines` instead. */
interface Hunk {
	start: number;
	end: number;
	lines: string[];
}

/**
 * Past this many inserted plus deleted lines two texts count as rewritten wholesale: one
 * hunk instead of a fine alignment, which keeps the worst case near a tenth of a second.
 */
const MAX_EDIT_LENGTH = 1000;

/** Where `to` differs from `from`, as hunks in order. */
function diffHunks(from: readonly string[], to: readonly string[]): Hunk[] {
	// The shared head and tail need no search; decks usually change in a few places.
	let head = 0;
	while (head < from.length && head < to.length && from[head] === to[head]) head++;
	let tail = 0;
	while (
		tail < from.length - head &&
		tail < to.length - head &&
		from[from.length - 1 - tail] === to[to.length - 1 - tail]
	)
		tail++;
	const x = from.slice(head, from.length - tail);
	const y = to.slice(head, to.length - tail);
	if (x.length === 0 && y.length === 0) return [];
	const whole = [{ start: head, end: head + x.length, lines: y }];
	if (x.length === 0 || y.length === 0) return whole;

	const changes = diffArrays(x, y, { maxEditLength: MAX_EDIT_LENGTH });
	if (!changes) return whole;
	const hunks: Hunk[] = [];
	let at = head;
	let current: Hunk | null = null;
	for (const change of changes) {
		if (!change.added && !change.removed) {
			at += change.value.length;
			current = null;
			continue;
		}
		if (!current) {
			current = { start: at, end: at, lines: [] };
			hunks.push(current);
		}
		if (change.removed) {
			at += change.value.length;
			current.end = at;
		} else {
			append(current.lines, change.value);
		}
	}
	return hunks;
}

type Region =
	| { stable: true; lines: string[] }
	| { stable: false; mine: string[]; base: string[]; theirs: string[] };

/**
 * diff3: the base cut into stretches that neither side changed, that one side changed
 * (taken from that side) and that both changed (all three versions, for the caller to
 * compare). Hunks of the two sides that overlap or touch make one region, as in git.
 */
function diff3(mine: readonly string[], base: readonly string[], theirs: readonly string[]) {
	type SideHunk = Hunk & { side: 'mine' | 'theirs' };
	const hunks: SideHunk[] = [
		...diffHunks(base, mine).map((h) => ({ ...h, side: 'mine' as const })),
		...diffHunks(base, theirs).map((h) => ({ ...h, side: 'theirs' as const }))
	].sort((p, q) => p.start - q.start);

	/** One side's text of base lines `start..end`, given its hunks there. */
	const sideLines = (side: 'mine' | 'theirs', group: SideHunk[], start: number, end: number) => {
		const lines: string[] = [];
		let at = start;
		for (const hunk of group) {
			if (hunk.side !== side) continue;
			append(lines, base.slice(at, hunk.start), hunk.lines);
			at = hunk.end;
		}
		append(lines, base.slice(at, end));
		return lines;
	};

	const regions: Region[] = [];
	let at = 0;
	for (let k = 0; k < hunks.length;) {
		const start = hunks[k].start;
		let end = hunks[k].end;
		let j = k + 1;
		while (j < hunks.length && hunks[j].start <= end) end = Math.max(end, hunks[j++].end);
		const group = hunks.slice(k, j);

		if (start > at) regions.push({ stable: true, lines: base.slice(at, start) });
		const sides = new Set(group.map((h) => h.side));
		if (sides.size === 1) {
			regions.push({ stable: true, lines: sideLines(group[0].side, group, start, end) });
		} else {
			regions.push({
				stable: false,
				mine: sideLines('mine', group, start, end),
				base: base.slice(start, end),
				theirs: sideLines('theirs', group, start, end)
			});
		}
		at = end;
		k = j;
	}
	if (at < base.length) regions.push({ stable: true, lines: base.slice(at) });
	return regions;
}

function label(word: string | undefined, fallback: string): string {
	const text = (word ?? fallback).replace(/[\r\n]+/g, ' ').trim();
	return text === '' ? fallback : text;
}

/**
 * Merges two revisions made from the same `base`: changes that do not touch the same
 * lines are combined, the same change made on both sides is taken once, and where the
 * sides changed the same lines differently the merged text holds a conflict block
 *
 * ```
 * <<<<<<< mine
 * …mine…
 * ||||||| base
 * …base…
 * =======
 * …theirs…
 * >>>>>>> theirs
 * ```
 *
 * and `conflicts` describes it, for {@link resolveConflicts}. Changes on adjacent lines
 * count as overlapping (as in git). Lines both sides added alike at the edges of a
 * conflict are moved out of it.
 */
export function mergeDeck(
	base: string,
	mine: string,
	theirs: string,
	options: MergeOptions = {}
): MergeResult {
	const b = toLines(base);
	const m = toLines(mine);
	const t = toLines(theirs);
	const finalNewline = mergeFinalNewline(b, m, t);

	const labels = {
		mine: label(options.labels?.mine, 'mine'),
		base: label(options.labels?.base, 'base'),
		theirs: label(options.labels?.theirs, 'theirs')
	};

	const out: string[] = [];
	const conflicts: MergeConflict[] = [];

	for (const region of diff3(m.lines, b.lines, t.lines)) {
		if (region.stable) {
			append(out, region.lines);
			continue;
		}
		const { mine: a, base: o, theirs: th } = region;

		// Lines both sides have alike at the start and at the end of the region are merged.
		let prefix = 0;
		while (prefix < a.length && prefix < th.length && a[prefix] === th[prefix]) prefix++;
		let suffix = 0;
		while (
			suffix < a.length - prefix &&
			suffix < th.length - prefix &&
			a[a.length - 1 - suffix] === th[th.length - 1 - suffix]
		)
			suffix++;
		let basePrefix = 0;
		while (basePrefix < prefix && basePrefix < o.length && o[basePrefix] === a[basePrefix])
			basePrefix++;
		let baseSuffix = 0;
		while (
			baseSuffix < suffix &&
			baseSuffix < o.length - basePrefix &&
			o[o.length - 1 - baseSuffix] === a[a.length - 1 - baseSuffix]
		)
			baseSuffix++;

		const mineMid = a.slice(prefix, a.length - suffix);
		const theirsMid = th.slice(prefix, th.length - suffix);
		const baseMid = o.slice(basePrefix, o.length - baseSuffix);

		append(out, a.slice(0, prefix));
		if (sameLines(mineMid, theirsMid)) {
			// The same change on both sides (or what is left of it).
			append(out, mineMid);
		} else if (sameLines(mineMid, baseMid)) {
			// What is left of the region only theirs changed.
			append(out, theirsMid);
		} else if (sameLines(theirsMid, baseMid)) {
			append(out, mineMid);
		} else {
			conflicts.push({
				mine: sideText(mineMid),
				theirs: sideText(theirsMid),
				base: sideText(baseMid),
				line: out.length + 1
			});
			append(
				out,
				[`${MARK.start} ${labels.mine}`],
				mineMid,
				[`${MARK.base} ${labels.base}`],
				baseMid,
				[MARK.sep],
				theirsMid,
				[`${MARK.end} ${labels.theirs}`]
			);
		}
		append(out, a.slice(a.length - suffix));
	}

	const merged = fromLines(out, finalNewline);
	return conflicts.length === 0 ? { clean: true, merged } : { clean: false, merged, conflicts };
}

/** The lines of a conflict side written by {@link sideText}, or of a person's own text. */
function linesOf(text: string): string[] {
	return toLines(text).lines;
}

/**
 * The text once each conflict of `result` is settled by the choice at the same index:
 * `'mine'`, `'theirs'`, `'both'` (mine then theirs) or `{ custom }` (the person's own
 * lines; `''` removes the passage). Throws {@link MergeError} when the number of choices
 * differs from the number of conflicts, or when `result.merged` was changed so that a
 * conflict block is no longer where `result.conflicts` says.
 */
export function resolveConflicts(result: MergeResult, choices: readonly ConflictChoice[]): string {
	if (result.clean) {
		if (choices.length > 0) throw new MergeError('This merge has no conflicts to resolve.');
		return result.merged;
	}
	if (choices.length !== result.conflicts.length) {
		throw new MergeError(
			`Expected ${result.conflicts.length} choice(s), one per conflict, got ${choices.length}.`
		);
	}

	const { lines, finalNewline } = toLines(result.merged);
	const out: string[] = [];
	let at = 0;

	result.conflicts.forEach((conflict, i) => {
		const mine = linesOf(conflict.mine);
		const base = linesOf(conflict.base);
		const theirs = linesOf(conflict.theirs);
		const start = conflict.line - 1;
		const block = [MARK.start, ...mine, MARK.base, ...base, MARK.sep, ...theirs, MARK.end];
		const fits =
			Number.isInteger(start) &&
			start >= at &&
			start + block.length <= lines.length &&
			block.every((expected, k) => {
				const line = lines[start + k];
				const isMarker =
					k === 0 ||
					k === mine.length + 1 ||
					k === mine.length + base.length + 2 ||
					k === block.length - 1;
				return isMarker
					? expected === MARK.sep
						? line === MARK.sep
						: line === expected || line.startsWith(expected + ' ')
					: line === expected;
			});
		if (!fits) {
			throw new MergeError(
				`Conflict ${i + 1} is not at line ${conflict.line} of the merged text any more.`
			);
		}

		append(out, lines.slice(at, start));
		const choice = choices[i];
		if (choice === 'mine') append(out, mine);
		else if (choice === 'theirs') append(out, theirs);
		else if (choice === 'both') append(out, mine, theirs);
		else if (typeof choice === 'object' && choice !== null && typeof choice.custom === 'string')
			append(out, linesOf(choice.custom));
		else throw new MergeError(`Choice ${i + 1} is not mine, theirs, both or custom text.`);
		at = start + block.length;
	});
	append(out, lines.slice(at));

	return fromLines(out, finalNewline ?? true);
}

/**
 * Line-by-line differences from `a` to `b`, for showing two revisions side by side:
 * unchanged lines as `same`, and each changed passage as its `removed` lines followed by
 * its `added` lines. Line ends are normalised first; a difference only in the final
 * newline does not show.
 */
export function lineDiff(a: string, b: string): DiffLine[] {
	const x = toLines(a).lines;
	const y = toLines(b).lines;
	const result: DiffLine[] = [];
	let i = 0;
	for (const hunk of diffHunks(x, y)) {
		for (; i < hunk.start; i++) result.push({ kind: 'same', text: x[i] });
		for (; i < hunk.end; i++) result.push({ kind: 'removed', text: x[i] });
		for (const text of hunk.lines) result.push({ kind: 'added', text });
	}
	for (; i < x.length; i++) result.push({ kind: 'same', text: x[i] });
	return result;
}
