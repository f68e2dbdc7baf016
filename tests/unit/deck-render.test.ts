import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { isAllowedIframeSrc, parseAttributes, parseDeck, type Slide } from '$lib/decks/dialect';
import {
	renderDeckSections,
	renderNotesHtml,
	renderSlideHtml,
	renderSlideSection,
	scopeRevealCss,
	type CitationLink,
	type CitationResolver,
	type ResolvedCitation
} from '$lib/decks/render';

const fixture = (name: string) => readFileSync(`tests/fixtures/decks/${name}.md.txt`, 'utf8');

/** The first slide of some Markdown. */
function slide(markdown: string): Slide {
	return parseDeck(markdown).slides[0][0];
}

const nothing: CitationResolver = () => null;

function html(markdown: string, resolve: CitationResolver = nothing): string {
	return renderSlideHtml(slide(markdown), resolve);
}

function decode(value: string): string {
	return value
		.replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
		.replace(/&quot;/g, '"')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&nbsp;/g, ' ')
		.replace(/&amp;/g, '&');
}

interface Tag {
	name: string;
	attributes: [string, string][];
}

/** Every start tag of serialized HTML with its attributes (values decoded). */
function tags(output: string): Tag[] {
	const found: Tag[] = [];
	for (const [, name, rest] of output.matchAll(
		/<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g
	)) {
		const attributes: [string, string][] = [];
		for (const [, attribute, value] of rest.matchAll(/\s([^\s=/>]+)(?:="([^"]*)")?/g)) {
			attributes.push([attribute.toLowerCase(), decode(value ?? '')]);
		}
		found.push({ name: name.toLowerCase(), attributes });
	}
	return found;
}

const FORBIDDEN_TAGS = new Set([
	'script',
	'style',
	'object',
	'embed',
	'base',
	'link',
	'meta',
	'form',
	'input',
	'button',
	'textarea',
	'select',
	'foreignobject',
	'template',
	'noscript',
	'section',
	'frame',
	'frameset'
]);

/** Why some rendered HTML could run script or frame a page it should not, or null. */
function executableMarkup(output: string): string | null {
	if (/<!--/.test(output)) return 'a comment survived';
	for (const { name, attributes } of tags(output)) {
		if (FORBIDDEN_TAGS.has(name)) return `<${name}>`;
		for (const [attribute, value] of attributes) {
			const plain = [...value]
				.filter((char) => char.charCodeAt(0) > 0x20 && char !== '\u007f')
				.join('')
				.toLowerCase();
			if (attribute.startsWith('on')) return `${name} ${attribute}`;
			if (['srcdoc', 'formaction', 'action'].includes(attribute)) return `${name} ${attribute}`;
			if (/(javascript|vbscript|livescript):/.test(plain)) return `${name} ${attribute}=${value}`;
			if (/data:(text\/html|application\/xhtml|text\/javascript)/.test(plain)) {
				return `${name} ${attribute}=${value}`;
			}
			if (
				attribute.startsWith('data-') &&
				!parseAttributes(`${attribute}="${value.replace(/"/g, "'")}"`).ok
			) {
				return `${name} ${attribute}=${value} fails the attribute allow-list`;
			}
			if (name === 'iframe' && (attribute === 'src' || attribute === 'data-src')) {
				if (!isAllowedIframeSrc(value)) return `iframe ${attribute}=${value}`;
			}
		}
		if (name === 'iframe' && !attributes.some(([a]) => a === 'src' || a === 'data-src')) {
			return 'iframe without an allowed source';
		}
	}
	return null;
}

