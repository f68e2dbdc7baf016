/**
 * Citations of a lecture's papers in a deck, written as plain Markdown that still reads
 * well in plain reveal.js: a quoted annotation is a blockquote whose last line links to
 * `podium:annotation/<id>`, a figure crop is an image `![label](podium:figure/<id>)`.
 * The quote stays in the deck, so a slide keeps it when the annotation changes.
 */
import { parseDeck, slideAtLine } from './deck';
import { codeSpans, mapCode, splitLines, unescapeMarkdown } from './source';

export type CitationKind = 'annotation' | 'figure';

export interface Citation {
	kind: CitationKind;
	/** The cited annotation's id. */
	id: string;
	/** The quoted text, when the link ends a blockquote; LF line breaks, escapes removed. */
	quote?: string;
	/** The link text or image alt: "Paper title, p. 2", "Figure 1, p. 3". */
	label: string;
	/** 0-based first line of the citation (the blockquote's first line, or the link's). */
	line: number;
	/** 0-based line of the link. */
	endLine: number;
}

/** The scheme of citation links; the renderer turns them into links to the paper. */
export const PODIUM_SCHEME = 'podium:';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const PODIUM_URL = /^podium:(annotation|figure)\/([A-Za-z0-9_-]{1,64})$/;

/** `podium:annotation/abc` → `{ kind: 'annotation', id: 'abc' }`; null for anything else. */
export function parsePodiumUrl(url: string): { kind: CitationKind; id: string } | null {
	const match = PODIUM_URL.exec(url.trim());
	return match ? { kind: match[1] as CitationKind, id: match[2] } : null;
}

// [label](podium:…) or ![label](podium:… "title"); the label may hold escaped brackets
// (not bare ones, which keeps the scan linear on a line of many "[").
const PODIUM_LINK = /(!?)\[((?:\\.|[^[\]\\])*)\]\(\s*<?(podium:[^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const BLOCKQUOTE = /^ {0,3}>/;
// A blockquote line holding only the link, after an optional dash: the citation's last line.
const SOURCE_LINE = /^>\s*(?:—|–|--?)?$/;

/** Every podium: link in the deck outside code, in source order. Unknown kinds are skipped. */
export function findCitations(source: string): Citation[] {
	const lines = splitLines(source);
	const { inCode } = mapCode(lines);
	const citations: Citation[] = [];
	// First line of the quote being read: the blockquote's first line, or the line after
	// the previous citation in the same blockquote.
	let quoteStart = -1;
	lines.forEach(({ text }, i) => {
		const quoteLine = !inCode[i] && BLOCKQUOTE.test(text);
		if (!quoteLine) quoteStart = -1;
		else if (quoteStart < 0) quoteStart = i;
		if (inCode[i] || !text.includes('podium:')) return;
		const inSpan = codeSpans(text);
		for (const match of text.matchAll(PODIUM_LINK)) {
			if (inSpan(match.index)) continue;
			const target = parsePodiumUrl(match[3]);
			if (!target) continue;
			const citation: Citation = {
				...target,
				label: unescapeMarkdown(match[2]),
				line: i,
				endLine: i
			};
			const rest = text.slice(0, match.index) + text.slice(match.index + match[0].length);
			const endsQuote = quoteLine && quoteStart < i && SOURCE_LINE.test(rest.trim());
			if (target.kind === 'annotation' && !match[1] && endsQuote) {
				const quote = lines
					.slice(quoteStart, i)
					.map((line) => unescapeMarkdown(line.text.replace(/^ {0,3}> ?/, '').trim()));
				citation.quote = quote.join('\n').trim();
				citation.line = quoteStart;
				quoteStart = i + 1;
			}
			citations.push(citation);
		}
	});
	return citations;
}

/**
 * The annotations a deck cites (quotes and figures alike), each with the 0-based [h, v]
 * of every slide that cites it, once per slide, in deck order.
 */
export function citedSlides(source: string): Map<string, [number, number][]> {
	const deck = parseDeck(source);
	const slides = new Map<string, [number, number][]>();
	for (const citation of findCitations(source)) {
		const { h, v } = slideAtLine(deck, citation.line);
		const list = slides.get(citation.id) ?? [];
		const last = list[list.length - 1];
		if (!last || last[0] !== h || last[1] !== v) list.push([h, v]);
		slides.set(citation.id, list);
	}
	return slides;
}

/**
 * Text that Markdown (with math and GFM) shows exactly as written: characters that would
 * start emphasis, links, code, HTML, math or strikethrough are escaped, and so are the
 * ones that would make a line a heading, a list, a quote or a rule.
 */
export function escapeMarkdown(text: string): string {
	return text
		.replace(/[\\`*_[\]<>$~]/g, '\\$&')
		.replace(/&(?=#?\w+;)/g, '\\&')
		.replace(/^([#+=-])/, '\\$1')
		.replace(/^(\d+)([.)])/, '$1\\$2');
}

function checkedId(annotationId: string): string {
	if (!ID.test(annotationId)) throw new Error(`Not an annotation id: "${annotationId}"`);
	return annotationId;
}

/** A label on one line, whitespace collapsed, escaped. */
function inlineLabel(text: string): string {
	return escapeMarkdown(text.replace(/\s+/g, ' ').trim());
}

export interface QuoteCitationInput {
	quote: string;
	paperTitle: string;
	/** 1-based page; left out of the label when unknown. */
	page?: number | null;
	annotationId: string;
}

/**
 * A quoted annotation: the quote as blockquote lines (one `> ` line per line of the
 * quote; blank lines stay paragraph breaks), then `> — [Title, p. 2](podium:annotation/id)`.
 * No trailing newline.
 */
export function quoteCitation({
	quote,
	paperTitle,
	page,
	annotationId
}: QuoteCitationInput): string {
	const lines = quote
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.trim());
	while (lines.length > 0 && lines[0] === '') lines.shift();
	while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
	const label = page ? `${paperTitle}, p. ${page}` : paperTitle;
	return [
		...lines.map((line) => (line === '' ? '>' : `> ${escapeMarkdown(line)}`)),
		`> — [${inlineLabel(label)}](${PODIUM_SCHEME}annotation/${checkedId(annotationId)})`
	].join('\n');
}

export interface FigureCitationInput {
	/** Shown as the image's alt text: "Figure 1, p. 3". */
	label: string;
	annotationId: string;
}

/** A region annotation (figure, table, equation) as an image: `![Figure 1, p. 3](podium:figure/id)`. */
export function figureCitation({ label, annotationId }: FigureCitationInput): string {
	return `![${inlineLabel(label)}](${PODIUM_SCHEME}figure/${checkedId(annotationId)})`;
}

/** Either kind of citation, by `kind`. */
export function citationMarkdown(
	citation:
		({ kind: 'annotation' } & QuoteCitationInput) | ({ kind: 'figure' } & FigureCitationInput)
): string {
	return citation.kind === 'annotation' ? quoteCitation(citation) : figureCitation(citation);
}
