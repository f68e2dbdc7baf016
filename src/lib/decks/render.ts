/**
 * Deck slides to HTML that reveal.js shows, in the browser and on the server alike.
 *
 * A slide's Markdown goes through marked (GFM, KaTeX math as MathML, as the app's other
 * Markdown does), reveal.js's own Markdown conventions are applied (fenced code with
 * `[1-2|3]` line highlights, `<!-- .element: -->` attributes on the element before the
 * comment), `podium:` citations become links to the paper through a resolver, and the
 * result is sanitized with DOMPurify: what reveal.js needs (data-* attributes, classes,
 * styles, images, MathML, YouTube / Vimeo iframes) and nothing that runs script.
 *
 * Every attribute value that reveal.js reads as a URL or a class list (data-src,
 * data-background-*, data-preview-link, data-state, style url()s, …) is checked with the
 * dialect's own attribute allow-list, whether it came from a comment or from raw HTML.
 */
import DOMPurify, { type Config } from 'isomorphic-dompurify';
import { Marked, type Tokens } from 'marked';
import markedKatex from 'marked-katex-extension';
import {
	findAttributeComments,
	isAllowedIframeSrc,
	parseAttributes,
	parseCodeInfo,
	parsePodiumUrl,
	type CitationKind,
	type Deck,
	type Slide
} from './dialect';
import { fetchesFromElsewhere } from '$lib/resource-urls';

/** A `podium:` link found on a slide. */
export interface CitationLink {
	kind: CitationKind;
	id: string;
}

/** Where a citation leads, from the page that shows the deck. */
export interface ResolvedCitation {
	/** The paper at the cited spot. */
	href: string;
	/** For a figure: the image of the cited region (same-origin URL or data:image). */
	imageSrc?: string;
	/** The annotation was edited after the slide quoted it. */
	changed?: boolean;
}

/** Looks a citation up; null when the annotation is gone or not visible to the reader. */
export type CitationResolver = (link: CitationLink) => ResolvedCitation | null;

/**
 * Replaces image URLs in rendered slides (`<img>` src and data-src, slide backgrounds) after
 * every check: an export puts the deck's own images in as data: URLs. It must return only
 * URLs the caller trusts, and any other URL as it is.
 */
export type ImageUrlMap = (url: string) => string;

/**
 * The slide size the preview lays slides out at (16:9); a presentation or export that
 * wants slides to look as in the editor uses the same `width` / `height` in reveal.js.
 */
export const DECK_SLIDE_SIZE = { width: 1280, height: 720 } as const;

/** The reveal.js theme files, by name (reveal.js/dist/theme/<name>.css). */
export const REVEAL_THEMES = [
	'black',
	'white',
	'league',
	'beige',
	'night',
	'serif',
	'simple',
	'solarized',
	'moon',
	'dracula',
	'sky',
	'blood',
	'black-contrast',
	'white-contrast'
] as const;

/** Styles of what this module adds to slides (citation notes); include them with the theme. */
export const SLIDE_EXTRA_CSS = [
	'.reveal blockquote.citation{font-style:normal}',
	'.reveal blockquote.citation>p:last-of-type{display:block}',
	'.reveal p.citation-note{display:block;margin:.4em 0 0;font-size:.5em;font-style:normal;opacity:.85}',
	'.reveal span.citation-note{font-size:.6em;font-style:normal;opacity:.85}',
	'.reveal .citation-unavailable .citation-note,.reveal .citation-unavailable.citation-link+.citation-note,.reveal .citation-changed .citation-note{color:#b45309}',
	'.reveal .citation-figure{display:inline-block;text-align:center}',
	'.reveal .citation-figure-missing{display:inline-block;padding:.5em 1em;border:2px dashed currentColor;font-size:.6em}'
].join('\n');

/**
 * Undoes what the app's own element styles (app.css: `* { box-sizing }`, `table`, `th, td`,
 * `a`, `h1`) would do to slides shown inside an app page; put it before reveal.css and the
 * theme, which then win as in plain reveal.js. Not needed in an exported deck.
 */
export const APP_STYLE_RESET_CSS = [
	'.reveal :where(*){box-sizing:content-box}',
	'.reveal :where(table){width:auto;background:none}',
	'.reveal :where(th,td){padding:0;border:0;vertical-align:baseline;text-align:inherit}',
	'.reveal :where(a){color:inherit}',
	'.reveal :where(h1){margin-top:0}'
].join('\n');

