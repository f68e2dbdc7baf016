/**
 * The pure parts of exporting a deck: file names, the reveal.js options an export and the
 * print layout share, theme CSS without its web fonts, the URLs of the deck's own images,
 * and the one self-contained HTML document that runs in plain reveal.js.
 */
import { DECK_SLIDE_SIZE } from './render';

/** What `deck/export?format=` offers. */
export const EXPORT_FORMATS = ['html', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string | null): value is ExportFormat {
	return (EXPORT_FORMATS as readonly (string | null)[]).includes(value);
}

/** `lecture-4-parallelism-ii.html`: the lecture's number and title, ASCII, lowercase. */
export function exportFilename(
	lecture: { number: number; title: string },
	extension: ExportFormat
): string {
	const slug = lecture.title
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/, '');
	return `lecture-${lecture.number}${slug ? `-${slug}` : ''}.${extension}`;
}

/**
 * reveal.js options of an exported deck and of the print layout: the editor's slide size,
 * and for PDF one page per slide with every fragment shown (reveal.js would otherwise print
 * a page per fragment step, or continue a tall slide on further pages).
 */
export const EXPORT_REVEAL_OPTIONS = {
	...DECK_SLIDE_SIZE,
	pdfMaxPagesPerSlide: 1,
	pdfSeparateFragments: false
} as const;

/**
 * The print layout's options. No margin: reveal.js makes the page the slide size times
 * (1 + margin), so the PDF's pages are exactly the slide size. Notes, when wanted, go on a
 * page of their own after their slide, so the slide itself stays as presented.
 */
export function printRevealOptions(notes: boolean) {
	return {
		...EXPORT_REVEAL_OPTIONS,
		view: 'print',
		margin: 0,
		// reveal.js's print layout reads 'separate-page'; its types know only booleans.
		showNotes: (notes ? 'separate-page' : false) as boolean,
		hash: false,
		history: false
	} as const;
}

/**
 * Extra print rules: reveal.js ends a notes page with a page break, which after the last
 * slide would add a blank page.
 */
export const PRINT_EXTRA_CSS =
	'html.reveal-print .reveal .slides>:last-child{page-break-after:avoid!important;break-after:avoid!important}';

/**
 * CSS without its `@import`s, which the reveal.js themes use only for Google web fonts: an
 * offline deck cannot load them and the app's CSP refuses them; the font stacks fall back.
 * `@import` may only come first (after `@charset`), so only the start is read.
 */
export function withoutImports(css: string): string {
	const statement =
		/^(?:\s+|\/\*[\s\S]*?\*\/|@charset\s+"[^"]*"\s*;|@import\s+(?:url\([^)]*\)|"[^"]*"|'[^']*')[^;]*;)/;
	let rest = css;
	let kept = '';
	for (let match = statement.exec(rest); match; match = statement.exec(rest)) {
		if (!match[0].startsWith('@import')) kept += match[0];
		rest = rest.slice(match[0].length);
	}
	return kept + rest;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The lecture's deck image an URL names (`/courses/<c>/lectures/<l>/deck/images/<sha256>`,
 * relative or on `origin`), or null for anything else.
 */
export function parseDeckImageUrl(
	url: string,
	origin: string
): { courseId: string; lectureId: string; sha256: string } | null {
	let parsed: URL;
	try {
		parsed = new URL(url.trim(), origin);
	} catch {
		return null;
	}
	if (parsed.origin !== new URL(origin).origin || parsed.search || parsed.hash) return null;
	const match = /^\/courses\/([^/]+)\/lectures\/([^/]+)\/deck\/images\/([^/]+)$/.exec(
		parsed.pathname
	);
	if (!match || !SHA256.test(match[3])) return null;
	return { courseId: match[1], lectureId: match[2], sha256: match[3] };
}

/** A self-contained deck: everything it needs is in the document. */
export interface StandaloneDeck {
	title: string;
	/** CSS texts, in order (reveal.css, the theme, …). */
	styles: string[];
	/** URLs of classic scripts (data: URLs of reveal.js and its plugins), in order. */
	scripts: string[];
	/** reveal.js's slide markup for inside `<div class="slides">`. */
	sections: string;
	/** Names of plugin globals the scripts define (`RevealHighlight`). */
	plugins: string[];
	/** `Reveal.initialize`'s options (JSON). */
	options: Record<string, unknown>;
}

const escapeText = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;');

/** JSON that cannot end or confuse the `<script>` element it sits in. */
const scriptJson = (value: unknown) =>
	JSON.stringify(value)
		.replace(/</g, '\\u003c')
		.replace(/\u2028/g, '\\u2028')
		.replace(/\u2029/g, '\\u2029');

/**
 * The deck as one HTML file that opens in a browser as plain reveal.js would: its styles in
 * `<style>`, its scripts as data: URLs (script text inline could hold `<!--` and
 * `<script`, which change how HTML parses a script element), then `Reveal.initialize`.
 */
export function standaloneDeckHtml(deck: StandaloneDeck): string {
	const plugins = deck.plugins.filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
	const styles = deck.styles
		.map((css) => `<style>\n${css.replace(/<\/(style)/gi, '<\\/$1')}\n</style>`)
		.join('\n');
	const scripts = deck.scripts
		.map((src) => `<script src="${escapeAttribute(src)}"></script>`)
		.join('\n');
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Podium">
<title>${escapeText(deck.title)}</title>
${styles}
</head>
<body>
<div class="reveal">
<div class="slides">
${deck.sections}
</div>
</div>
${scripts}
<script>
Reveal.initialize(Object.assign(${scriptJson(deck.options)}, { plugins: [${plugins.join(', ')}] }));
</script>
</body>
</html>
`;
}
