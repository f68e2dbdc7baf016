import { describe, expect, it } from 'vitest';
import { fetchesFromElsewhere, isOffOrigin } from '$lib/resource-urls';
import { renderMarkdown } from '$lib/server/markdown';
import { parseDeck } from '$lib/decks/dialect';
import { renderSlideSection, slideSectionHtml } from '$lib/decks/render';
import { XSS_HOST, XSS_PAYLOADS } from '../fixtures/xss-payloads';

describe('isOffOrigin', () => {
	it.each([
		['http://xss.invalid/a.png', true],
		['HTTPS://example.org/a.png', true],
		['//example.org/a.png', true],
		['\\\\example.org/a.png', true],
		[' \thttp://example.org/', true],
		['ftp://example.org/a', true],
		['data:text/html,x', true],
		['data:image/svg+xml,<svg/>', true],
		['data:image/png;base64,AAAA', false],
		['/courses/c/lectures/l/deck/images/abc', false],
		['img/bg.jpg', false],
		['#/2', false]
	])('%s: %s', (url, off) => {
		expect(isOffOrigin(url)).toBe(off);
	});
});

describe('fetchesFromElsewhere', () => {
	it('looks at what the browser or reveal.js loads without a click', () => {
		expect(fetchesFromElsewhere('img', 'src', 'http://x.example/a.png')).toBe(true);
		expect(fetchesFromElsewhere('img', 'srcset', '/a.png 1x, //x.example/b.png 2x')).toBe(true);
		expect(fetchesFromElsewhere('video', 'poster', 'https://x.example/p.jpg')).toBe(true);
		expect(fetchesFromElsewhere('section', 'data-background-video', 'https://x.example/v')).toBe(
			true
		);
		expect(fetchesFromElsewhere('p', 'style', 'color:red;background:url("//x.example/b")')).toBe(
			true
		);
		expect(fetchesFromElsewhere('image', 'href', 'https://x.example/i.png')).toBe(true);
		expect(fetchesFromElsewhere('use', 'xlink:href', 'https://x.example/s.svg#a')).toBe(true);
	});

	it('leaves links, the app’s own files and embed iframes (checked elsewhere) alone', () => {
		expect(fetchesFromElsewhere('a', 'href', 'https://arxiv.org/abs/1')).toBe(false);
		expect(fetchesFromElsewhere('img', 'src', '/courses/c/lectures/l/deck/images/ab')).toBe(false);
		expect(fetchesFromElsewhere('img', 'src', 'data:image/png;base64,AAAA')).toBe(false);
		expect(fetchesFromElsewhere('p', 'style', 'color: red')).toBe(false);
		expect(fetchesFromElsewhere('iframe', 'src', 'https://www.youtube.com/embed/x')).toBe(false);
	});
});

describe('the corpus through both sanitizers', () => {
	// Serialized HTML quotes every attribute value with " (and escapes it inside): a tag's
	// attributes read exactly. Any attribute but a link's that names the host loads from it.
	const TAG = /<([a-z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/gi;
	const loadsFromOutside = (html: string) =>
		[...html.matchAll(TAG)].some(
			([, tag, attributes]) => tag.toLowerCase() !== 'a' && attributes.includes(XSS_HOST)
		);

	it.each(XSS_PAYLOADS.map((p) => [p.n, p.category, p.source]))(
		'payload %i (%s) loads nothing from outside as Markdown and as a slide',
		(_n, _category, source) => {
			expect(loadsFromOutside(renderMarkdown(source))).toBe(false);
			const slide = parseDeck(source).slides[0][0];
			expect(loadsFromOutside(slideSectionHtml(renderSlideSection(slide, () => null)))).toBe(false);
		}
	);

	it('only the payloads marked so hide what follows them in their document', () => {
		const hides = (source: string) => {
			const markdown = `${source}\n\nwhat follows`;
			const slide = parseDeck(markdown).slides[0][0];
			return [
				!renderMarkdown(markdown).includes('what follows'),
				!slideSectionHtml(renderSlideSection(slide, () => null)).includes('what follows')
			];
		};
		for (const p of XSS_PAYLOADS) {
			expect(hides(p.source), `payload ${p.n}`).toEqual([p.swallowsRest, p.swallowsRest]);
		}
	}, 60_000);

	it('no slide keeps data-notes, which reveal.js shows the presenter as raw HTML', () => {
		for (const p of XSS_PAYLOADS) {
			const slide = parseDeck(p.source).slides[0][0];
			expect(slideSectionHtml(renderSlideSection(slide, () => null)), `payload ${p.n}`).not.toMatch(
				/data-notes/i
			);
		}
	}, 60_000);
});