describe('renderSlideHtml: Markdown', () => {
	it('renders headings, paragraphs, emphasis and lists', () => {
		const out = html('## The idea\n\nSome *emphasis* and **strong**.\n\n- one\n- two\n\n1. first');
		expect(out).toContain('<h2>The idea</h2>');
		expect(out).toContain('<em>emphasis</em>');
		expect(out).toContain('<strong>strong</strong>');
		expect(out).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
		expect(out).toMatch(/<ol>\s*<li>first<\/li>\s*<\/ol>/);
	});

	it('renders GitHub tables with their alignment', () => {
		const out = html('| Part | Share |\n| --- | ---: |\n| Activations | 71% |');
		expect(out).toMatch(/<th>Part<\/th>/);
		expect(out).toMatch(/<td align="right">71%<\/td>/);
	});

	it('writes fenced code as reveal.js does: language class, line numbers and steps', () => {
		const out = html('```js [1-2|3]\nconst a = 1 < 2;\nconst b = a;\nb;\n```');
		expect(out).toContain(
			'<pre><code class="language-js" data-line-numbers="1-2|3">const a = 1 &lt; 2;\nconst b = a;\nb;</code></pre>'
		);
	});

	it('reads the line-number offset and bare line numbers of the info string', () => {
		expect(html('```python [25: 1,4-8]\nx\n```')).toContain(
			'<code class="language-python" data-line-numbers="1,4-8" data-ln-start-from="25">'
		);
		expect(html('```[]\nplain\n```')).toContain('<code data-line-numbers="">plain</code>');
		expect(html('```\nplain\n```')).toContain('<pre><code>plain</code></pre>');
	});

	it('keeps code as text: HTML and comments inside code do nothing', () => {
		const out = html('```html\n<script>alert(1)</script>\n<!-- .element: class="x" -->\n```');
		expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(out).toContain('&lt;!-- .element: class="x" --&gt;');
		expect(tags(out).flatMap((tag) => tag.attributes)).not.toContainEqual(['class', 'x']);
	});

	it('renders math as MathML without the TeX source as text', () => {
		const out = html('Inline $x^2$ and\n\n$$\n\\frac{n}{k}\n$$');
		expect(out).toMatch(/<math[^>]*><mrow><msup><mi>x<\/mi><mn>2<\/mn><\/msup><\/mrow><\/math>/);
		expect(out).toMatch(/<math[^>]*display="block"[^>]*>.*<mfrac>/s);
		expect(out).not.toContain('x^2');
		expect(out).not.toContain('\\frac');
		expect(out).not.toMatch(/annotation|style=/);
	});

	it('keeps math inert: \\href makes no link', () => {
		const out = html('$\\href{javascript:alert(1)}{x}$');
		expect(out).toContain('<math');
		expect(executableMarkup(out)).toBeNull();
		expect(out).not.toMatch(/<a /);
	});

	it('opens links out of the deck in a new tab and keeps #/ links as slide navigation', () => {
		const out = html('[paper](https://arxiv.org/abs/1) and [back](#/2)');
		expect(out).toContain(
			'<a href="https://arxiv.org/abs/1" target="_blank" rel="noopener noreferrer">paper</a>'
		);
		expect(out).toContain('<a href="#/2">back</a>');
	});

	it('keeps what reveal.js decks use: data-* attributes, classes, styles, images', () => {
		const out = html(
			'<div class="r-stack" data-id="box" style="background: #4a90d9; width: 80px"></div>\n\n' +
				'![plot](images/plot.png) ![inline](data:image/png;base64,iVBORw0KGgo=)\n\n' +
				'<span class="fragment" data-fragment-index="2">later</span>'
		);
		expect(out).toContain(
			'<div class="r-stack" data-id="box" style="background: #4a90d9; width: 80px"></div>'
		);
		expect(out).toContain('<img src="images/plot.png" alt="plot">');
		expect(out).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">');
		expect(out).toContain('<span class="fragment" data-fragment-index="2">later</span>');
	});

	it('renders nothing for an empty slide', () => {
		expect(html('')).toBe('');
		expect(html('\n\n')).toBe('');
	});
});