// ---------------------------------------------------------------------------------------
// Markdown

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/** Marks a podium: link or image so the DOM pass can resolve it. */
const CITE_ATTRIBUTE = 'data-podium-cite';

const marked = new Marked({ gfm: true, breaks: false, async: false });
// Math as MathML only, as in the app's other Markdown: no inline styles, no fonts to load,
// browsers render it natively. `trust: false` keeps \href, \url and friends inert.
marked.use(
	markedKatex({
		throwOnError: false,
		output: 'mathml',
		trust: false,
		maxExpand: 200,
		maxSize: 20,
		nonStandard: true
	})
);
marked.use({
	renderer: {
		// reveal.js keeps blank lines in its HTML: an `.element` comment right under a list
		// then goes to the last item, one after a blank line to the whole list.
		space({ raw }: Tokens.Space) {
			return raw;
		},
		// As reveal.js's Markdown plugin writes code: line numbers and steps from the info
		// string; the language as a class (highlight.js reads `language-*`).
		code({ text, lang }: Tokens.Code) {
			const info = parseCodeInfo(lang ?? '');
			const language = (info.language.split(/\s+/)[0] ?? '').replace(/[^\w+#.-]/g, '');
			let attributes = language ? ` class="language-${escapeHtml(language)}"` : '';
			if (info.lineNumbers !== null) {
				attributes += ` data-line-numbers="${escapeHtml(info.lineNumbers)}"`;
			}
			if (info.startFrom !== null) attributes += ` data-ln-start-from="${info.startFrom}"`;
			return `<pre><code${attributes}>${escapeHtml(text)}</code></pre>\n`;
		},
		link(token: Tokens.Link) {
			const target = parsePodiumUrl(token.href);
			if (!target) return false;
			const label = this.parser.parseInline(token.tokens);
			return `<a ${CITE_ATTRIBUTE}="${target.kind}:${target.id}">${label}</a>`;
		},
		image(token: Tokens.Image) {
			const target = parsePodiumUrl(token.href);
			if (!target) return false;
			const alt = token.tokens
				? this.parser.parseInline(token.tokens, this.parser.textRenderer)
				: token.text;
			return `<img ${CITE_ATTRIBUTE}="${target.kind}:${target.id}" alt="${escapeHtml(alt)}">`;
		}
	}
});

// ---------------------------------------------------------------------------------------
// Sanitizing

const SANITIZE: Config = {
	USE_PROFILES: { html: true, svg: true, mathMl: true },
	ADD_TAGS: ['iframe'],
	ADD_ATTR: ['target', 'allow', 'allowfullscreen', 'frameborder', 'loading', 'referrerpolicy'],
	// <style> would restyle the page around the deck; <section> inside a slide would make
	// reveal.js see a vertical stack; forms and the rest have no place on a slide.
	FORBID_TAGS: [
		'style',
		'section',
		'form',
		'input',
		'button',
		'textarea',
		'select',
		'option',
		'maction',
		'base',
		'link',
		'meta',
		'object',
		'embed',
		'foreignobject',
		'template',
		'noscript'
	],
	// KaTeX's MathML carries the TeX source in <annotation>, which DOMPurify does not allow;
	// dropping the element alone would leave the source as text inside the formula.
	ADD_FORBID_CONTENTS: ['annotation', 'annotation-xml'],
	FORBID_ATTR: ['srcdoc', 'formaction', 'action', 'ping'],
	ALLOW_DATA_ATTR: true
};

const IMAGE_DATA_URL = /^data:image\/(png|jpe?g|gif|webp|avif|svg\+xml)[;,]/i;

/**
 * Whether a data-* or style attribute passes the dialect's allow-list (the same check as
 * in `<!-- .element: -->` comments): no script or HTML URLs, iframes only from the video
 * hosts, no Markdown-loader attributes.
 */
function attributeAllowed(name: string, value: string): boolean {
	// The check reads name="value"; a double quote inside the value cannot change what a
	// URL scheme check sees, so it is read as a single quote.
	return parseAttributes(`${name}="${value.replace(/"/g, "'")}"`).ok;
}

function iframeSourceAllowed(value: string | null): boolean {
	return value === null || isAllowedIframeSrc(value);
}

// The hooks live on the shared DOMPurify instance (isomorphic-dompurify keeps one per
// process), so they act only while this module sanitizes.
let sanitizing = false;

DOMPurify.addHook('uponSanitizeAttribute', (node, data) => {
	if (!sanitizing) return;
	const name = data.attrName;
	const value = data.attrValue;
	const tag = node.nodeName.toLowerCase();
	if (fetchesFromElsewhere(tag, name, value)) {
		data.keepAttr = false;
	} else if ((name.startsWith('data-') || name === 'style') && !attributeAllowed(name, value)) {
		data.keepAttr = false;
	} else if (tag === 'iframe' && name === 'src' && !isAllowedIframeSrc(value)) {
		data.keepAttr = false;
	} else if (
		(name === 'src' || name === 'poster' || name === 'href' || name === 'xlink:href') &&
		/^\s*data:/i.test(value) &&
		!IMAGE_DATA_URL.test(value.trim())
	) {
		data.keepAttr = false;
	}
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
	if (!sanitizing) return;
	if (node.nodeName.toLowerCase() !== 'iframe') return;
	const element = node as Element;
	const src = element.getAttribute('src');
	const dataSrc = element.getAttribute('data-src');
	// An iframe shows only an allowed embed page; reveal.js copies data-src to src.
	if ((src === null && dataSrc === null) || !iframeSourceAllowed(dataSrc)) {
		element.parentNode?.removeChild(element);
	}
});

function sanitizeToFragment(html: string, keepComments: boolean): DocumentFragment {
	sanitizing = true;
	try {
		return DOMPurify.sanitize(html, {
			...SANITIZE,
			ADD_TAGS: keepComments ? ['iframe', '#comment'] : ['iframe'],
			RETURN_DOM_FRAGMENT: true
		});
	} finally {
		sanitizing = false;
	}
}

function serialize(fragment: DocumentFragment): string {
	const holder = fragment.ownerDocument.createElement('div');
	holder.appendChild(fragment);
	return holder.innerHTML;
}

// ---------------------------------------------------------------------------------------
// reveal.js's `.element` comments

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const COMMENT_NODE = 8;

/**
 * Replaces each `.element` comment of the Markdown with a placeholder comment that names
 * its checked attributes; a malformed comment becomes an empty comment (it stays a comment,
 * so the Markdown's block structure does not change, and is dropped later).
 */
function markElementComments(
	markdown: string,
	tag: string
): { markdown: string; attributes: Record<string, string>[] } {
	const comments = findAttributeComments(markdown).filter((c) => c.kind === 'element');
	if (comments.length === 0) return { markdown, attributes: [] };
	const lines = markdown.split('\n');
	const attributes: Record<string, string>[] = [];
	const byLine = new Map<number, typeof comments>();
	for (const comment of comments) {
		byLine.set(comment.line, [...(byLine.get(comment.line) ?? []), comment]);
	}
	for (const [line, found] of byLine) {
		let text = lines[line];
		for (const comment of [...found].sort((a, b) => b.start - a.start)) {
			let replacement = '<!---->';
			if (comment.result.ok) {
				replacement = `<!--${tag}:${attributes.length}-->`;
				attributes.push(comment.result.attributes);
			}
			text = text.slice(0, comment.start) + replacement + text.slice(comment.end);
		}
		lines[line] = text;
	}
	return { markdown: lines.join('\n'), attributes };
}

/**
 * Applies placeholder comments' attributes where reveal.js's Markdown plugin would: to the
 * nearest element before the comment among its siblings (not a <br>), else to its parent;
 * a comment right after a list (no blank line) goes to the list's last item. A comment with
 * nothing before it at the top of the slide targets the slide's <section>: those attributes
 * are returned. All comments are removed. `root` holds the slide's content.
 */
function applyElementComments(
	root: Element,
	tag: string,
	attributes: Record<string, string>[]
): Record<string, string> {
	const sectionAttributes: Record<string, string> = {};
	const prefix = `${tag}:`;
	const comments: { comment: Comment; target: Element | null; blankLine: boolean }[] = [];
	const walk = (parent: Node) => {
		// The root stands for the slide's <section>.
		let target: Element | null = parent === root ? null : (parent as Element);
		const children = Array.from(parent.childNodes);
		children.forEach((child, i) => {
			for (let j = i - 1; j >= 0; j--) {
				const before = children[j];
				if (before.nodeType === ELEMENT_NODE && before.nodeName !== 'BR') {
					target = before as Element;
					break;
				}
			}
			if (child.nodeType === ELEMENT_NODE) {
				walk(child);
			} else if (child.nodeType === COMMENT_NODE) {
				const before = children[i - 1];
				const blankLine =
					before?.nodeType === TEXT_NODE && /\n[ \t]*\n/.test(before.nodeValue ?? '');
				comments.push({ comment: child as Comment, target, blankLine });
			}
		});
	};
	walk(root);
	for (const { comment, target, blankLine } of comments) {
		const data = comment.data;
		comment.parentNode?.removeChild(comment);
		if (!data.startsWith(prefix)) continue;
		const found = attributes[Number(data.slice(prefix.length))];
		if (!found) continue;
		let element = target;
		if (element && (element.nodeName === 'UL' || element.nodeName === 'OL') && !blankLine) {
			element = element.lastElementChild ?? element;
		}
		if (element) {
			for (const [name, value] of Object.entries(found)) element.setAttribute(name, value);
		} else {
			Object.assign(sectionAttributes, found);
		}
	}
	return sectionAttributes;
}

// ---------------------------------------------------------------------------------------
// Citations

const CHANGED_NOTE =
	'Source changed: the cited annotation was edited after this slide quoted it; the quote is as it was when cited.';
const FIGURE_CHANGED_NOTE =
	'Source changed: the cited figure’s annotation was edited after it was placed here.';
const UNAVAILABLE_NOTE = 'source unavailable';
const UNAVAILABLE_QUOTE_NOTE =
	'Source unavailable: the cited annotation was deleted or is hidden; the quote is as it was when cited.';

function safeResolve(resolve: CitationResolver, link: CitationLink): ResolvedCitation | null {
	try {
		return resolve(link) ?? null;
	} catch {
		return null;
	}
}

/** The blockquote a link ends, when the link is alone on the quote's last line. */
function citationQuote(link: Element): Element | null {
	const paragraph = link.parentElement;
	const quote = paragraph?.parentElement;
	if (!paragraph || !quote || paragraph.nodeName !== 'P' || quote.nodeName !== 'BLOCKQUOTE') {
		return null;
	}
	if (quote.lastElementChild !== paragraph) return null;
	for (let node = link.nextSibling; node; node = node.nextSibling) {
		if (node.nodeType !== TEXT_NODE || (node.nodeValue ?? '').trim() !== '') return null;
	}
	// Before the link on its line: only a dash ("— "), after earlier lines of the quote.
	let before = '';
	let earlier = quote.firstElementChild !== paragraph;
	for (let node = link.previousSibling; node; node = node.previousSibling) {
		if (node.nodeName === 'BR') {
			earlier = true;
			break;
		}
		const text = node.textContent ?? '';
		const newline = node.nodeType === TEXT_NODE ? text.lastIndexOf('\n') : -1;
		if (newline >= 0) {
			before = text.slice(newline + 1) + before;
			earlier ||= text.slice(0, newline).trim() !== '' || node.previousSibling !== null;
			break;
		}
		before = text + before;
	}
	if (!earlier || !/^\s*(—|–|--?)?\s*$/.test(before)) return null;
	return quote;
}

function note(document: Document, text: string, tag = 'span'): Element {
	const element = document.createElement(tag);
	element.className = 'citation-note';
	element.textContent = text;
	return element;
}

/** Turns the marked podium: links and images into links to the paper, or marks them. */
function applyCitations(root: Element, resolve: CitationResolver): void {
	const document = root.ownerDocument;
	for (const element of Array.from(root.querySelectorAll(`[${CITE_ATTRIBUTE}]`))) {
		const [kind, id] = (element.getAttribute(CITE_ATTRIBUTE) ?? '').split(':');
		element.removeAttribute(CITE_ATTRIBUTE);
		const link = parsePodiumUrl(`podium:${kind}/${id}`);
		if (!link) continue;
		const found = safeResolve(resolve, link);
		if (element.nodeName === 'IMG') {
			applyImageCitation(document, element, link, found);
		} else if (element.nodeName === 'A') {
			applyLinkCitation(document, element, link, found);
		}
	}
}

function setCitationData(element: Element, link: CitationLink) {
	element.setAttribute('data-citation-kind', link.kind);
	element.setAttribute('data-citation-id', link.id);
}

function applyLinkCitation(
	document: Document,
	element: Element,
	link: CitationLink,
	found: ResolvedCitation | null
) {
	const quote = citationQuote(element);
	let shown: Element = element;
	if (found) {
		element.setAttribute('href', found.href);
		element.classList.add('citation-link');
		setCitationData(element, link);
	} else {
		// The label stays, without a link to follow.
		shown = document.createElement('span');
		shown.className = 'citation-link citation-unavailable';
		setCitationData(shown, link);
		while (element.firstChild) shown.appendChild(element.firstChild);
		element.replaceWith(shown);
	}
	if (quote) {
		quote.classList.add('citation');
		setCitationData(quote, link);
		if (!found) {
			quote.classList.add('citation-unavailable');
			quote.appendChild(note(document, UNAVAILABLE_QUOTE_NOTE, 'p'));
		} else if (found.changed) {
			quote.classList.add('citation-changed');
			quote.appendChild(note(document, CHANGED_NOTE, 'p'));
		}
	} else if (!found) {
		shown.after(' ', note(document, `(${UNAVAILABLE_NOTE})`));
	}
}

function applyImageCitation(
	document: Document,
	element: Element,
	link: CitationLink,
	found: ResolvedCitation | null
) {
	const label = element.getAttribute('alt') ?? '';
	if (!found) {
		const missing = document.createElement('span');
		missing.className = 'citation-figure-missing citation-unavailable';
		setCitationData(missing, link);
		missing.textContent = `${label || 'Cited figure'}: ${UNAVAILABLE_NOTE}`;
		element.replaceWith(missing);
		return;
	}
	const anchor = document.createElement('a');
	anchor.setAttribute('href', found.href);
	anchor.className = 'citation-figure';
	setCitationData(anchor, link);
	element.replaceWith(anchor);
	if (found.imageSrc) {
		element.setAttribute('src', found.imageSrc);
		anchor.appendChild(element);
	} else {
		anchor.textContent = label || 'Cited figure';
	}
	if (found.changed) {
		anchor.classList.add('citation-changed');
		anchor.appendChild(note(document, FIGURE_CHANGED_NOTE));
	}
}

// ---------------------------------------------------------------------------------------
// Slides

/** Links out of the deck open in a new tab; `#/3` links stay reveal.js navigation. */
function fixLinks(fragment: DocumentFragment) {
	for (const anchor of Array.from(fragment.querySelectorAll('a[href]'))) {
		if ((anchor.getAttribute('href') ?? '').trim().startsWith('#')) {
			anchor.removeAttribute('target');
			anchor.removeAttribute('rel');
		} else {
			anchor.setAttribute('target', '_blank');
			anchor.setAttribute('rel', 'noopener noreferrer');
		}
	}
}

/** Image attributes of slide content and of a slide's `<section>` that `ImageUrlMap` rewrites. */
const CONTENT_IMAGE_ATTRIBUTES = ['src', 'data-src'];
const SECTION_IMAGE_ATTRIBUTES = new Set(['data-background-image', 'data-background']);

function mapImages(fragment: DocumentFragment, image: ImageUrlMap) {
	for (const element of Array.from(fragment.querySelectorAll('img'))) {
		for (const name of CONTENT_IMAGE_ATTRIBUTES) {
			const value = element.getAttribute(name);
			if (value !== null) element.setAttribute(name, image(value));
		}
	}
}

let renderCount = 0;

/** Markdown of a slide's content or notes → sanitized HTML and attributes for its section. */
function renderPart(
	markdown: string,
	resolve: CitationResolver,
	image?: ImageUrlMap
): { html: string; sectionAttributes: Record<string, string> } {
	if (markdown.trim() === '') return { html: '', sectionAttributes: {} };
	const tag = `podium-element-${(renderCount++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
	const prepared = markElementComments(markdown, tag);
	// In a wrapper: a comment at the very start of a document would be parsed outside <body>.
	const raw = `<div>${marked.parse(prepared.markdown) as string}</div>`;
	const first = sanitizeToFragment(raw, true);
	const root = first.firstElementChild;
	if (!root) return { html: '', sectionAttributes: {} };
	const sectionAttributes = applyElementComments(root, tag, prepared.attributes);
	applyCitations(root, resolve);
	// Everything added above (attributes, hrefs, images from the resolver) is checked again.
	const second = sanitizeToFragment(root.innerHTML, false);
	fixLinks(second);
	if (image) mapImages(second, image);
	return { html: serialize(second).trim(), sectionAttributes };
}

/**
 * One slide's content (without notes) as sanitized HTML for inside its `<section>`.
 * `resolve` turns `podium:` citations into links to the paper (null: the source is gone).
 */
export function renderSlideHtml(slide: Slide, resolve: CitationResolver): string {
	return renderPart(slide.markdown, resolve).html;
}

/** A slide's speaker notes as sanitized HTML, `''` when it has none. */
export function renderNotesHtml(slide: Slide, resolve: CitationResolver): string {
	return renderPart(slide.notes, resolve).html;
}

/** Attributes as HTML, each checked again with the dialect's allow-list, then `image` applied. */
function attributesHtml(attributes: Record<string, string>, image?: ImageUrlMap): string {
	let html = '';
	for (const [name, value] of Object.entries(attributes)) {
		if (!/^[a-z][a-z0-9-]*$/.test(name)) continue;
		if (!parseAttributes(`${name}="${value.replace(/"/g, "'")}"`).ok) continue;
		const shown = image && SECTION_IMAGE_ATTRIBUTES.has(name) ? image(value) : value;
		html += shown === '' ? ` ${name}` : ` ${name}="${escapeHtml(shown)}"`;
	}
	return html;
}

