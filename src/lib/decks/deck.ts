/**
 * A deck's Markdown split into slides the way reveal.js's Markdown plugin splits it, and
 * put back together byte for byte.
 *
 * The dialect: `---` alone on a line starts a new horizontal slide, `--` a vertical one
 * below it (with or without blank lines around; reveal.js's default separator is
 * `\r?\n---\r?\n`). A line starting with `Note:` (or `notes:`, any case) starts the
 * speaker notes. `<!-- .slide: … -->` sets the slide's attributes. Unlike plain reveal.js,
 * separators and `Note:` inside fenced code are code. An optional YAML front matter
 * (reveal-md, Marp) is kept aside, not made a slide.
 */
import { parseAttributes } from './attributes';
import {
	NOTES_MARKER,
	codeSpans,
	joinLines,
	mapCode,
	separatorKind,
	splitLines,
	trimBlankLines,
	unescapeMarkdown,
	type SourceLine
} from './source';

export interface SlideIndex {
	/** Horizontal position: which stack. */
	h: number;
	/** Vertical position in the stack, 0 for the top slide. */
	v: number;
}

export interface Slide {
	index: SlideIndex;
	/** The content, without notes and `.slide` comments, blank lines trimmed, LF endings. */
	markdown: string;
	/** The speaker notes after `Note:`, trimmed, LF endings; `''` when none. */
	notes: string;
	/** From the slide's `<!-- .slide: -->` comments; attributes that fail the checks are left out. */
	attributes: Record<string, string>;
	/** 0-based lines of the source the slide spans; its separator line is `startLine - 1`. */
	startLine: number;
	endLine: number;
	/**
	 * The slide's exact text (without its separator line), and its separator line with
	 * its line ending (`''` for the first slide). serializeDeck writes them back unchanged
	 * when markdown, notes and attributes still say what they say; a slide made in code
	 * may leave them out.
	 */
	source?: string;
	separator?: string;
}

export interface Deck {
	/** Horizontal stacks of vertical slides; never empty. */
	slides: Slide[][];
	/** YAML front matter with its `---` lines, exactly as written; `''` when none. */
	frontMatter: string;
	/** The source's first line ending, used for the lines serializeDeck writes. */
	lineEnding: '\n' | '\r\n';
}