describe('renderSlideHtml: .element attributes', () => {
	it('gives a paragraph the attributes of the comment at its end', () => {
		const out = html(
			'Thirty percent more. <!-- .element: class="fragment" data-fragment-index="1" -->'
		);
		expect(out).toMatch(/<p class="fragment" data-fragment-index="1">Thirty percent more. ?<\/p>/);
	});

	it('gives a list item the attributes of a comment inside it', () => {
		const out = html('- one <!-- .element: class="fragment" -->\n- two');
		expect(out).toMatch(/<li class="fragment">one ?<\/li>\s*<li>two<\/li>/);
	});

	it('gives the element before the comment its attributes, as reveal.js does', () => {
		const out = html('![Memory](images/results.png) <!-- .element: class="r-stretch" -->');
		expect(out).toContain('<img src="images/results.png" alt="Memory" class="r-stretch">');
	});

	it('gives a comment right under a list to its last item, after a blank line to the list', () => {
		expect(html('- a\n- b\n<!-- .element: class="fragment" -->')).toMatch(
			/<ul>\s*<li>a<\/li>\s*<li class="fragment">b<\/li>\s*<\/ul>/
		);
		expect(html('- a\n- b\n\n<!-- .element: class="fragment" -->')).toMatch(
			/<ul class="fragment">\s*<li>a<\/li>\s*<li>b<\/li>\s*<\/ul>/
		);
	});

	it('gives a comment at the very top of a slide to the slide section', () => {
		const section = renderSlideSection(
			slide('<!-- .element: data-background-color="#000" -->\n\n## Dark'),
			nothing
		);
		expect(section.attributes).toEqual({ 'data-background-color': '#000' });
		expect(section.html).toBe('<h2>Dark</h2>');
	});

	it('ignores comments that fail the attribute checks', () => {
		for (const comment of [
			'<!-- .element: onclick="alert(1)" -->',
			'<!-- .element: class="a" onmouseover="alert(1)" -->',
			'<!-- .element: data-src="javascript:alert(1)" -->',
			'<!-- .element: style="background:url(javascript:alert(1))" -->',
			'<!-- .element: data-markdown="https://evil.example/x.md" -->',
			"<!-- .element: class='single' -->"
		]) {
			const out = html(`Text ${comment}`);
			expect(out, comment).toMatch(/^<p>Text ?<\/p>$/);
		}
	});

	it('drops all comments from the output', () => {
		const out = html('<!-- a note to self -->\n\nText <!-- .element: class="x" --> <!-- other -->');
		expect(out).not.toContain('<!--');
		expect(out).not.toContain('note to self');
		expect(out).toContain('class="x"');
	});
});