/** What goes into one slide's `<section>`: its attributes and inner HTML (content, notes). */
export interface SlideSection {
	attributes: Record<string, string>;
	html: string;
}

/**
 * One slide as reveal.js wants it: the `<!-- .slide: -->` attributes (and those of an
 * `.element` comment at the very top, which reveal.js gives the section) and the content,
 * then the notes in `<aside class="notes">`.
 */
export function renderSlideSection(
	slide: Slide,
	resolve: CitationResolver,
	image?: ImageUrlMap
): SlideSection {
	const content = renderPart(slide.markdown, resolve, image);
	const notes = renderPart(slide.notes, resolve, image).html;
	const attributes: Record<string, string> = {};
	for (const [name, value] of Object.entries({
		...content.sectionAttributes,
		...slide.attributes
	})) {
		if (attributeAllowed(name, value) && !fetchesFromElsewhere('section', name, value)) {
			attributes[name] = value;
		}
	}
	return {
		attributes,
		// aria-hidden: reveal.js reads a slide's text to screen readers; the audience must not
		// hear the speaker notes (presenter views read the aside's HTML, not its a11y text).
		html: content.html + (notes ? `<aside class="notes" aria-hidden="true">${notes}</aside>` : '')
	};
}

/** `<section …>…</section>` for one slide. */
export function slideSectionHtml(section: SlideSection, image?: ImageUrlMap): string {
	return `<section${attributesHtml(section.attributes, image)}>${section.html}</section>`;
}

