import { describe, expect, it } from 'vitest';
import { parseDeck } from '$lib/decks/dialect';
import { renderDeckSections } from '$lib/decks/render';
import {
	EXPORT_REVEAL_OPTIONS,
	exportFilename,
	isExportFormat,
	parseDeckImageUrl,
	printRevealOptions,
	standaloneDeckHtml,
	withoutImports,
	type StandaloneDeck
} from '$lib/decks/export';

const ORIGIN = 'https://podium.example.edu';
const SHA = 'a'.repeat(64);
const IMAGE = `/courses/c1/lectures/l1/deck/images/${SHA}`;

describe('exportFilename', () => {
	it('names the lecture by number and title, ASCII and lowercase', () => {
		expect(exportFilename({ number: 4, title: 'Parallelism II' }, 'html')).toBe(
			'lecture-4-parallelism-ii.html'
		);
		expect(
			exportFilename({ number: 12, title: '  Über   "Attention" / FlashAttention! ' }, 'md')
		).toBe('lecture-12-uber-attention-flashattention.md');
		expect(exportFilename({ number: 1, title: '注意' }, 'html')).toBe('lecture-1.html');
		const long = exportFilename({ number: 2, title: 'word '.repeat(40) }, 'md');
		expect(long.length).toBeLessThanOrEqual('lecture-2-'.length + 60 + '.md'.length);
		expect(long).toMatch(/^lecture-2-[a-z-]+[a-z]\.md$/);
	});

	it('knows its formats', () => {
		expect(isExportFormat('html')).toBe(true);
		expect(isExportFormat('md')).toBe(true);
		expect(isExportFormat('pdf')).toBe(false);
		expect(isExportFormat(null)).toBe(false);
	});
});

describe('withoutImports', () => {
	it("drops a theme's leading @imports of web fonts and keeps everything else", () => {
		const css = [
			'@charset "utf-8";',
			'/* fonts */',
			'@import "https://fonts.googleapis.com/css?family=Lato:400,700";',
			'@import url(https://fonts.googleapis.com/css?family=News+Cycle:400,700) screen;',
			':root{--r-main-font:Lato, sans-serif}',
			'.reveal{content:"@import \'x\';"}'
		].join('\n');
		const out = withoutImports(css);
		expect(out).not.toContain('googleapis');
		expect(out).toContain('@charset "utf-8";');
		expect(out).toContain(':root{--r-main-font:Lato, sans-serif}');
		expect(out).toContain('.reveal{content:"@import \'x\';"}');
	});

	it('leaves CSS without imports as it is', () => {
		const css = '.reveal h1{color:red}\n@media print{.reveal{color:black}}';
		expect(withoutImports(css)).toBe(css);
	});
});

describe('parseDeckImageUrl', () => {
	it("reads a deck image's course, lecture and hash, relative or on the same origin", () => {
		const expected = { courseId: 'c1', lectureId: 'l1', sha256: SHA };
		expect(parseDeckImageUrl(IMAGE, ORIGIN)).toEqual(expected);
		expect(parseDeckImageUrl(`${ORIGIN}${IMAGE}`, ORIGIN)).toEqual(expected);
	});

	it('refuses other origins, other paths, query strings and malformed hashes', () => {
		expect(parseDeckImageUrl(`https://elsewhere.example${IMAGE}`, ORIGIN)).toBeNull();
		expect(parseDeckImageUrl(`${IMAGE}?x=1`, ORIGIN)).toBeNull();
		expect(parseDeckImageUrl(IMAGE.replace(SHA, 'A'.repeat(64)), ORIGIN)).toBeNull();
		expect(parseDeckImageUrl(IMAGE.replace(SHA, 'abc'), ORIGIN)).toBeNull();
		expect(parseDeckImageUrl(`/courses/c1/papers/p1/file/${SHA}`, ORIGIN)).toBeNull();
		expect(parseDeckImageUrl('data:image/png;base64,AAAA', ORIGIN)).toBeNull();
	});
});