const YAML_LINE = /^(\s*|#.*|[\w.-]+\s*:.*|\s+\S.*|-(\s.*)?)$/;

/** How many lines a YAML front matter at the top takes (0 when there is none). */
function frontMatterLength(lines: SourceLine[]): number {
	if (lines[0].text !== '---' || !lines[0].eol) return 0;
	let hasKey = false;
	for (let i = 1; i < Math.min(lines.length, 200); i++) {
		const { text, eol } = lines[i];
		if ((text === '---' || text === '...') && eol) return hasKey ? i + 1 : 0;
		if (!YAML_LINE.test(text)) return 0;
		hasKey ||= /^[\w.-]+\s*:/.test(text);
	}
	return 0;
}

/** Markdown, notes and attributes of one slide's lines. */
function readSlide(lines: SourceLine[]): Pick<Slide, 'markdown' | 'notes' | 'attributes'> {
	const { inCode } = mapCode(lines);
	let notesAt = lines.findIndex((line, i) => !inCode[i] && NOTES_MARKER.test(line.text));
	if (notesAt < 0) notesAt = lines.length;
	const attributes: Record<string, string> = {};
	const body: string[] = [];
	for (let i = 0; i < notesAt; i++) {
		let text = lines[i].text;
		if (!inCode[i] && text.includes('.slide:')) {
			const inSpan = codeSpans(text);
			const kept = text.replace(
				/<!--\s*\.slide:((?:(?!<!--).)*?)-->/g,
				(comment: string, inner: string, at: number) => {
					if (inSpan(at)) return comment;
					const parsed = parseAttributes(inner);
					if (parsed.ok) Object.assign(attributes, parsed.attributes);
					return '';
				}
			);
			if (kept !== text && kept.trim() === '') continue;
			text = kept;
		}
		body.push(text);
	}
	const notes =
		notesAt < lines.length
			? [
					lines[notesAt].text.replace(NOTES_MARKER, ''),
					...lines.slice(notesAt + 1).map((l) => l.text)
				]
			: [];
	return {
		markdown: trimBlankLines(body).join('\n'),
		notes: notes.join('\n').trim(),
		attributes
	};
}

/**
 * Splits deck Markdown into slides. Never fails: any text is some deck.
 *
 * `previous`, the deck of an earlier version of the same source (left unchanged since),
 * makes a parse after an edit cheap: a slide whose text did not change is read from it,
 * and is the very same object when it also kept its place. The deck is the same either way.
 */
export function parseDeck(source: string, previous?: Deck): Deck {
	const lines = splitLines(source);
	const lineEnding = lines[0].eol || lines.find((line) => line.eol)?.eol || '\n';
	const first = frontMatterLength(lines);
	const { inCode } = mapCode(lines, first);
	const known = new Map(previous ? allSlides(previous).map((s) => [s.source, s]) : []);

	const slides: Slide[][] = [];
	let start = first;
	let separator = '';
	let kind: 'horizontal' | 'vertical' = 'horizontal';
	const finish = (end: number) => {
		const own = lines.slice(start, end + 1);
		if (kind === 'horizontal' || slides.length === 0) slides.push([]);
		const stack = slides[slides.length - 1];
		const text = joinLines(own);
		const index = { h: slides.length - 1, v: stack.length };
		const before = known.get(text);
		const kept =
			before &&
			before.startLine === start &&
			before.separator === separator &&
			before.index.h === index.h &&
			before.index.v === index.v;
		if (kept) {
			stack.push(before);
			return;
		}
		const { markdown, notes, attributes } = before ?? readSlide(own);
		stack.push({
			index,
			markdown,
			notes,
			attributes,
			startLine: start,
			endLine: end,
			source: text,
			separator
		});
	};
	for (let i = first + 1; i < lines.length; i++) {
		const found = separatorKind(lines[i].text);
		// reveal.js's separator regex takes the newline before and after the dashes, so
		// the line right after a separator cannot start another one.
		if (!found || !lines[i].eol || inCode[i] || i === start) continue;
		finish(i - 1);
		kind = found;
		separator = lines[i].text + lines[i].eol;
		start = i + 1;
	}
	finish(lines.length - 1);
	return { slides, frontMatter: joinLines(lines.slice(0, first)), lineEnding };
}

/** All slides in presentation order. */
export function allSlides(deck: Deck): Slide[] {
	return deck.slides.flat();
}

/**
 * The slide under a source line (0-based): a separator line belongs to the slide it
 * starts, front matter to the first slide, lines past the end to the last.
 */
export function slideAtLine(deck: Deck, line: number): SlideIndex {
	const slides = allSlides(deck);
	let found = slides[0];
	for (let i = 1; i < slides.length && slides[i].startLine - 1 <= line; i++) found = slides[i];
	return { ...found.index };
}

/** How people number slides (1-based): "3" for the third stack, "3.2" for the slide under it. */
export function slideNumber({ h, v }: SlideIndex): string {
	return v > 0 ? `${h + 1}.${v + 1}` : `${h + 1}`;
}

/** The slide that a number such as "3" or "3.2" names in the deck; null when there is none. */
export function slideByNumber(deck: Deck, number: string): SlideIndex | null {
	const match = /^(\d{1,4})(?:\.(\d{1,4}))?$/.exec(number.trim());
	if (!match) return null;
	const h = Number(match[1]) - 1;
	const v = match[2] === undefined ? 0 : Number(match[2]) - 1;
	return deck.slides[h]?.[v] ? { h, v } : null;
}

export interface OutlineEntry {
	index: SlideIndex;
	/** First heading, else the first line with text; `''` for an empty slide. */
	title: string;
	/** 0-based first line of the slide, for moving the cursor there. */
	line: number;
}

const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;

/** The text of an ATX heading line (`## Title ##` → `Title`), or null for other lines. */
function headingText(line: string): string | null {
	const match = /^ {0,3}#{1,6}(?:[ \t](.*))?$/.exec(line);
	if (!match) return null;
	const text = (match[1] ?? '').trim();
	let end = text.length;
	while (end > 0 && text[end - 1] === '#') end--;
	return end === 0 || text[end - 1] === ' ' || text[end - 1] === '\t' ? text.slice(0, end) : text;
}

/**
 * Text of one line of Markdown as a reader sees it, roughly, from its first 300
 * characters: for titles only.
 */
function plainText(line: string): string {
	return unescapeMarkdown(
		line
			.slice(0, 300)
			.replace(/<!--[\s\S]*?-->/g, '')
			.replace(/^(\s*>)+/, '')
			.replace(/^\s*([-+*]|\d+[.)])\s+/, '')
			.replace(/!?\[((?:\\.|[^\]\\])*)\]\([^)]*\)/g, '$1')
			.replace(/<\/?[A-Za-z][^>]*>/g, '')
			.replace(/`+([^`]*)`+/g, '$1')
			.replace(/(\*\*|__|~~|\*|_)(\S(?:.*?\S)?)\1/g, '$2')
	)
		.replace(/\s+/g, ' ')
		.trim();
}

function slideTitle(markdown: string): string {
	const lines = splitLines(markdown);
	const { inCode } = mapCode(lines);
	let firstText = '';
	let firstCode = '';
	for (let i = 0; i < lines.length; i++) {
		const { text } = lines[i];
		if (inCode[i]) {
			if (!firstCode && !/^ {0,3}(`{3,}|~{3,})/.test(text)) firstCode = text.trim();
			continue;
		}
		const heading = headingText(text);
		if (heading !== null) {
			const title = plainText(heading);
			if (title) return title;
			continue;
		}
		const next = lines[i + 1]?.text;
		if (next !== undefined && !inCode[i + 1] && SETEXT_UNDERLINE.test(next) && text.trim()) {
			return plainText(text);
		}
		if (!firstText) firstText = plainText(text);
	}
	return firstText || firstCode;
}

