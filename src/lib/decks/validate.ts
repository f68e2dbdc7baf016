/**
 * What is wrong with a deck's Markdown, line by line, before it is saved: errors stop
 * the save; warnings point at things plain reveal.js or the sanitizer would not show.
 */
import { findAttributeComments, isAllowedIframeSrc } from './attributes';
import { parsePodiumUrl } from './citations';
import { allSlides, parseDeck } from './deck';
import { NOTES_MARKER, codeSpans, mapCode, splitLines } from './source';

export interface DeckProblem {
	/** 0-based line; the message names it 1-based, as the editor shows it. */
	line: number;
	message: string;
	severity: 'error' | 'warning';
}

export interface DeckLimits {
	/** UTF-8 size of the Markdown. */
	maxBytes: number;
	maxSlides: number;
}

export const DEFAULT_DECK_LIMITS: DeckLimits = { maxBytes: 500_000, maxSlides: 300 };

const HIGHLIGHTS = /\[[^[\]]*\]/;
const VALID_HIGHLIGHTS = /^\[\s*(\d+:)?\s*([\s\d,|-]*)\]$/;

function problem(line: number, message: string, severity: DeckProblem['severity'] = 'error') {
	return { line, message: `Line ${line + 1}: ${message}`, severity };
}

/** Problems of a deck, in line order; an empty list means it can be saved as is. */
export function validateDeck(
	source: string,
	limits: DeckLimits = DEFAULT_DECK_LIMITS
): DeckProblem[] {
	const bytes = new TextEncoder().encode(source).length;
	if (bytes > limits.maxBytes) {
		const kB = (n: number) => `${Math.ceil(n / 1000)} kB`;
		return [
			{
				line: 0,
				message: `The deck is ${kB(bytes)}, over the limit of ${kB(limits.maxBytes)}.`,
				severity: 'error'
			}
		];
	}

	const problems: DeckProblem[] = [];
	const slides = allSlides(parseDeck(source));
	if (slides.length > limits.maxSlides) {
		const first = slides[limits.maxSlides];
		problems.push(
			problem(
				first.startLine,
				`the deck has ${slides.length} slides, over the limit of ${limits.maxSlides}; ` +
					`slide ${limits.maxSlides + 1} starts here`
			)
		);
	}

	const lines = splitLines(source);
	const { fences, inCode } = mapCode(lines);
	for (const fence of fences) {
		if (fence.close === null) {
			problems.push(
				problem(fence.open, `this code block is never closed: end it with ${fence.marker}`)
			);
		}
		const highlights = HIGHLIGHTS.exec(fence.info);
		if (highlights && !VALID_HIGHLIGHTS.test(highlights[0])) {
			problems.push(
				problem(
					fence.open,
					`line highlights ${highlights[0]} may only hold line numbers, ranges such as 2-4, ` +
						`commas, and | between steps`,
					'warning'
				)
			);
		}
	}

	for (const comment of findAttributeComments(source)) {
		if (!comment.result.ok) {
			problems.push({ line: comment.line, message: comment.result.message, severity: 'error' });
		}
	}

	for (const slide of slides) {
		const notes: number[] = [];
		for (let i = slide.startLine; i <= slide.endLine; i++) {
			if (!inCode[i] && NOTES_MARKER.test(lines[i].text)) notes.push(i);
		}
		if (notes.length > 1) {
			problems.push(
				problem(
					notes[1],
					'a second "Note:" in one slide: plain reveal.js would then show all notes on the slide',
					'warning'
				)
			);
		}
	}

	lines.forEach(({ text }, i) => {
		if (inCode[i]) return;
		const inSpan = codeSpans(text);
		for (const match of text.matchAll(/\]\(\s*<?(podium:[^)\s>]*)/g)) {
			if (!inSpan(match.index) && !parsePodiumUrl(match[1])) {
				problems.push(
					problem(i, `"${match[1]}" is not a citation: use podium:annotation/… or podium:figure/…`)
				);
			}
		}
		for (const match of text.matchAll(/<(script|iframe|object|embed)\b[^<>]*>?/gi)) {
			if (inSpan(match.index)) continue;
			const tag = match[1].toLowerCase();
			if (tag === 'iframe') {
				const src = /\s(?:data-)?src\s*=\s*["']?([^"'\s>]*)/i.exec(match[0])?.[1] ?? '';
				if (isAllowedIframeSrc(src)) continue;
				problems.push(
					problem(
						i,
						'iframes may only show YouTube or Vimeo embeds; this one will be removed',
						'warning'
					)
				);
			} else {
				problems.push(problem(i, `<${tag}> is removed from slides: it could run code`, 'warning'));
			}
		}
		for (const match of text.matchAll(/<[A-Za-z][^<>]*\s(on[a-z]+)\s*=/gi)) {
			if (inSpan(match.index)) continue;
			problems.push(
				problem(
					i,
					`the event handler ${match[1]} is removed from slides: it would run script`,
					'warning'
				)
			);
		}
	});

	return problems.sort((a, b) => a.line - b.line);
}