/**
 * The whole deck as reveal.js's slide markup, for inside `<div class="slides">`: one
 * `<section>` per horizontal slide, a stack of `<section>`s inside one when it has vertical
 * slides, slide attributes on the sections, notes in `<aside class="notes">`.
 */
export function renderDeckSections(
	deck: Deck,
	resolve: CitationResolver,
	image?: ImageUrlMap
): string {
	return deck.slides
		.map((stack) => {
			const sections = stack.map((slide) =>
				slideSectionHtml(renderSlideSection(slide, resolve, image), image)
			);
			return stack.length === 1 ? sections[0] : `<section>${sections.join('')}</section>`;
		})
		.join('\n');
}

// ---------------------------------------------------------------------------------------
// Theme CSS, scoped to one element

/** Finds the index after the block that starts at `open` (a "{"), skipping strings and comments. */
function blockEnd(css: string, open: number): number {
	let depth = 0;
	for (let i = open; i < css.length; i++) {
		const char = css[i];
		if (char === '"' || char === "'") {
			i = stringEnd(css, i);
		} else if (char === '/' && css[i + 1] === '*') {
			const end = css.indexOf('*/', i + 2);
			i = end < 0 ? css.length : end + 1;
		} else if (char === '{') {
			depth++;
		} else if (char === '}') {
			depth--;
			if (depth === 0) return i + 1;
		}
	}
	return css.length;
}