/** Each slide's title, in presentation order, for the outline panel. */
export function outline(deck: Deck): OutlineEntry[] {
	return outliner()(deck);
}

/**
 * outline() for one deck as it is edited: a slide whose Markdown did not change keeps the
 * title read the time before, so that a keystroke reads one title again, not every one.
 */
export function outliner(): (deck: Deck) => OutlineEntry[] {
	let titles = new Map<string, string>();
	return (deck) => {
		const next = new Map<string, string>();
		const entries = allSlides(deck).map((slide) => {
			const title = titles.get(slide.markdown) ?? slideTitle(slide.markdown);
			next.set(slide.markdown, title);
			return { index: { ...slide.index }, title, line: slide.startLine };
		});
		titles = next;
		return entries;
	};
}

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
	const keys = Object.keys(a);
	return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/**
 * Lines of a field's text written so they read back as the same field: a line that
 * would be a separator or start the notes is escaped, and a code fence left open is
 * closed (reveal.js would close it at the slide's end anyway).
 */
function guardedLines(text: string): string[] {
	const lines = splitLines(text.replace(/\r\n/g, '\n'));
	const { inCode, fences } = mapCode(lines);
	const out = lines.map(({ text: line }, i) => {
		if (inCode[i]) return line;
		if (line === '---') return '***';
		if (line === '--') return '\\--';
		return line.replace(/^(\s*notes?):/i, '$1\\:');
	});
	const open = fences.find((fence) => fence.close === null);
	if (open) out.push(open.marker);
	return out;
}

