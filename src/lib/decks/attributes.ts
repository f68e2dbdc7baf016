/**
 * Slide and element attributes written in reveal.js's Markdown comments,
 * `<!-- .slide: data-background="#ff0000" -->` and `<!-- .element: class="fragment" -->`,
 * checked against an allow-list: reveal.js's documented attributes and nothing that can
 * run script or frame an arbitrary page.
 */
import { codeSpans, mapCode, splitLines } from './source';

export type AttributeResult =
	{ ok: true; attributes: Record<string, string> } | { ok: false; message: string };

/** Hosts a deck may show in an iframe (embedded videos), over https only. */
export const DECK_ALLOWED_IFRAME_HOSTS = [
	'www.youtube.com',
	'youtube.com',
	'www.youtube-nocookie.com',
	'youtube-nocookie.com',
	'player.vimeo.com'
] as const;

// The embed pages only: the other pages of these sites refuse to be framed anyway.
const IFRAME_PATHS: Record<string, RegExp> = {
	'player.vimeo.com': /^\/video\/\d+/,
	default: /^\/embed\/[\w-]+/
};

/**
 * Whether a URL may be an iframe's `src` (or `data-src`, `data-background-iframe`) on a
 * slide: an https embed page of YouTube or Vimeo, without credentials or port.
 */