function stringEnd(css: string, start: number): number {
	const quote = css[start];
	for (let i = start + 1; i < css.length; i++) {
		if (css[i] === '\\') i++;
		else if (css[i] === quote) return i;
	}
	return css.length;
}

/** Splits at top-level commas (not inside parentheses, brackets or strings). */
function splitSelectors(prelude: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < prelude.length; i++) {
		const char = prelude[i];
		if (char === '"' || char === "'") i = stringEnd(prelude, i);
		else if (char === '(' || char === '[') depth++;
		else if (char === ')' || char === ']') depth--;
		else if (char === ',' && depth === 0) {
			parts.push(prelude.slice(start, i));
			start = i + 1;
		}
	}
	parts.push(prelude.slice(start));
	return parts.map((part) => part.trim()).filter(Boolean);
}

/** One selector moved under `scope` (a class selector); null when it cannot apply there. */
function scopeSelector(selector: string, scope: string): string | null {
	if (/^:root(?![\w-])/.test(selector)) return scope + selector.slice(5);
	// The element with the scope class is also reveal.js's viewport.
	if (/^\.reveal-viewport(?![\w-])/.test(selector)) return scope + selector;
	const page = /^(html|body)((?::not\([^)]*\))?)(?=$|[\s>+~])/.exec(selector);
	if (page) {
		let rest = selector.slice(page[0].length);
		const body = /^\s+body(?=$|[\s>+~])/.exec(rest);
		if (page[1] === 'html' && body) rest = rest.slice(body[0].length);
		return scope + rest;
	}
	// html.reveal-print, html.reveal-full-page, …: modes of a full-page presentation.
	if (/^(html|body)(?![\w-])/.test(selector)) return null;
	return `${scope} ${selector}`;
}