/** A slide written out from its fields: attributes, content, then notes. */
function composeSlide(slide: Slide, eol: string): string {
	const lines: string[] = [];
	const attributes = Object.entries(slide.attributes);
	if (attributes.length > 0) {
		const written = attributes
			.map(([name, value]) =>
				value === '' && name.startsWith('data-') ? name : `${name}="${value}"`
			)
			.join(' ');
		const comment = `<!-- .slide: ${written} -->`;
		const checked = parseAttributes(comment);
		if (!checked.ok) throw new Error(`Slide ${slide.index.h}.${slide.index.v}: ${checked.message}`);
		lines.push(comment);
	}
	if (slide.markdown.trim() !== '') lines.push(...guardedLines(slide.markdown));
	if (slide.notes.trim() !== '') {
		if (lines.length > 0) lines.push('');
		lines.push('Note:', ...guardedLines(slide.notes));
	}
	return lines.join(eol);
}

/**
 * The deck's Markdown. Slides whose markdown, notes and attributes are what their
 * `source` says come out exactly as they were read, so parse → serialize is the identity;
 * other slides are written anew (attributes comment, content, blank line, `Note:` and the
 * notes) with blank lines around their separators. Stacks and positions come from the
 * arrays, not from `index` or the line numbers.
 */
export function serializeDeck(deck: Deck): string {
	const eol = deck.lineEnding;
	let out = deck.frontMatter;
	if (out && !out.endsWith('\n')) out += eol;
	const flat = deck.slides.flatMap((stack, h) => stack.map((slide, v) => ({ slide, h, v })));
	flat.forEach(({ slide, h, v }, i) => {
		const last = i === flat.length - 1;
		if (i > 0) {
			if (!out.endsWith('\n')) out += eol;
			const dashes = v === 0 ? '---' : '--';
			const kept = slide.separator?.replace(/\r?\n$/, '') === dashes;
			out += kept ? slide.separator : dashes + eol;
		}
		if (slide.source !== undefined) {
			const read = readSlide(splitLines(slide.source));
			const unchanged =
				read.markdown === slide.markdown &&
				read.notes === slide.notes &&
				sameAttributes(read.attributes, slide.attributes);
			// A last line of dashes without a line ending is text; followed by more slides it
			// would become a separator, so such a slide is written anew.
			const lastLine = slide.source.slice(slide.source.lastIndexOf('\n') + 1);
			if (unchanged && (last || !separatorKind(lastLine))) {
				out += slide.source;
				return;
			}
		}
		const body = composeSlide({ ...slide, index: { h, v } }, eol);
		out += (i > 0 ? eol : '') + body + eol + (last ? '' : eol);
	});
	return out;
}

export interface CodeInfo {
	/** The info string without the line numbers: reveal.js uses it as the code's class. */
	language: string;
	/** `data-line-numbers`: `''` shows numbers only, `'1-2|3'` highlights in steps; null: off. */
	lineNumbers: string | null;
	/** `data-ln-start-from`, from `[25: 1-2]`. */
	startFrom: number | null;
}

// reveal.js's own: `[1,4-8|9]`, optionally with an offset `[25: 1,4-8]`.
const CODE_LINE_NUMBERS = /\[\s*((\d*):)?\s*([\s\d,|-]*)\]/;

/** Reads a fence's info string as reveal.js does: "js [1-2|3]" → js, highlights 1-2 then 3. */
export function parseCodeInfo(info: string): CodeInfo {
	const match = CODE_LINE_NUMBERS.exec(info);
	if (!match) return { language: info.trim(), lineNumbers: null, startFrom: null };
	return {
		language: info.replace(CODE_LINE_NUMBERS, '').trim(),
		lineNumbers: match[3].trim(),
		startFrom: match[2] ? Number(match[2]) : null
	};
}
