/**
 * Line-level reading of deck Markdown shared by the dialect's parser, validator and
 * citation finder: lines with their exact endings, fenced code, separators, notes.
 */

/** One line of a source: its text without the line ending, and that ending. */
export interface SourceLine {
	text: string;
	/** `''` only for the last line, which has no ending. */
	eol: '' | '\n' | '\r\n';
}

/**
 * The lines of a source, so that joining `text + eol` gives the source back. A source
 * ending in a newline has a last, empty line, as in an editor. A lone `\r` is not a line
 * break (reveal.js splits on `\r?\n` only).
 */
export function splitLines(source: string): SourceLine[] {
	const parts = source.split('\n');
	return parts.map((part, i): SourceLine => {
		if (i === parts.length - 1) return { text: part, eol: '' };
		return part.endsWith('\r')
			? { text: part.slice(0, -1), eol: '\r\n' }
			: { text: part, eol: '\n' };
	});
}

export function joinLines(lines: readonly SourceLine[]): string {
	let text = '';
	for (const line of lines) text += line.text + line.eol;
	return text;
}

/** A fenced code block: the lines of its opening and closing fence. */
export interface Fence {
	open: number;
	/** `null` when nothing closes it: it then ends where its slide ends. */
	close: number | null;
	/** The fence characters, e.g. "```" or "~~~~". */
	marker: string;
	/** The info string after the opening fence, trimmed ("js [1-2|3]"). */
	info: string;
}

// CommonMark: up to three spaces of indent, three or more backticks or tildes; a
// backtick fence's info string cannot contain a backtick.
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** What a line can do as a fence line. */
interface FenceShape {
	marker: string;
	info: string;
	canOpen: boolean;
	/** Only spaces or tabs after the marker. */
	canClose: boolean;
}

function fenceShape(text: string): FenceShape | null {
	const match = FENCE_LINE.exec(text);
	if (!match) return null;
	const [, marker, rest] = match;
	return {
		marker,
		info: rest.trim(),
		canOpen: marker[0] !== '`' || !rest.includes('`'),
		canClose: /^[ \t]*$/.test(rest)
	};
}

/** `---` (horizontal) or `--` (vertical) alone on a line, nothing else, not even spaces. */
export function separatorKind(text: string): 'horizontal' | 'vertical' | null {
	if (text === '---') return 'horizontal';
	if (text === '--') return 'vertical';
	return null;
}

/** What reveal.js's notes separator (`^\s*notes?:`, case-insensitive) matches. */
export const NOTES_MARKER = /^\s*notes?:/i;

export interface CodeMap {
	fences: Fence[];
	/** True for each line that is a fence line or inside a fence. */
	inCode: boolean[];
}

/**
 * Fenced code in `lines[from..]`. Fences pair up as in CommonMark, so a `---` between a
 * fence and its closing fence is code, not a slide separator. A fence that nothing closes
 * runs to the next separator line only (where reveal.js would end the slide): while a
 * person is typing a new fence, the slides after it keep their shape.
 */
export function mapCode(lines: readonly SourceLine[], from = 0): CodeMap {
	const fences: Fence[] = [];
	const inCode = new Array<boolean>(lines.length).fill(false);
	const shapes = lines.map((line, i) => (i < from ? null : fenceShape(line.text)));
	// Fence lines by character, and separator lines, so that finding where a fence ends
	// looks at fence lines only: no quadratic scan, whatever the deck.
	const fenceLines: Record<string, number[]> = { '`': [], '~': [] };
	const separators: number[] = [];
	shapes.forEach((shape, i) => {
		if (shape) fenceLines[shape.marker[0]].push(i);
		if (separatorKind(lines[i].text) && lines[i].eol) separators.push(i);
	});
	const firstAfter = (sorted: number[], line: number) => {
		let low = 0;
		let high = sorted.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (sorted[middle] <= line) low = middle + 1;
			else high = middle;
		}
		return low;
	};

	let i = from;
	while (i < lines.length) {
		const opening = shapes[i];
		if (!opening?.canOpen) {
			i++;
			continue;
		}
		const { marker, info } = opening;
		const same = fenceLines[marker[0]];
		const nextSeparator = separators[firstAfter(separators, i)] ?? lines.length;
		let close: number | null = null;
		for (let k = firstAfter(same, i); k < same.length; k++) {
			const shape = shapes[same[k]] as FenceShape;
			if (shape.marker.length < marker.length) continue;
			if (shape.canClose) {
				close = same[k];
				break;
			}
			// After a separator line, a fence of the same kind with a language means this one
			// was left open: nested in it, that fence's closing line would end this one.
			// Without this, typing a fence would swallow the slides up to the next code block.
			if (shape.info && same[k] > nextSeparator) break;
		}
		if (close !== null) {
			fences.push({ open: i, close, marker, info });
			inCode.fill(true, i, close + 1);
			i = close + 1;
		} else {
			fences.push({ open: i, close: null, marker, info });
			inCode.fill(true, i, nextSeparator);
			i = nextSeparator;
		}
	}
	return { fences, inCode };
}

/**
 * For one line: whether an offset is inside an inline code span, judged by the number of
 * backticks before it; good enough to skip `<!-- .slide: -->` written as an example in
 * prose. Counts once per line, so many matches on a long line stay cheap.
 */
export function codeSpans(text: string): (index: number) => boolean {
	const ticks: number[] = [];
	for (let i = text.indexOf('`'); i >= 0; i = text.indexOf('`', i + 1)) ticks.push(i);
	return (index) => {
		let low = 0;
		let high = ticks.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (ticks[middle] < index) low = middle + 1;
			else high = middle;
		}
		return low % 2 === 1;
	};
}

/** Trims blank lines (only whitespace) at both ends, keeping indentation of the rest. */
export function trimBlankLines(lines: string[]): string[] {
	let start = 0;
	let end = lines.length;
	while (start < end && lines[start].trim() === '') start++;
	while (end > start && lines[end - 1].trim() === '') end--;
	return lines.slice(start, end);
}

/** Removes backslash escapes of ASCII punctuation, as Markdown reads them. */
export function unescapeMarkdown(text: string): string {
	return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