const KEEP_AT_RULES =
	/^@(-webkit-)?(font-face|keyframes|property|counter-style|font-feature-values)\b/i;
const NESTING_AT_RULES = /^@(media|supports|container|layer|document)\b/i;

/**
 * reveal.js CSS (a theme, reveal.css, a highlight style) rewritten to apply only inside the
 * element with class `scopeClass`, which should also be reveal.js's viewport (the embedded
 * presentation's parent, class `reveal-viewport`): `:root` variables and `.reveal-viewport`
 * land on that element, everything else is prefixed with it. Rules for full-page and print
 * modes (`html.reveal-print …`), `@page` and `@import` (themes import web fonts from Google,
 * which the app's CSP refuses; the font stacks fall back) are dropped.
 */
export function scopeRevealCss(css: string, scopeClass: string): string {
	const scope = `.${scopeClass}`;
	let out = '';
	let i = 0;
	while (i < css.length) {
		const char = css[i];
		if (/\s/.test(char)) {
			i++;
			continue;
		}
		if (char === '/' && css[i + 1] === '*') {
			const end = css.indexOf('*/', i + 2);
			i = end < 0 ? css.length : end + 2;
			continue;
		}
		// The prelude runs to "{" or ";" outside strings and parentheses.
		let j = i;
		let depth = 0;
		while (j < css.length) {
			const c = css[j];
			if (c === '"' || c === "'") j = stringEnd(css, j);
			else if (c === '(') depth++;
			else if (c === ')') depth--;
			else if (depth === 0 && (c === '{' || c === ';' || c === '}')) break;
			j++;
		}
		const prelude = css.slice(i, j).trim();
		if (j >= css.length || css[j] === ';' || css[j] === '}') {
			// A statement (@import, @charset, @layer a, b;) or stray text: only @layer is kept.
			if (/^@layer\b/i.test(prelude)) out += `${prelude};`;
			i = j + 1;
			continue;
		}
		const end = blockEnd(css, j);
		const body = css.slice(j + 1, end - 1);
		if (prelude.startsWith('@')) {
			if (KEEP_AT_RULES.test(prelude)) out += `${prelude}{${body}}`;
			else if (NESTING_AT_RULES.test(prelude)) {
				const inner = scopeRevealCss(body, scopeClass);
				if (inner) out += `${prelude}{${inner}}`;
			}
		} else {
			const selectors = splitSelectors(prelude)
				.map((selector) => scopeSelector(selector, scope))
				.filter((selector): selector is string => selector !== null);
			if (selectors.length > 0) out += `${selectors.join(',')}{${body}}`;
		}
		i = end;
	}
	return out;
}
