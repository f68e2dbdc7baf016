/**
 * The images a deck shows, for storing uploads once and for an export that runs offline:
 * Markdown images, `<img src>`, and slide or element background images.
 * Figure citations (`podium:figure/…`) are citations, not listed here.
 */
import { findAttributeComments } from './attributes';
import { codeSpans, mapCode, splitLines } from './source';

export interface DeckImage {
	url: string;
	/** 0-based line. */
	line: number;
	/** How the deck refers to it. */
	via: 'markdown' | 'html' | 'background';
}

const MARKDOWN_IMAGE = /!\[(?:\\.|[^[\]\\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const HTML_IMAGE = /<img\b[^<>]*?\s(?:data-)?src\s*=\s*"([^"]+)"/gi;
// reveal.js takes data-background as an image when it looks like a URL or image file.
const IMAGE_LIKE = /^(https?:|file:|\/\/|\/|\.)|\.(svg|png|jpe?g|gif|bmp|webp)([?#\s]|$)/i;

/** Every image URL in the deck outside code, in line order. */
export function findImages(source: string): DeckImage[] {
	const lines = splitLines(source);
	const { inCode } = mapCode(lines);
	const images: DeckImage[] = [];
	lines.forEach(({ text }, line) => {
		if (inCode[line]) return;
		const inSpan = codeSpans(text);
		for (const [pattern, via] of [
			[MARKDOWN_IMAGE, 'markdown'],
			[HTML_IMAGE, 'html']
		] as const) {
			for (const match of text.matchAll(pattern)) {
				if (inSpan(match.index) || match[1].startsWith('podium:')) continue;
				images.push({ url: match[1], line, via });
			}
		}
	});
	for (const comment of findAttributeComments(source)) {
		if (!comment.result.ok) continue;
		const { attributes } = comment.result;
		const url = attributes['data-background-image'] ?? attributes['data-background'];
		if (url && (attributes['data-background-image'] !== undefined || IMAGE_LIKE.test(url))) {
			images.push({ url, line: comment.line, via: 'background' });
		}
	}
	return images.sort((a, b) => a.line - b.line);
}