describe('renderSlideHtml: citations', () => {
	const quote =
		'> Activation checkpointing stores only a subset of activations.\n' +
		'> — [Study Notes, p. 2](podium:annotation/k3j9x2mfq7h4tz8wab5rc6dn)';

	it('asks the resolver about each citation by kind and id', () => {
		const resolve = vi.fn<(link: CitationLink) => ResolvedCitation | null>(() => null);
		html(`${quote}\n\n![Figure 3, p. 7](podium:figure/r7p2m4qx9vt6bz3hnc8wkd5e)`, resolve);
		expect(resolve.mock.calls.map(([link]) => link)).toEqual([
			{ kind: 'annotation', id: 'k3j9x2mfq7h4tz8wab5rc6dn' },
			{ kind: 'figure', id: 'r7p2m4qx9vt6bz3hnc8wkd5e' }
		]);
	});

	it('turns a quoted annotation into a citation linking to the paper', () => {
		const out = html(quote, () => ({ href: '/courses/c/papers/p#annotation-k3' }));
		expect(out).toMatch(
			/<blockquote class="citation"[^>]*data-citation-id="k3j9x2mfq7h4tz8wab5rc6dn"/
		);
		expect(out).toContain('Activation checkpointing stores only a subset of activations.');
		expect(out).toMatch(
			/<a href="\/courses\/c\/papers\/p#annotation-k3" class="citation-link"[^>]*>Study Notes, p\. 2<\/a>/
		);
		expect(out).not.toMatch(/source changed|unavailable/i);
		expect(out).not.toContain('podium:');
	});

	it('says the source changed when the cited annotation was edited after the quote', () => {
		const out = html(quote, () => ({ href: '/p#a', changed: true }));
		expect(out).toMatch(/<blockquote class="citation citation-changed"/);
		expect(out).toMatch(
			/<p class="citation-note">Source changed: the cited annotation was edited[^<]*the quote is as it was when cited\.<\/p>\s*<\/blockquote>/
		);
		expect(out).toContain('Activation checkpointing stores only a subset of activations.');
	});

	it('keeps the quote of an unavailable source and marks it "source unavailable"', () => {
		const out = html(quote, nothing);
		expect(out).toMatch(/<blockquote class="citation citation-unavailable"/);
		expect(out).toContain('Activation checkpointing stores only a subset of activations.');
		expect(out).toMatch(
			/<span class="citation-link citation-unavailable"[^>]*>Study Notes, p\. 2<\/span>/
		);
		expect(out).toMatch(
			/class="citation-note">Source unavailable: the cited annotation was deleted or is hidden; the quote is as it was when cited\./
		);
		expect(out).not.toContain('podium:');
		expect(out).not.toMatch(/<a /);
	});

	it('marks a plain citation link whose source is gone, keeping its text', () => {
		const out = html('See [the appendix](podium:annotation/a1b2) too.', nothing);
		expect(out).toMatch(
			/See <span class="citation-link citation-unavailable"[^>]*>the appendix<\/span> <span class="citation-note">\(source unavailable\)<\/span> too\./
		);
		expect(out).not.toMatch(/<blockquote/);
	});

	it('does not make a citation of a quote whose link is not on its own last line', () => {
		const out = html('> The claim, see [notes](podium:annotation/k3) for more.', () => ({
			href: '/p'
		}));
		expect(out).toMatch(/<blockquote>/);
		expect(out).toMatch(/<a href="\/p" class="citation-link"/);
	});

	it('shows a cited figure as its image, linked to the paper', () => {
		const out = html('![Figure 3, p. 7](podium:figure/r7p2)', () => ({
			href: '/papers/p#annotation-r7p2',
			imageSrc: '/files/abc123'
		}));
		expect(out).toMatch(
			/<a href="\/papers\/p#annotation-r7p2" class="citation-figure"[^>]*><img alt="Figure 3, p\. 7" src="\/files\/abc123"><\/a>/
		);
	});

	it('notes a changed figure and marks a figure whose source is gone', () => {
		expect(
			html('![Fig](podium:figure/r7)', () => ({ href: '/p', imageSrc: '/f', changed: true }))
		).toMatch(
			/class="citation-figure citation-changed".*<span class="citation-note">Source changed: the cited figure/
		);
		const gone = html('![Figure 3, p. 7](podium:figure/r7)', nothing);
		expect(gone).toMatch(
			/<span class="citation-figure-missing citation-unavailable"[^>]*>Figure 3, p\. 7: source unavailable<\/span>/
		);
		expect(gone).not.toMatch(/<img/);
	});

	it('checks what the resolver returns like anything else', () => {
		const out = html(`${quote}\n\n![Fig](podium:figure/r7)`, (link) =>
			link.kind === 'figure'
				? { href: 'javascript:alert(1)', imageSrc: 'data:text/html,<script>alert(1)</script>' }
				: { href: 'javascript:alert(2)' }
		);
		expect(executableMarkup(out)).toBeNull();
		expect(out).not.toContain('alert');
	});

	it('treats a resolver that throws as an unavailable source', () => {
		const out = html(quote, () => {
			throw new Error('database down');
		});
		expect(out).toMatch(/citation-unavailable/);
	});

	it('leaves podium: text in code alone', () => {
		const resolve = vi.fn(nothing);
		const out = html('`podium:annotation/x` and\n\n```\n[a](podium:annotation/y)\n```', resolve);
		expect(resolve).not.toHaveBeenCalled();
		expect(out).toContain('<code>podium:annotation/x</code>');
	});
});