describe('print options', () => {
	it('make one page per slide at the slide size, notes on pages of their own when asked', () => {
		const plain = printRevealOptions(false);
		expect(plain).toMatchObject({
			view: 'print',
			margin: 0,
			pdfMaxPagesPerSlide: 1,
			pdfSeparateFragments: false,
			showNotes: false,
			width: EXPORT_REVEAL_OPTIONS.width,
			height: EXPORT_REVEAL_OPTIONS.height
		});
		expect(printRevealOptions(true).showNotes).toBe('separate-page');
	});
});

describe('rendering with an image map', () => {
	it("swaps the deck's image URLs in <img> and slide backgrounds, and nothing else", () => {
		const data = 'data:image/png;base64,' + 'QUJD'.repeat(1000);
		const source = [
			`<!-- .slide: data-background-image="${IMAGE}" -->`,
			'',
			`![diagram](${IMAGE})`,
			'',
			'![elsewhere](/static/other.png)',
			'',
			`\`${IMAGE}\``
		].join('\n');
		const html = renderDeckSections(
			parseDeck(source),
			() => null,
			(url) => (url === IMAGE ? data : url)
		);
		expect(html).toMatch(new RegExp(`^<section data-background-image="${data}">`));
		expect([...html.matchAll(/<img [^>]*src="([^"]*)"/g)].map((m) => m[1])).toEqual([
			data,
			'/static/other.png'
		]);
		// Code that shows the URL still shows the URL.
		expect(html).toContain(`<code>${IMAGE}</code>`);
		// Without a map, nothing changes.
		expect(renderDeckSections(parseDeck(source), () => null)).not.toContain('data:image');
	});
});

describe('standaloneDeckHtml', () => {
	const deck: StandaloneDeck = {
		title: 'Lecture 4: <Parallelism> & more',
		styles: ['.reveal{color:red}', '.x{content:"</STYLE><img src=x onerror=alert(1)>"}'],
		scripts: ['data:text/javascript;base64,d2luZG93LlJldmVhbD0x'],
		sections: '<section><h2>One</h2></section>\n<section><h2>Two</h2></section>',
		plugins: ['RevealHighlight', 'alert(1)'],
		options: { width: 1280, height: 720, hash: true, title: '</script><script>alert(1)' }
	};

	/** The text of each `<tag>…</tag>` element, in order. */
	const elements = (html: string, tag: string) =>
		[...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => ({
			attributes: m[1],
			text: m[2]
		}));

	it('is one document: styles, slides, scripts, then Reveal.initialize with the options', () => {
		const html = standaloneDeckHtml(deck);
		expect(elements(html, 'title')[0].text).toBe('Lecture 4: &lt;Parallelism&gt; &amp; more');
		expect(html).toContain(`<div class="slides">\n${deck.sections}\n</div>`);
		const styles = elements(html, 'style');
		expect(styles).toHaveLength(2);
		expect(styles[0].text).toContain('.reveal{color:red}');
		// A style cannot be ended early from inside: the image stays text of the style.
		expect(styles[1].text).toContain('<\\/STYLE><img src=x onerror=alert(1)>');
		const scripts = elements(html, 'script');
		expect(scripts.map((s) => s.attributes)).toEqual([` src="${deck.scripts[0]}"`, '']);
		const init = scripts[1].text;
		expect(init).toContain('Reveal.initialize(');
		expect(init).toContain('plugins: [RevealHighlight]');
		expect(init).not.toContain('alert(1)]');
		expect(html).not.toMatch(/<link\b/);
		expect(html.indexOf('</section>')).toBeLessThan(html.indexOf('<script'));
	});

	it('runs: the init script passes the options, unharmed, to Reveal.initialize', () => {
		const html = standaloneDeckHtml(deck);
		const init = elements(html, 'script')[1].text;
		let received: unknown;
		const Reveal = { initialize: (options: unknown) => (received = options) };
		const RevealHighlight = { id: 'highlight' };
		new Function('Reveal', 'RevealHighlight', init)(Reveal, RevealHighlight);
		expect(received).toEqual({ ...deck.options, plugins: [RevealHighlight] });
	});
});