export function isAllowedIframeSrc(url: string): boolean {
	const value = url.trim();
	if (!/^(https:)?\/\//i.test(value)) return false;
	let parsed: URL;
	try {
		parsed = new URL(value, 'https://podium.invalid');
	} catch {
		return false;
	}
	const hosts: readonly string[] = DECK_ALLOWED_IFRAME_HOSTS;
	if (parsed.protocol !== 'https:' || !hosts.includes(parsed.hostname)) return false;
	if (parsed.username || parsed.password || parsed.port) return false;
	return (IFRAME_PATHS[parsed.hostname] ?? IFRAME_PATHS.default).test(parsed.pathname);
}

// reveal.js attributes that are not data-*: none of them loads or runs anything.
const PLAIN_NAMES = new Set(['class', 'id', 'style', 'title', 'alt', 'width', 'height']);

// Attributes of reveal.js's Markdown plugin itself: in a slide comment they would make it
// load a Markdown file from a URL or re-split the slide.
const MARKDOWN_PLUGIN = /^data-(markdown|separator|template|attributes|element-attributes|charset)/;

const URL_ATTRIBUTES = new Set([
	'data-src',
	'data-background-image',
	'data-background-video',
	'data-preview-image',
	'data-preview-video'
]);

const IMAGE_DATA_URL = /^data:image\/(png|jpe?g|gif|webp|avif);/i;

/**
 * The value a browser would see after decoding character references and dropping the
 * whitespace and control characters it ignores in URLs, lowercased: what scheme checks
 * must look at, since `&#106;avascript:` and `java\tscript:` are still `javascript:`.
 */
function normalizedForSchemes(value: string): string {
	const character = (code: number) =>
		code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
	const decoded = value
		.replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => character(parseInt(hex, 16)))
		.replace(/&#(\d+);?/g, (_, dec: string) => character(Number(dec)))
		.replace(/&colon;/gi, ':')
		.replace(/&(tab|newline);/gi, '');
	let plain = '';
	for (const char of decoded) {
		if (char.charCodeAt(0) > 0x20 && char !== '\u007f' && !/\s/.test(char)) plain += char;
	}
	return plain.toLowerCase();
}

const DANGEROUS_SCHEME =
	/(javascript|vbscript|livescript):|data:(text\/html|application\/xhtml|image\/svg)/;

/** A URL that loads an image, video or page: http(s) or relative, never a script. */
function urlProblem(name: string, value: string): string | null {
	const plain = normalizedForSchemes(value);
	if (name === 'data-background-image' || name === 'data-src') {
		if (IMAGE_DATA_URL.test(plain)) return null;
	}
	const scheme = /^([a-z][a-z0-9+.-]*):/.exec(plain);
	if (scheme && scheme[1] !== 'http' && scheme[1] !== 'https') {
		return `${name} must be an http(s) or relative URL, not "${scheme[1]}:"`;
	}
	return null;
}

const CLASS_VALUE = /^[\w-]+(\s+[\w-]+)*$/;
const ID_VALUE = /^[A-Za-z][\w-]*$/;
const INTEGER = /^\d+$/;
const LINE_NUMBERS = /^[\d\s,|-]*$/;
const STYLE_DANGER = /expression\s*\(|-moz-binding|behavior\s*:|@import|javascript:|vbscript:/;

/** Why `value` is not acceptable for the (allowed) attribute `name`, or null. */
function valueProblem(name: string, value: string): string | null {
	if (value.length > 2000) return `the value of ${name} is longer than 2000 characters`;
	const plain = normalizedForSchemes(value);
	if (DANGEROUS_SCHEME.test(plain)) {
		return `the value of ${name} holds a script or HTML URL, which could run code`;
	}
	// reveal.js adds data-state's words as classes of the whole presentation.
	if ((name === 'class' || name === 'data-state') && value.trim() !== '') {
		if (!CLASS_VALUE.test(value.trim())) {
			return `${name} names may only use letters, digits, "-" and "_"`;
		}
	}
	if (name === 'id' && !ID_VALUE.test(value)) {
		return `an id starts with a letter and uses only letters, digits, "-" and "_"`;
	}
	if (name === 'style') {
		if (STYLE_DANGER.test(plain)) return `style may not use expression(), bindings or @import`;
		for (const match of plain.matchAll(/url\(['"]?([^'")]*)/g)) {
			const problem = urlProblem('a url() in style', match[1]);
			if (problem) return problem;
		}
	}
	if ((name === 'width' || name === 'height') && !/^\d+(\.\d+)?%?$/.test(value)) {
		return `${name} must be a number of pixels or a percentage`;
	}
	if (['data-fragment-index', 'data-autoslide', 'data-ln-start-from'].includes(name)) {
		if (!INTEGER.test(value)) return `${name} must be a whole number, not "${value}"`;
	}
	if (name === 'data-visibility' && !['hidden', 'uncounted'].includes(value)) {
		return `data-visibility is "hidden" or "uncounted", not "${value}"`;
	}
	if (name === 'data-line-numbers' && !LINE_NUMBERS.test(value)) {
		return `data-line-numbers takes line numbers such as "1,3-5|8", not "${value}"`;
	}
	if (name === 'data-background-iframe' || name === 'data-preview-link') {
		if (name === 'data-preview-link' && ['', 'true', 'false'].includes(value)) return null;
		if (!isAllowedIframeSrc(value)) {
			return `${name} may only show a YouTube or Vimeo embed (https://www.youtube.com/embed/…)`;
		}
	}
	if (URL_ATTRIBUTES.has(name)) return urlProblem(name, value);
	return null;
}

/** Why the attribute `name` is not allowed at all, or null. */
function nameProblem(name: string): string | null {
	if (name.startsWith('on')) {
		return `"${name}" is an event handler, which would run script: not allowed`;
	}
	if (name === 'srcdoc') return `"srcdoc" would embed a whole page: not allowed`;
	// reveal.js hands data-notes to the presenter's notes view as HTML, unsanitized.
	if (name === 'data-notes') return `"data-notes" is not supported: write notes after "Note:"`;
	if (MARKDOWN_PLUGIN.test(name)) {
		return `"${name}" belongs to reveal.js's Markdown loader, which Podium sets itself`;
	}
	if (PLAIN_NAMES.has(name)) return null;
	if (/^data-[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) return null;
	return (
		`unknown attribute "${name}": use class, id, style, title, alt, width, height ` +
		`or reveal.js's data-* attributes`
	);
}

const PREFIX = /^\.(?:slide:|element:?)/;

/** The `name="value"` text of a comment, or of its inside, or the text itself. */
function attributeText(comment: string): string {
	let text = comment.trim();
	if (text.startsWith('<!--') && text.endsWith('-->')) text = text.slice(4, -3).trim();
	return text.replace(PREFIX, '');
}

/**
 * The attributes of one `<!-- .slide: … -->` or `<!-- .element: … -->` comment (or just
 * its `name="value"` text). Only double-quoted `name="value"` pairs and bare `data-*`
 * names are well formed, as reveal.js reads no other; names go lowercase. With `line`
 * (0-based) the message names the line, 1-based, as an editor shows it.
 */
export function parseAttributes(comment: string, line?: number): AttributeResult {
	const fail = (message: string): AttributeResult => ({
		ok: false,
		message: line === undefined ? message : `Line ${line + 1}: ${message}`
	});
	const inner = attributeText(comment);
	const attributes: Record<string, string> = {};
	const token = /\s*([^\s="'<>`]+)/y;
	let at = 0;
	while (at < inner.length) {
		token.lastIndex = at;
		const match = token.exec(inner);
		if (!match) {
			if (inner.slice(at).trim() === '') break;
			return fail(`malformed attributes at "${inner.slice(at).trim().slice(0, 30)}"`);
		}
		const written = match[1];
		const name = written.toLowerCase();
		at = token.lastIndex;
		let value = '';
		const next = inner[at];
		if (next === '=') {
			const quote = inner[at + 1];
			if (quote === "'") return fail(`write ${written}="…" with double quotes`);
			if (quote !== '"') return fail(`the value of ${written} must be in double quotes`);
			const end = inner.indexOf('"', at + 2);
			if (end < 0) return fail(`the value of ${written} has no closing quote`);
			value = inner.slice(at + 2, end);
			at = end + 1;
			if (at < inner.length && !/\s/.test(inner[at])) {
				return fail(`put a space after ${written}="${value}"`);
			}
		} else if (next !== undefined && !/\s/.test(next)) {
			return fail(`malformed attribute "${written}${next}"`);
		} else if (!name.startsWith('data-')) {
			const rest = inner.slice(at).trimStart();
			if (rest.startsWith('=')) return fail(`no spaces around "=" after ${written}`);
			return fail(`${written} needs a value, as ${written}="…"`);
		}
		const problem = nameProblem(name) ?? valueProblem(name, value);
		if (problem) return fail(problem);
		if (Object.hasOwn(attributes, name)) return fail(`${written} is given twice`);
		attributes[name] = value;
	}
	return { ok: true, attributes };
}

/** One attribute comment found in deck Markdown. */
export interface AttributeComment {
	kind: 'slide' | 'element';
	/** 0-based line of the comment. */
	line: number;
	/** Offsets of the whole `<!-- … -->` in that line. */
	start: number;
	end: number;
	result: AttributeResult;
}

// The inside stops at the next "<!--", so a line of unclosed comments is read in one pass.
const ATTRIBUTE_COMMENT = /<!--\s*\.(slide:|element:?)((?:(?!<!--)[\s\S])*?)-->/g;
const COMMENT_KIND = /^<!--\s*\.(slide|element)\b/;
const SLIDE_WITHOUT_COLON = /<!--\s*\.slide(?!:)\b/;

/**
 * The `.slide` and `.element` comments of some deck Markdown (a whole deck or one slide),
 * outside code, each with its checked attributes. A comment must end on its own line:
 * reveal.js reads only the first line of a comment.
 */
export function findAttributeComments(markdown: string): AttributeComment[] {
	const lines = splitLines(markdown);
	const { inCode } = mapCode(lines);
	const found: AttributeComment[] = [];
	lines.forEach(({ text }, line) => {
		if (inCode[line] || !text.includes('<!--')) return;
		const inSpan = codeSpans(text);
		const malformed = (kind: AttributeComment['kind'], start: number, message: string) =>
			found.push({
				kind,
				line,
				start,
				end: text.length,
				result: { ok: false, message: `Line ${line + 1}: ${message}` }
			});
		for (const match of text.matchAll(ATTRIBUTE_COMMENT)) {
			if (inSpan(match.index)) continue;
			const kind = match[1].startsWith('slide') ? 'slide' : 'element';
			const result = parseAttributes(match[2], line);
			found.push({ kind, line, start: match.index, end: match.index + match[0].length, result });
		}
		// Only the last comment of a line can be left open.
		const lastOpen = text.lastIndexOf('<!--');
		const unclosed = COMMENT_KIND.exec(text.slice(lastOpen));
		if (unclosed && text.indexOf('-->', lastOpen) < 0 && !inSpan(lastOpen)) {
			const kind = unclosed[1] === 'slide' ? 'slide' : 'element';
			malformed(kind, lastOpen, `end the .${kind} comment with --> on the same line`);
		}
		const colonless = SLIDE_WITHOUT_COLON.exec(text);
		if (colonless && !inSpan(colonless.index)) {
			malformed('slide', colonless.index, 'write ".slide:" with a colon, or reveal.js ignores it');
		}
	});
	return found;
}