describe('renderSlideHtml: iframes', () => {
	it('keeps YouTube and Vimeo embeds', () => {
		const out = html(
			'<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" allowfullscreen></iframe>\n\n' +
				'<iframe data-src="https://player.vimeo.com/video/76979871"></iframe>'
		);
		expect(out).toMatch(
			/<iframe width="560" height="315" src="https:\/\/www\.youtube\.com\/embed\/dQw4w9WgXcQ" allowfullscreen(="")?><\/iframe>/
		);
		expect(out).toContain('<iframe data-src="https://player.vimeo.com/video/76979871"></iframe>');
	});

	it.each([
		'<iframe src="https://evil.example/embed/x"></iframe>',
		'<iframe src="http://www.youtube.com/embed/x"></iframe>',
		'<iframe src="https://www.youtube.com/watch?v=x"></iframe>',
		'<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
		'<iframe src="javascript:alert(1)"></iframe>',
		'<iframe srcdoc="<script>alert(1)</script>"></iframe>',
		'<iframe data-src="https://evil.example/embed/x"></iframe>',
		'<iframe src="https://www.youtube.com/embed/x" data-src="https://evil.example/x"></iframe>',
		'<iframe></iframe>'
	])('refuses %s', (source) => {
		const out = html(`Before\n\n${source}\n\nAfter`);
		expect(out).not.toContain('<iframe');
		expect(out).toContain('Before');
		expect(out).toContain('After');
	});
});

