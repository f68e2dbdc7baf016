import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '$lib/server/markdown';

/** Every attribute of every element in the HTML, as "tag attr" pairs. */
function attributes(html: string): string[] {
	const found: string[] = [];
	for (const [, tag, attrs] of html.matchAll(/<([a-z0-9]+)([^>]*)>/gi)) {
		for (const [, name] of attrs.matchAll(/\s([^\s=/>]+)/g)) found.push(`${tag} ${name}`);
	}
	return found;
}

describe('renderMarkdown', () => {
	it('renders Markdown', () => {
		const html = renderMarkdown(
			'# Title\n\nSome *emphasis*, **strong** and `code`.\n\n- one\n- two'
		);
		expect(html).toContain('<h1>Title</h1>');
		expect(html).toContain('<em>emphasis</em>');
		expect(html).toContain('<strong>strong</strong>');
		expect(html).toContain('<code>code</code>');
		expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
	});

	it('keeps GitHub tables', () => {
		const html = renderMarkdown('| Part | Weight |\n| --- | ---: |\n| Presentation | 70 % |');
		expect(html).toMatch(/<table>/);
		expect(html).toMatch(/<th>Part<\/th>/);
		expect(html).toMatch(/<td[^>]*>Presentation<\/td>/);
		expect(html).toMatch(/<td[^>]*>70 %<\/td>/);
	});

	it('keeps links, opening them in a new tab without opener or referrer', () => {
		const html = renderMarkdown('Read [the paper](https://arxiv.org/abs/1706.03762).');
		const link = /<a [^>]*>the paper<\/a>/.exec(html)?.[0];
		expect(link).toBeDefined();
		expect(link).toContain('href="https://arxiv.org/abs/1706.03762"');
		expect(link).toContain('target="_blank"');
		expect(link).toMatch(/rel="[^"]*\bnoopener\b[^"]*"/);
		expect(link).toMatch(/rel="[^"]*\bnoreferrer\b[^"]*"/);
	});

	it('removes <script> and its content', () => {
		const html = renderMarkdown(
			'Before <script>alert("x")</script> after\n\n<script src="/x.js"></script>'
		);
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toContain('alert');
		expect(html).toContain('Before');
		expect(html).toContain('after');
	});

	it.each([
		'<img src="x.png" onerror="alert(1)">',
		'<p onclick="alert(1)">text</p>',
		'<a href="https://example.org" onmouseover="alert(1)">x</a>',
		'<div onload=alert(1)>x</div>',
		'<details open ontoggle="alert(1)">x</details>'
	])('removes event handlers from %s', (source) => {
		const html = renderMarkdown(source);
		expect(attributes(html).filter((a) => / on/i.test(a))).toEqual([]);
		expect(html).not.toContain('alert');
	});

	it.each([
		'[click](javascript:alert(1))',
		'<a href="javascript:alert(1)">click</a>',
		'<a href="JaVaScRiPt:alert(1)">click</a>',
		'<a href=" javascript:alert(1)">click</a>',
		'[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'
	])('removes the script link in %s', (source) => {
		const html = renderMarkdown(source);
		expect(html).not.toMatch(/javascript:/i);
		expect(html).not.toMatch(/href="data:/i);
		expect(html).toContain('click');
	});

	it('removes SVG and MathML tricks', () => {
		const html = renderMarkdown(
			'<svg onload="alert(1)"><circle r="1"/></svg>\n\n<math><mi xlink:href="javascript:alert(1)">x</mi></math>\n\n<svg><a href="javascript:alert(2)"><text>t</text></a></svg>'
		);
		expect(html).not.toMatch(/onload/i);
		expect(html).not.toMatch(/javascript:/i);
		expect(html).not.toContain('alert');
	});

	it.each([
		['<iframe src="https://example.org"></iframe>', /<iframe/i],
		['<object data="x.swf"></object>', /<object/i],
		['<embed src="x.swf">', /<embed/i],
		['<form action="/logout"><button>Go</button></form>', /<form|<button/i],
		['<style>body { display: none }</style>', /<style/i],
		['<p style="position:fixed">x</p>', /style=/i],
		['<meta http-equiv="refresh" content="0;url=https://evil.example">', /<meta/i]
	])('removes %s', (source, forbidden) => {
		expect(renderMarkdown(source)).not.toMatch(forbidden);
	});

	it('escapes what it does not render', () => {
		const html = renderMarkdown('1 < 2 and `<b>code</b>`');
		expect(html).toContain('1 &lt; 2');
		expect(html).toContain('<code>&lt;b&gt;code&lt;/b&gt;</code>');
	});

	it('renders $math$ and $$display math$$ as MathML', () => {
		const html = renderMarkdown('Memory grows as $O(\\sqrt{n})$.\n\n$$\\sum_{i=1}^{n} x_i$$');
		expect(html).toMatch(/<math[^>]*>/);
		expect(html).toContain('<msqrt>');
		expect(html).toMatch(/<math[^>]*display="block"/);
		expect(html).not.toContain('$');
	});

	it('keeps KaTeX from making links or expanding macros without bound', () => {
		const link = renderMarkdown(
			'$\\href{javascript:alert(1)}{x}$ and $\\url{javascript:alert(2)}$'
		);
		// Shown as text at most, never as a link target.
		expect(link).not.toMatch(/href\s*=/i);
		expect(link).not.toMatch(/<a /);
		const bomb = renderMarkdown(
			'$\\def\\a{\\b\\b}\\def\\b{\\c\\c}\\def\\c{\\d\\d}\\def\\d{xxxxxxxx}\\a\\a\\a\\a\\a\\a\\a\\a\\a\\a$'
		);
		expect(bomb.length).toBeLessThan(50_000);
	});

	it('does not show the TeX source next to the rendered formula', () => {
		const html = renderMarkdown('Peak memory $x^2 + y$ here');
		expect(html).toContain('<msup>');
		expect(html).not.toContain('x^2');
	});
});