describe('renderSlideHtml: nothing that runs script', () => {
	it.each([
		'<script>alert(1)</script>',
		'<script src="https://evil.example/x.js"></script>',
		'<img src="x.png" onerror="alert(1)">',
		'<img src=x onerror=alert(1)//>',
		'<p onclick="alert(1)">click</p>',
		'<details open ontoggle="alert(1)">x</details>',
		'[click](javascript:alert(1))',
		'[click](JaVaScRiPt:alert(1))',
		'[click](jav&#x09;ascript:alert(1))',
		'![x](javascript:alert(1))',
		'<a href="javascript:alert(1)">x</a>',
		'<a href=" &#14; javascript:alert(1)">x</a>',
		'<img src="javascript:alert(1)">',
		'<img src="data:text/html,<script>alert(1)</script>">',
		'<svg onload="alert(1)"><circle r="2"/></svg>',
		'<svg><script>alert(1)</script></svg>',
		'<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
		'<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>"/></svg>',
		'<svg><animate onbegin="alert(1)" attributeName="x"/></svg>',
		'<math><mtext><img src=x onerror=alert(1)></mtext></math>',
		'<math href="javascript:alert(1)"><mi>x</mi></math>',
		'<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
		'<object data="data:text/html,<script>alert(1)</script>"></object>',
		'<embed src="https://evil.example/x.swf">',
		'<form action="javascript:alert(1)"><button>go</button></form>',
		'<button formaction="javascript:alert(1)">go</button>',
		'<style>body { display: none }</style>',
		'<link rel="stylesheet" href="https://evil.example/x.css">',
		'<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
		'<base href="https://evil.example/">',
		'<div style="background:url(javascript:alert(1))">x</div>',
		'<div style="width: expression(alert(1))">x</div>',
		'<div data-background-iframe="javascript:alert(1)">x</div>',
		'<section data-background-iframe="https://evil.example/">x</section>',
		'<a data-preview-link="javascript:alert(1)" href="#">x</a>',
		'<div data-src="javascript:alert(1)">x</div>',
		'<div data-markdown="https://evil.example/x.md">x</div>',
		'<div data-state="a b" data-background-video="data:text/html,x">x</div>',
		'Text <!-- .element: onclick="alert(1)" -->',
		'Text <!-- .element: data-background-iframe="javascript:alert(1)" -->',
		'<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
		'<template><script>alert(1)</script></template>',
		'<!--><img src=x onerror=alert(1)>-->',
		'<a href="https://ok.example" target="_blank" onmouseover="alert(1)">ok</a>'
	])('%s becomes inert', (source) => {
		const out = html(`Before\n\n${source}\n\nAfter`);
		expect(executableMarkup(out)).toBeNull();
		expect(out).not.toMatch(/alert\(/);
	});

	it('the checker itself finds executable markup', () => {
		expect(executableMarkup('<img src="x" onerror="alert(1)">')).not.toBeNull();
		expect(executableMarkup('<a href="java&#x09;script:alert(1)">x</a>')).not.toBeNull();
		expect(executableMarkup('<iframe src="https://evil.example/"></iframe>')).not.toBeNull();
		expect(
			executableMarkup('<div data-background-iframe="https://evil.example/"></div>')
		).not.toBeNull();
		expect(executableMarkup('<p class="ok">fine</p>')).toBeNull();
	});

	it('sanitizes speaker notes the same way', () => {
		const notes = renderNotesHtml(
			slide('## Slide\n\nNote:\nSay *this* <img src=x onerror=alert(1)> [x](javascript:alert(1))'),
			nothing
		);
		expect(notes).toContain('<em>this</em>');
		expect(executableMarkup(notes)).toBeNull();
	});
});

/** The top-level tags of an HTML string, with their nesting: "section[section,section]". */
function sectionTree(output: string): string[] {
	const tree: string[] = [];
	const stack: string[][] = [tree];
	for (const [, close, name] of output.matchAll(/<(\/?)(section|aside)\b[^>]*>/g)) {
		if (close) {
			const children = stack.pop()!;
			const parent = stack[stack.length - 1];
			const last = parent.length - 1;
			if (children.length > 0) parent[last] += `[${children.join(',')}]`;
		} else {
			stack[stack.length - 1].push(name);
			stack.push([]);
		}
	}
	return tree;
}

describe('renderDeckSections', () => {
	it('nests vertical slides in a stack and puts notes in aside.notes', () => {
		const out = renderDeckSections(parseDeck(fixture('compact')), nothing);
		expect(sectionTree(out)).toEqual(['section', 'section[section,section[aside]]', 'section']);
		expect(out).toMatch(
			/<section><h2>Slide 2\.1<\/h2><aside class="notes" aria-hidden="true"><p>written the short way<\/p><\/aside><\/section><\/section>/
		);
		expect(out).toContain(
			'<a href="https://hakim.se" target="_blank" rel="noopener noreferrer">link</a>'
		);
	});

	it('puts .slide attributes on the sections', () => {
		const out = renderDeckSections(parseDeck(fixture('conference-talk')), nothing);
		const sections = tags(out).filter((tag) => tag.name === 'section');
		const attributesOf = (i: number) => Object.fromEntries(sections[i].attributes);
		expect(attributesOf(0)).toEqual({
			'data-background-color': '#1b1f3b',
			class: 'title-slide'
		});
		expect(out).toContain('<section data-visibility="hidden"><h2>Backup: measured profile</h2>');
		expect(out).toMatch(/<section data-auto-animate><h2>Checkpointing<\/h2>/);
		expect(out).toContain(
			'<section data-background-iframe="https://www.youtube.com/embed/dQw4w9WgXcQ" data-background-interactive><h2>Demo</h2></section>'
		);
		expect(out).toMatch(
			/<section data-background-image="images\/memory-curve\.png" data-background-size="contain"><\/section>/
		);
		// 12 horizontal slides, two of them stacks of 3 and 2.
		expect(sectionTree(out).length).toBe(12);
		expect(sectionTree(out)[2]).toBe('section[section[aside],section,section]');
		expect(executableMarkup(out.replace(/<\/?section[^>]*>/g, ''))).toBeNull();
	});

	it('keeps a deck written for plain reveal.js whole: notes, front matter left out', () => {
		const out = renderDeckSections(parseDeck(fixture('reveal-md')), nothing);
		expect(sectionTree(out)).toEqual(['section', 'section[aside]']);
		expect(out).not.toContain('revealOptions');
		expect(out).toContain(
			'<aside class="notes" aria-hidden="true"><p>from a reveal-md deck</p></aside>'
		);
	});

	it('resolves citations on every slide', () => {
		const seen: string[] = [];
		const out = renderDeckSections(parseDeck(fixture('podium-citations')), (link) => {
			seen.push(`${link.kind}/${link.id}`);
			return link.id.startsWith('k3') ? { href: '/p#k3', changed: true } : null;
		});
		expect(seen).toEqual([
			'annotation/k3j9x2mfq7h4tz8wab5rc6dn',
			'figure/r7p2m4qx9vt6bz3hnc8wkd5e',
			'annotation/h2w8c5nq3rz7xm4kdt9bv6fp',
			'annotation/a1b2c3d4e5f6g7h8j9k0m1n2'
		]);
		expect(out).toMatch(/citation-changed/);
		expect(out).toMatch(/citation-unavailable/);
		expect(out).not.toMatch(/href="podium:|src="podium:/);
	});

	it('never writes a slide attribute that fails the checks', () => {
		const deck = parseDeck('## A\n---\n## B');
		deck.slides[1][0].attributes = {
			'data-background-iframe': 'javascript:alert(1)',
			onclick: 'alert(1)',
			'data-state': 'ok'
		};
		const out = renderDeckSections(deck, nothing);
		expect(out).toContain('<section data-state="ok"><h2>B</h2></section>');
		expect(out).not.toContain('alert');
	});
});

describe('scopeRevealCss', () => {
	it('moves :root variables and .reveal-viewport onto the scope element', () => {
		expect(scopeRevealCss(':root{--r-main-color:#fff}.reveal-viewport{background:#000}', 'p')).toBe(
			'.p{--r-main-color:#fff}.p.reveal-viewport{background:#000}'
		);
	});

	it('prefixes every other selector, in lists too', () => {
		expect(
			scopeRevealCss('.reveal h1,.reveal h2{color:red}section.has-dark-background{color:#fff}', 'p')
		).toBe('.p .reveal h1,.p .reveal h2{color:red}.p section.has-dark-background{color:#fff}');
	});

	it('drops @import, @page and full-page or print-mode rules; scopes inside @media', () => {
		const css =
			'@import "https://fonts.googleapis.com/css?family=Lato";' +
			'@page{size:1280px 720px}' +
			'html.reveal-print .reveal{overflow:visible}' +
			'html.reveal-full-page{width:100%}' +
			'@media print{html:not(.print-pdf) body{margin:0}.backgrounds{background:#000}}';
		expect(scopeRevealCss(css, 'p')).toBe(
			'@media print{.p{margin:0}.p .backgrounds{background:#000}}'
		);
	});

	it('keeps @font-face and @keyframes as they are, data URLs included', () => {
		const css =
			'@font-face{font-family:X;src:url(data:font/woff;base64,AB{C};D)format("woff")}' +
			'@keyframes fade{0%{opacity:0}to{opacity:1}}.a{b:c}';
		expect(scopeRevealCss(css, 'p')).toBe(
			'@font-face{font-family:X;src:url(data:font/woff;base64,AB{C};D)format("woff")}' +
				'@keyframes fade{0%{opacity:0}to{opacity:1}}.p .a{b:c}'
		);
	});

	it('leaves no rule of a real theme outside the scope', () => {
		const css = [
			readFileSync('node_modules/reveal.js/dist/reveal.css', 'utf8'),
			readFileSync('node_modules/reveal.js/dist/theme/simple.css', 'utf8')
		].join('\n');
		const scoped = scopeRevealCss(css, 'scope');
		expect(scoped).not.toContain('@import');
		expect(scoped).not.toContain('googleapis');
		expect(scoped).toContain('.scope{--r-background:#2b2b2b;--r-background-color:#fff;');
		// Every selector outside @font-face / @keyframes starts with the scope.
		const outside = scoped
			.replace(/@font-face\{[^}]*\}/g, '')
			.replace(/@(-webkit-)?keyframes[^{]*\{(?:[^{}]*\{[^}]*\})*\s*\}/g, '');
		const selectors = [...outside.matchAll(/(?:^|[}{])\s*([^{}@]+)\{/g)]
			.flatMap((m) => m[1].split(','))
			.map((s) => s.trim())
			.filter((s) => s && !/^(from|to|\d+%)$/.test(s));
		expect(selectors.length).toBeGreaterThan(100);
		expect(selectors.filter((s) => !s.startsWith('.scope'))).toEqual([]);
	});
});
