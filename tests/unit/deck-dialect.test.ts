import { readFileSync } from 'node:fs';
import { Marked } from 'marked';
import markedKatex from 'marked-katex-extension';
import { describe, expect, it } from 'vitest';
import {
	DECK_ALLOWED_IFRAME_HOSTS,
	allSlides,
	citationMarkdown,
	citedSlides,
	figureCitation,
	findAttributeComments,
	findCitations,
	findImages,
	isAllowedIframeSrc,
	outline,
	outliner,
	parseAttributes,
	parseCodeInfo,
	parseDeck,
	parsePodiumUrl,
	quoteCitation,
	serializeDeck,
	slideAtLine,
	slideByNumber,
	slideNumber,
	validateDeck,
	type Deck,
	type Slide
} from '$lib/decks/dialect';

// Fixtures end in .txt so that Prettier leaves them alone: it would rewrite `***` as
// `---`, which in a deck is a slide separator.
const fixture = (name: string) =>
	readFileSync(new URL(`../fixtures/decks/${name}.md.txt`, import.meta.url), 'utf8');
const FIXTURES = ['conference-talk', 'podium-citations', 'compact', 'reveal-md'];

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

/** Each stack's slides' markdown. */
const contents = (deck: Deck) => deck.slides.map((stack) => stack.map((slide) => slide.markdown));

/** 0-based line of the first line of `source` that equals `text`. */
function lineOf(source: string, text: string, from = 0): number {
	const line = source.split(/\r?\n/).indexOf(text, from);
	if (line < 0) throw new Error(`No line "${text}"`);
	return line;
}

/**
 * The stack sizes reveal.js's Markdown plugin makes with its default separator
 * `\r?\n---\r?\n` and the vertical `\r?\n--\r?\n`: a regex scan that consumes the
 * newlines around each separator.
 */
function revealShape(markdown: string): number[] {
	const stacks = [1];
	for (const match of markdown.matchAll(/\r?\n---\r?\n|\r?\n--\r?\n/g)) {
		if (match[0].includes('---')) stacks.push(1);
		else stacks[stacks.length - 1]++;
	}
	return stacks;
}

describe('separators', () => {
	it('splits horizontal slides on --- lines, with or without blank lines around', () => {
		expect(contents(parseDeck('# One\n---\n# Two\n---\n# Three'))).toEqual([
			['# One'],
			['# Two'],
			['# Three']
		]);
		expect(contents(parseDeck('# One\n\n---\n\n# Two\n'))).toEqual([['# One'], ['# Two']]);
	});

	it('stacks vertical slides on -- lines below the horizontal one', () => {
		const deck = parseDeck('# A\n--\n# A.1\n--\n# A.2');
		expect(contents(deck)).toEqual([['# A', '# A.1', '# A.2']]);
		expect(allSlides(deck).map((slide) => slide.index)).toEqual([
			{ h: 0, v: 0 },
			{ h: 0, v: 1 },
			{ h: 0, v: 2 }
		]);
	});

	it('mixes both into horizontal stacks of vertical slides', () => {
		const deck = parseDeck('A\n---\nB\n--\nB.1\n---\nC\n--\nC.1\n--\nC.2\n---\nD');
		expect(contents(deck)).toEqual([['A'], ['B', 'B.1'], ['C', 'C.1', 'C.2'], ['D']]);
		expect(deck.slides[2][2].index).toEqual({ h: 2, v: 2 });
	});

	it('records each slide’s 0-based line range, its separator line just before it', () => {
		const source = '# A\n\n---\n\n# B\nmore\n--\n# C';
		const ranges = allSlides(parseDeck(source)).map((s) => [s.startLine, s.endLine]);
		expect(ranges).toEqual([
			[0, 1],
			[3, 5],
			[7, 7]
		]);
	});

	it('keeps --- and -- inside fenced code as code', () => {
		const source = [
			'## YAML',
			'```yaml',
			'---',
			'key: value',
			'--',
			'```',
			'~~~~',
			'---',
			'~~~',
			'---',
			'~~~~',
			'---',
			'## Next'
		].join('\n');
		const deck = parseDeck(source);
		expect(deck.slides).toHaveLength(2);
		expect(deck.slides[0][0].markdown).toContain('```yaml\n---\nkey: value\n--\n```');
		expect(deck.slides[0][0].markdown).toContain('~~~~\n---\n~~~\n---\n~~~~');
		expect(deck.slides[1][0].markdown).toBe('## Next');
	});

	it('leaves *** and other rules that are not exactly --- or -- on their own line', () => {
		const source = 'A\n\n***\n\nB\n\n* * *\n\n----\n\n--- \n\n- - -\n\nnot --- inline';
		const deck = parseDeck(source);
		expect(allSlides(deck)).toHaveLength(1);
		expect(deck.slides[0][0].markdown).toBe(source);
	});

	it('splits where reveal.js does: not on the first line, the last unended line, or twice in a row', () => {
		expect(contents(parseDeck('---\n# A'))).toEqual([['---\n# A']]);
		expect(contents(parseDeck('# A\n---'))).toEqual([['# A\n---']]);
		// reveal.js's regex takes the newline after the first ---, so the second is a rule.
		expect(contents(parseDeck('# A\n---\n---\n# B'))).toEqual([['# A'], ['---\n# B']]);
		for (const source of ['---\n# A', '# A\n---', '# A\n---\n---\n# B', 'A\n--\n--\nB']) {
			expect(allSlides(parseDeck(source)).length).toBe(revealShape(source).reduce((a, b) => a + b));
		}
	});

	it('does not let a code fence that is never closed swallow the slides after it', () => {
		const source = '# A\n```js\nlet x\n---\n# B\n```js [1]\n---\n```\n---\n# C';
		const deck = parseDeck(source);
		// The first fence ends with its slide; the second is a real, closed fence.
		expect(contents(deck)).toEqual([['# A\n```js\nlet x'], ['# B\n```js [1]\n---\n```'], ['# C']]);
		expect(validateDeck(source).map((p) => p.message)).toEqual([
			'Line 2: this code block is never closed: end it with ```'
		]);
	});

	it('keeps a deck shown inside a longer fence as code', () => {
		const source = '## How to write code\n\n````markdown\n```js\n---\n```\n--\n````\n---\n# Next';
		expect(contents(parseDeck(source))).toEqual([
			['## How to write code\n\n````markdown\n```js\n---\n```\n--\n````'],
			['# Next']
		]);
		expect(validateDeck(source)).toEqual([]);
	});

	it('makes an empty or blank deck one empty slide', () => {
		for (const source of ['', '\n', '  \n\n']) {
			const deck = parseDeck(source);
			expect(contents(deck)).toEqual([['']]);
			expect(serializeDeck(deck)).toBe(source);
		}
	});
});

describe('speaker notes', () => {
	it('takes everything after a Note: line, from the text on that line on', () => {
		const deck = parseDeck('# A\n\nContent\n\nNote: first line\nsecond line\n\n- a list\n---\n# B');
		expect(deck.slides[0][0].markdown).toBe('# A\n\nContent');
		expect(deck.slides[0][0].notes).toBe('first line\nsecond line\n\n- a list');
		expect(deck.slides[1][0].notes).toBe('');
	});

	it('accepts Note: alone on its line, and notes: or NOTES: as reveal.js does', () => {
		expect(parseDeck('# A\nNote:\n  Indented notes\n').slides[0][0].notes).toBe('Indented notes');
		expect(parseDeck('# A\nnotes: lower case').slides[0][0].notes).toBe('lower case');
		expect(parseDeck('# A\n  NOTES: shouting').slides[0][0].notes).toBe('shouting');
	});

	it('reads a slide that starts with Note: as notes only', () => {
		const slide = parseDeck('# A\n---\nNote: just notes').slides[1][0];
		expect([slide.markdown, slide.notes]).toEqual(['', 'just notes']);
	});

	it('does not take Note: inside code, a quote or the middle of a line', () => {
		const source = '# A\n```\nNote: code\n```\n> Note: quoted\n\nA Note: mid-line';
		const slide = parseDeck(source).slides[0][0];
		expect(slide.notes).toBe('');
		expect(slide.markdown).toBe(source);
	});

	it('keeps a later Note: line inside the notes', () => {
		expect(parseDeck('# A\nNote: one\nNote: two').slides[0][0].notes).toBe('one\nNote: two');
	});
});

describe('slide and element attributes', () => {
	it('reads <!-- .slide: --> into attributes and takes the comment out of the markdown', () => {
		const slide = parseDeck('<!-- .slide: data-background="#ff0000" class="x" -->\n## Red\n\ntext')
			.slides[0][0];
		expect(slide.attributes).toEqual({ 'data-background': '#ff0000', class: 'x' });
		expect(slide.markdown).toBe('## Red\n\ntext');
	});

	it('merges several .slide comments, also one written after a heading', () => {
		const slide = parseDeck(
			'## Title <!-- .slide: data-transition="zoom" -->\n<!-- .slide: data-auto-animate id="intro" -->'
		).slides[0][0];
		expect(slide.attributes).toEqual({
			'data-transition': 'zoom',
			'data-auto-animate': '',
			id: 'intro'
		});
		expect(slide.markdown).toBe('## Title ');
	});

	it('leaves out attributes of a comment that fails the checks, and the comment itself', () => {
		const slide = parseDeck('<!-- .slide: onclick="alert(1)" class="x" -->\n## A').slides[0][0];
		expect(slide.attributes).toEqual({});
		expect(slide.markdown).toBe('## A');
	});

	it('ignores .slide comments in code blocks and code spans', () => {
		const source =
			'Write `<!-- .slide: class="x" -->` like this:\n```\n<!-- .slide: id="y" -->\n```';
		const slide = parseDeck(source).slides[0][0];
		expect(slide.attributes).toEqual({});
		expect(slide.markdown).toBe(source);
	});

	it('keeps .element comments in the markdown and finds them with their attributes', () => {
		const source =
			'- one <!-- .element: class="fragment" data-fragment-index="1" -->\n' +
			'- two <!-- .element class="fragment fade-up" -->\n' +
			'![a](a.png) <!-- .element: style="height: 40vh" onload="x()" -->';
		expect(parseDeck(source).slides[0][0].markdown).toBe(source);
		const comments = findAttributeComments(source);
		expect(comments.map((c) => [c.kind, c.line, c.result.ok])).toEqual([
			['element', 0, true],
			['element', 1, true],
			['element', 2, false]
		]);
		expect(comments[0].result).toEqual({
			ok: true,
			attributes: { class: 'fragment', 'data-fragment-index': '1' }
		});
		expect(source.split('\n')[1].slice(comments[1].start, comments[1].end)).toBe(
			'<!-- .element class="fragment fade-up" -->'
		);
	});
});

describe('code fences', () => {
	it('keeps fenced code with line highlights verbatim in the slide', () => {
		const code = '```js [1-2|3]\nconst a = 1;\nconst b = 2;\nconsole.log(a + b);\n```';
		expect(parseDeck(`## Code\n\n${code}\n`).slides[0][0].markdown).toBe(`## Code\n\n${code}`);
	});

	it('reads the info string as reveal.js does', () => {
		expect(parseCodeInfo('js [1-2|3]')).toEqual({
			language: 'js',
			lineNumbers: '1-2|3',
			startFrom: null
		});
		expect(parseCodeInfo('[]')).toEqual({ language: '', lineNumbers: '', startFrom: null });
		expect(parseCodeInfo('python [25: 1,4-8]')).toEqual({
			language: 'python',
			lineNumbers: '1,4-8',
			startFrom: 25
		});
		expect(parseCodeInfo('rust')).toEqual({ language: 'rust', lineNumbers: null, startFrom: null });
	});
});

describe('math', () => {
	it('keeps inline and display math as written, in the slide and through serialize', () => {
		const source = [
			'## Cost',
			'',
			'Memory is $O(\\sqrt{n})$ and $a--b$ is not a separator.',
			'',
			'$$',
			'\\begin{aligned}',
			'm(k) &= \\frac{n}{k} + k \\\\',
			'k^* &= \\sqrt{n}',
			'\\end{aligned}',
			'$$',
			''
		].join('\n');
		const deck = parseDeck(source);
		expect(allSlides(deck)).toHaveLength(1);
		expect(deck.slides[0][0].markdown).toBe(source.trimEnd());
		expect(serializeDeck(deck)).toBe(source);
	});
});

describe('line endings', () => {
	it('reads Windows line endings like Unix ones and keeps them on the way back', () => {
		const lf =
			'# A\n\nNote: n1\nn2\n---\n# B\n```\n---\n```\n--\n<!-- .slide: class="c" -->\n# C\n';
		const deck = parseDeck(crlf(lf));
		expect(deck.lineEnding).toBe('\r\n');
		expect(contents(deck)).toEqual(contents(parseDeck(lf)));
		expect(deck.slides[0][0].notes).toBe('n1\nn2');
		expect(deck.slides[1][1].attributes).toEqual({ class: 'c' });
		expect(serializeDeck(deck)).toBe(crlf(lf));
	});

	it('round-trips mixed line endings byte for byte', () => {
		const source = '# A\r\n---\n# B\n--\r\n# C\r\n';
		expect(serializeDeck(parseDeck(source))).toBe(source);
	});
});

describe('decks written for plain reveal.js', () => {
	const talk = fixture('conference-talk');

	it('splits the conference talk into its 15 slides, as reveal.js does', () => {
		const deck = parseDeck(talk);
		expect(deck.slides.map((stack) => stack.length)).toEqual(revealShape(talk));
		expect(deck.slides.map((stack) => stack.length)).toEqual([1, 1, 3, 1, 1, 1, 1, 1, 1, 2, 1, 1]);
		expect(allSlides(deck)).toHaveLength(15);
	});

	it('reads its attributes, notes and fenced code', () => {
		const { slides } = parseDeck(talk);
		expect(slides[0][0].attributes).toEqual({
			'data-background-color': '#1b1f3b',
			class: 'title-slide'
		});
		expect(slides[0][0].notes).toBe(
			'Welcome everyone. 45 minutes, questions at the end of each section.'
		);
		expect(slides[2][2].attributes).toEqual({ 'data-visibility': 'hidden' });
		expect(slides[3][0].attributes).toEqual({ 'data-auto-animate': '' });
		expect(slides[5][0].markdown).toMatch(/^## The algorithm\n\n```python \[1-3\|5-8\|10\]\n/);
		expect(slides[5][0].notes).toMatch(/^Walk through .*\none segment at a time/s);
		expect(slides[10][0].attributes).toEqual({
			'data-background-iframe': 'https://www.youtube.com/embed/dQw4w9WgXcQ',
			'data-background-interactive': ''
		});
	});

	it('reads the short style of the reveal.js docs (no blank lines, notes:)', () => {
		const deck = parseDeck(fixture('compact'));
		expect(contents(deck)).toEqual([
			['## Slide 1\nA paragraph with some text and a [link](https://hakim.se).'],
			['## Slide 2', '## Slide 2.1'],
			['## Slide 3']
		]);
		expect(deck.slides[1][1].notes).toBe('written the short way');
	});

	it('keeps a reveal-md front matter aside instead of making it a slide', () => {
		const source = fixture('reveal-md');
		const deck = parseDeck(source);
		expect(deck.frontMatter).toMatch(/^---\ntitle: Sublinear memory\n[\s\S]*\n---\n$/);
		expect(contents(deck)).toEqual([['# Sublinear memory'], ['## Second slide']]);
		expect(deck.slides[0][0].startLine).toBe(lineOf(source, '---', 1) + 1);
		expect(deck.slides[1][0].notes).toBe('from a reveal-md deck');
	});

	it('does not take a leading rule and text for front matter', () => {
		const deck = parseDeck('---\nJust a rule: and a colon\n\nmore text\n---\n# B');
		expect(deck.frontMatter).toBe('');
		expect(allSlides(deck)).toHaveLength(2);
	});

	it.each(FIXTURES)('round-trips %s byte for byte, with LF and with CRLF', (name) => {
		const source = fixture(name);
		expect(serializeDeck(parseDeck(source))).toBe(source);
		expect(serializeDeck(parseDeck(crlf(source)))).toBe(crlf(source));
	});

	it.each(FIXTURES)('finds no problems in %s', (name) => {
		expect(validateDeck(fixture(name))).toEqual([]);
	});

	it('lists the talk’s images for an offline export, without figure citations', () => {
		expect(findImages(talk).map(({ url, via }) => [url, via])).toEqual([
			['images/memory-curve.png', 'background'],
			['images/results.png', 'markdown']
		]);
		expect(findImages('![x](podium:figure/abc)\n<img alt="y" src="/i/9f.png">')).toEqual([
			{ url: '/i/9f.png', line: 1, via: 'html' }
		]);
	});
});

describe('serializeDeck after edits', () => {
	const source = '# A\n\nNote: keep me\n\n---\n\n<!-- .slide: class="x" -->\n# B\n\n--\n\n# C\n';

	it('rewrites only the slide that changed', () => {
		const deck = parseDeck(source);
		deck.slides[1][0] = { ...deck.slides[1][0], notes: 'new notes\non two lines' };
		expect(serializeDeck(deck)).toBe(
			'# A\n\nNote: keep me\n\n---\n\n<!-- .slide: class="x" -->\n# B\n\nNote:\nnew notes\non two lines\n\n--\n\n# C\n'
		);
	});

	it('writes new slides and moved slides with the separators their place needs', () => {
		const deck = parseDeck(source);
		const made: Slide = {
			index: { h: 0, v: 0 },
			markdown: '# New',
			notes: '',
			attributes: { 'data-background-color': '#000', 'data-auto-animate': '' },
			startLine: 0,
			endLine: 0
		};
		const [a, [b, c]] = deck.slides;
		deck.slides = [[c], a, [b, made]];
		const written = serializeDeck(deck);
		expect(written).toBe(
			'\n# C\n---\n# A\n\nNote: keep me\n\n---\n\n<!-- .slide: class="x" -->\n# B\n\n--\n\n' +
				'<!-- .slide: data-background-color="#000" data-auto-animate -->\n# New\n'
		);
		const again = parseDeck(written);
		expect(contents(again)).toEqual([['# C'], ['# A'], ['# B', '# New']]);
		expect(again.slides[2][1].attributes).toEqual(made.attributes);
	});

	it('escapes lines in new text that would split the slide or start its notes', () => {
		const deck = parseDeck('# A');
		deck.slides.push([
			{
				...deck.slides[0][0],
				source: undefined,
				markdown: 'above\n---\nmiddle\n--\nNote: not notes\n```\n---\n```',
				notes: 'said\n---\naloud'
			}
		]);
		const again = parseDeck(serializeDeck(deck));
		expect(contents(again)).toEqual([
			['# A'],
			['above\n***\nmiddle\n\\--\nNote\\: not notes\n```\n---\n```']
		]);
		expect(again.slides[1][0].notes).toBe('said\n***\naloud');
	});

	it('closes a code fence that new text leaves open, so it cannot eat the next slide', () => {
		const deck = parseDeck('# A\n---\n# B\n```\n---\n```');
		deck.slides[0][0] = { ...deck.slides[0][0], markdown: '```js\nlet open' };
		const again = parseDeck(serializeDeck(deck));
		expect(contents(again)).toEqual([['```js\nlet open\n```'], ['# B\n```\n---\n```']]);
	});

	it('keeps a last line of dashes as text when its slide moves up', () => {
		const deck = parseDeck('# A\n---\n# B\n---');
		deck.slides.reverse();
		const again = parseDeck(serializeDeck(deck));
		expect(contents(again)).toEqual([['# B\n***'], ['# A']]);
	});

	it('refuses attributes that would not survive the checks', () => {
		const deck = parseDeck('# A');
		deck.slides[0][0] = { ...deck.slides[0][0], attributes: { onclick: 'alert(1)' } };
		expect(() => serializeDeck(deck)).toThrow(/event handler/);
	});
});

describe('slideAtLine and outline', () => {
	const source = [
		'# Title', // 0
		'', // 1
		'---', // 2
		'Setext heading', // 3
		'==============', // 4
		'--', // 5
		'- **First** item with [a link](https://x.y)', // 6
		'---', // 7
		'<!-- .slide: data-background-image="bg.png" -->', // 8
		'---', // 9
		'```python', // 10
		'print("hi")', // 11
		'```' // 12
	].join('\n');
	const deck = parseDeck(source);

	it('finds the slide under each line; a separator line belongs to the slide it starts', () => {
		const at = (line: number) => slideAtLine(deck, line);
		expect([0, 1].map(at)).toEqual([
			{ h: 0, v: 0 },
			{ h: 0, v: 0 }
		]);
		expect([2, 3, 4].map(at)).toEqual(Array(3).fill({ h: 1, v: 0 }));
		expect([5, 6].map(at)).toEqual(Array(2).fill({ h: 1, v: 1 }));
		expect([7, 8].map(at)).toEqual(Array(2).fill({ h: 2, v: 0 }));
		expect([9, 12, 99].map(at)).toEqual(Array(3).fill({ h: 3, v: 0 }));
		expect(at(-1)).toEqual({ h: 0, v: 0 });
	});

	it('numbers slides as people do, 1-based, and reads the numbers back', () => {
		expect(allSlides(deck).map((slide) => slideNumber(slide.index))).toEqual([
			'1',
			'2',
			'2.2',
			'3',
			'4'
		]);
		expect(['1', '2.2', ' 4 ', '2.1'].map((n) => slideByNumber(deck, n))).toEqual([
			{ h: 0, v: 0 },
			{ h: 1, v: 1 },
			{ h: 3, v: 0 },
			{ h: 1, v: 0 }
		]);
		for (const wrong of ['', '0', '5', '1.2', '2.3', '-1', 'x', '1.', '1e2']) {
			expect(slideByNumber(deck, wrong), wrong).toBeNull();
		}
	});

	it('maps front matter lines to the first slide', () => {
		const withFrontMatter = parseDeck(fixture('reveal-md'));
		expect(slideAtLine(withFrontMatter, 1)).toEqual({ h: 0, v: 0 });
		expect(slideAtLine(withFrontMatter, 9)).toEqual({ h: 1, v: 0 });
	});

	it('titles each slide by its first heading, else its first text', () => {
		expect(outline(deck)).toEqual([
			{ index: { h: 0, v: 0 }, title: 'Title', line: 0 },
			{ index: { h: 1, v: 0 }, title: 'Setext heading', line: 3 },
			{ index: { h: 1, v: 1 }, title: 'First item with a link', line: 6 },
			{ index: { h: 2, v: 0 }, title: '', line: 8 },
			{ index: { h: 3, v: 0 }, title: 'print("hi")', line: 10 }
		]);
	});

	it('prefers a heading further down over text above it, and strips its markup', () => {
		const [entry] = outline(
			parseDeck('<!-- .element: x -->\nIntro text\n\n## The `checkpoint()` *trick* ##')
		);
		expect(entry.title).toBe('The checkpoint() trick');
	});

	it('titles the conference talk', () => {
		expect(outline(parseDeck(fixture('conference-talk'))).map((e) => e.title)).toEqual([
			'Sublinear Memory for Deep Nets',
			'Outline',
			'Where does the memory go?',
			'A quick estimate',
			'Backup: measured profile',
			'Checkpointing',
			'Checkpointing',
			'The algorithm',
			'Choosing $k$',
			'In PyTorch today',
			'',
			'Results',
			'Trade-offs',
			'Demo',
			'What came after'
		]);
	});
});

describe('parsing again after an edit', () => {
	/** What a person might do to a deck, one edit at a time: [find, replace with]. */
	const EDITS: [RegExp, string][] = [
		[/\n/, 'x\n'], // a letter at the end of the first line
		[/(\n[^\n]*){12}/, '$&!'], // a letter further down
		[/(\n[^\n]*){12}/, '$&\n'], // a new line: every later slide moves
		[/(\n[^\n]*){20}/, '$&\n\n---\n\n'], // a new slide
		[/\n---\n/, '\n'], // a separator removed: two slides become one
		[/(\n[^\n]*){6}/, '$&\n```js'], // a fence opened and not closed yet
		[/\n```js/, '\n```js\nx\n```'], // and closed
		[/\n/, '\nNote: now with notes\n'],
		[/\n/, '\n<!-- .slide: data-background-color="#000" -->\n']
	];

	for (const name of [...FIXTURES, 'conference-talk (CRLF)']) {
		it(`gives the same deck as a parse from scratch: ${name}`, () => {
			let source = name.endsWith('(CRLF)') ? crlf(fixture('conference-talk')) : fixture(name);
			let previous = parseDeck(source);
			const outlineOf = outliner();
			expect(outlineOf(previous)).toEqual(outline(previous));
			let applied = 0;
			for (const [find, replace] of EDITS) {
				const edited = source.replace(find, replace);
				// Short decks lack some places (a 21st line, a separator left to remove).
				if (edited === source) continue;
				applied++;
				const deck = parseDeck(edited, previous);
				expect(deck).toEqual(parseDeck(edited));
				expect(outlineOf(deck)).toEqual(outline(deck));
				expect(serializeDeck(deck)).toBe(edited);
				[source, previous] = [edited, deck];
			}
			expect(applied).toBeGreaterThanOrEqual(6);
		});
	}

	it('keeps the slides that did not change, and reads again the one that did', () => {
		const source = '# One\n\n---\n\n## Two\n\n- a\n\n---\n\n## Three\n\nNote: n';
		const before = parseDeck(source);
		const typed = parseDeck(source.replace('- a', '- ab'), before);
		const [one, two, three] = allSlides(typed);
		expect(one).toBe(allSlides(before)[0]);
		expect(two).not.toBe(allSlides(before)[1]);
		expect(two.markdown).toBe('## Two\n\n- ab');
		expect(three).toBe(allSlides(before)[2]);

		// A new line moves the slides after it: new objects, the same fields but the lines.
		const moved = parseDeck(source.replace('- a', '- a\n'), before);
		const after = allSlides(moved)[2];
		expect(after).not.toBe(allSlides(before)[2]);
		expect(after).toEqual({ ...allSlides(before)[2], startLine: 10, endLine: 13 });
	});

	it('gives a slide a new title when its Markdown changes', () => {
		const outlineOf = outliner();
		const source = '# One\n\n---\n\n## Two';
		const before = parseDeck(source);
		expect(outlineOf(before).map((e) => e.title)).toEqual(['One', 'Two']);
		const edited = parseDeck(source.replace('## Two', '## Twice'), before);
		expect(outlineOf(edited).map((e) => e.title)).toEqual(['One', 'Twice']);
	});
});

describe('citations', () => {
	const deckSource = fixture('podium-citations');

	it('finds quoted annotations, figure crops and plain citation links, not those in code', () => {
		const line = (text: string) => lineOf(deckSource, text);
		expect(findCitations(deckSource)).toEqual([
			{
				kind: 'annotation',
				id: 'k3j9x2mfq7h4tz8wab5rc6dn',
				quote:
					'Activation checkpointing stores only a subset of activations\n' +
					'and recomputes the rest during the backward pass.',
				label: 'Study Notes: Trading Compute for Memory, p. 2',
				line: line('> Activation checkpointing stores only a subset of activations'),
				endLine: line(
					'> — [Study Notes: Trading Compute for Memory, p. 2](podium:annotation/k3j9x2mfq7h4tz8wab5rc6dn)'
				)
			},
			{
				kind: 'figure',
				id: 'r7p2m4qx9vt6bz3hnc8wkd5e',
				label: 'Figure 3, p. 7',
				line: line('![Figure 3, p. 7](podium:figure/r7p2m4qx9vt6bz3hnc8wkd5e)'),
				endLine: line('![Figure 3, p. 7](podium:figure/r7p2m4qx9vt6bz3hnc8wkd5e)')
			},
			{
				kind: 'annotation',
				id: 'h2w8c5nq3rz7xm4kdt9bv6fp',
				quote: 'Memory grows as $O(\\sqrt{n})$ *if* segments are equal',
				label: 'Training Deep Nets with Sublinear Memory Cost, p. 5',
				line: line('> Memory grows as $O(\\sqrt{n})$ \\*if\\* segments are equal'),
				endLine: line('> Memory grows as $O(\\sqrt{n})$ \\*if\\* segments are equal') + 1
			},
			{
				kind: 'annotation',
				id: 'a1b2c3d4e5f6g7h8j9k0m1n2',
				label: 'the appendix note',
				line: line(
					'See also [the appendix note](podium:annotation/a1b2c3d4e5f6g7h8j9k0m1n2) on uneven segments.'
				),
				endLine: line(
					'See also [the appendix note](podium:annotation/a1b2c3d4e5f6g7h8j9k0m1n2) on uneven segments.'
				)
			}
		]);
	});

	it('reads two citations in one blockquote as two quotes', () => {
		const source = [
			quoteCitation({ quote: 'first', paperTitle: 'P', page: 1, annotationId: 'a' }),
			quoteCitation({ quote: 'second\nquote', paperTitle: 'P', page: 2, annotationId: 'b' })
		].join('\n');
		expect(
			findCitations(source).map(({ id, quote, line, endLine }) => [id, quote, line, endLine])
		).toEqual([
			['a', 'first', 0, 1],
			['b', 'second\nquote', 2, 4]
		]);
	});

	it('maps each citation to its slide, for the paper viewer', () => {
		const deck = parseDeck(deckSource);
		const slides = findCitations(deckSource).map((c) => slideAtLine(deck, c.line));
		expect(slides).toEqual([
			{ h: 1, v: 0 },
			{ h: 2, v: 0 },
			{ h: 2, v: 1 },
			{ h: 2, v: 1 }
		]);
	});

	it('lists each cited annotation with its slides, once per slide, in deck order', () => {
		expect(citedSlides(deckSource)).toEqual(
			new Map([
				['k3j9x2mfq7h4tz8wab5rc6dn', [[1, 0]]],
				['r7p2m4qx9vt6bz3hnc8wkd5e', [[2, 0]]],
				['h2w8c5nq3rz7xm4kdt9bv6fp', [[2, 1]]],
				['a1b2c3d4e5f6g7h8j9k0m1n2', [[2, 1]]]
			])
		);
		const twice = [
			'> one',
			'> — [P](podium:annotation/a)',
			'',
			'again [P](podium:annotation/a)',
			'---',
			'Note:',
			'[P](podium:annotation/a) in the notes',
			'--',
			'`[P](podium:annotation/b)`'
		].join('\n');
		expect(citedSlides(twice)).toEqual(
			new Map([
				[
					'a',
					[
						[0, 0],
						[1, 0]
					]
				]
			])
		);
		expect(citedSlides('# No citations')).toEqual(new Map());
	});

	it('writes a quote citation in the documented shape', () => {
		expect(
			quoteCitation({
				quote: 'Activation checkpointing stores only a subset of activations',
				paperTitle: 'Study Notes: Trading Compute for Memory',
				page: 2,
				annotationId: 'abc123'
			})
		).toBe(
			'> Activation checkpointing stores only a subset of activations\n' +
				'> — [Study Notes: Trading Compute for Memory, p. 2](podium:annotation/abc123)'
		);
	});

	it('makes each line of a quote a > line, and blank lines paragraph breaks', () => {
		expect(
			quoteCitation({ quote: 'one\r\n  two  \n\nthree\n', paperTitle: 'P', annotationId: 'x' })
		).toBe('> one\n> two\n>\n> three\n> — [P](podium:annotation/x)');
	});

	const tricky = [
		'*Not emphasis* and _not_ either, `no code`, [no link](#x), <b>no tag</b>',
		'# not a heading',
		'- not a list',
		'1. not a numbered list',
		'> not nested',
		'$x$ is not math, ~no strike~, &amp; stays as typed, a \\ backslash',
		'==='
	].join('\n');

	it('escapes Markdown in quotes and titles so they show exactly as written', () => {
		const markdown = quoteCitation({
			quote: tricky,
			paperTitle: 'A [bracketed] *title*',
			page: 3,
			annotationId: 'q1'
		});
		const marked = new Marked({ gfm: true }).use(
			markedKatex({ throwOnError: false, output: 'mathml', nonStandard: true })
		);
		const html = marked.parse(markdown) as string;
		expect(html).not.toMatch(/<(em|strong|code|b|h1|ul|ol|del|math|hr)\b/);
		expect(html.match(/<a\b/g)).toEqual(['<a']);
		expect(html.match(/<blockquote>/g)).toHaveLength(1);
		const text = html
			.replace(/<[^>]+>/g, '')
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&#39;/g, "'")
			.replace(/&amp;/g, '&');
		expect(text.trim()).toBe(`${tricky}\n— A [bracketed] *title*, p. 3`);
	});

	it('reads back what it writes', () => {
		const markdown = citationMarkdown({
			kind: 'annotation',
			quote: tricky,
			paperTitle: 'A [bracketed] *title*',
			page: 3,
			annotationId: 'q1'
		});
		expect(findCitations(`# Slide\n\n${markdown}\n`)).toEqual([
			{
				kind: 'annotation',
				id: 'q1',
				quote: tricky,
				label: 'A [bracketed] *title*, p. 3',
				line: 2,
				endLine: 9
			}
		]);
	});

	it('writes a figure crop as an image', () => {
		expect(figureCitation({ label: 'Figure 1, p. 3', annotationId: 'abc123' })).toBe(
			'![Figure 1, p. 3](podium:figure/abc123)'
		);
		expect(citationMarkdown({ kind: 'figure', label: 'Table [2]', annotationId: 'f' })).toBe(
			'![Table \\[2\\]](podium:figure/f)'
		);
	});

	it('refuses an id that would break the link', () => {
		expect(() => figureCitation({ label: 'x', annotationId: 'a) ![b](c' })).toThrow(
			/annotation id/
		);
		expect(() => quoteCitation({ quote: 'q', paperTitle: 'p', annotationId: '' })).toThrow(
			/annotation id/
		);
	});

	it('parses podium: URLs', () => {
		expect(parsePodiumUrl('podium:annotation/abc')).toEqual({ kind: 'annotation', id: 'abc' });
		expect(parsePodiumUrl('podium:figure/x_1-2')).toEqual({ kind: 'figure', id: 'x_1-2' });
		expect(parsePodiumUrl('podium:paper/abc')).toBeNull();
		expect(parsePodiumUrl('https://podium/annotation/abc')).toBeNull();
	});
});

describe('parseAttributes', () => {
	it('accepts reveal.js’s documented slide and element attributes', () => {
		const comment =
			'<!-- .slide: data-background="#ff0000" data-background-image="img/bg.jpg" ' +
			'data-background-size="cover" data-background-opacity="0.5" ' +
			'data-background-video="https://example.org/v.mp4" data-background-video-loop ' +
			'data-background-gradient="linear-gradient(to bottom, #283b95, #17b2c3)" ' +
			'data-transition="zoom-in fade-out" data-transition-speed="fast" ' +
			'data-auto-animate data-auto-animate-easing="ease-out" data-auto-animate-id="a" ' +
			'data-visibility="uncounted" data-state="alert" data-autoslide="2000" ' +
			'class="r-stack" id="intro" -->';
		const result = parseAttributes(comment);
		expect(result.ok).toBe(true);
		expect(result.ok && Object.keys(result.attributes)).toHaveLength(17);
		expect(
			parseAttributes(
				'.element: class="fragment highlight-red" data-fragment-index="2" data-line-numbers="1-2|3" data-id="box" style="color: red"'
			)
		).toEqual({
			ok: true,
			attributes: {
				class: 'fragment highlight-red',
				'data-fragment-index': '2',
				'data-line-numbers': '1-2|3',
				'data-id': 'box',
				style: 'color: red'
			}
		});
	});

	it.each([
		['onclick="alert(1)"', /"onclick" is an event handler/],
		['class="x" ONMOUSEOVER="alert(1)"', /"onmouseover" is an event handler/],
		['srcdoc="<script>alert(1)</script>"', /srcdoc/],
		['data-background-image="javascript:alert(1)"', /script or HTML URL/],
		['data-background-image="&#106;ava&#x73;cript&colon;alert(1)"', /script or HTML URL/],
		['data-background="url(java\tscript:alert(1))"', /script or HTML URL/],
		['data-background="data:text/html;base64,PHNjcmlwdD4="', /script or HTML URL/],
		['data-background-video="file:///etc/passwd"', /http\(s\) or relative URL, not "file:"/],
		['data-background-iframe="https://evil.example/embed/x"', /YouTube or Vimeo embed/],
		['data-src="vbscript:msgbox"', /script or HTML URL/],
		['style="width: expression(alert(1))"', /expression/],
		['style="background: url(ftp://x/y.png)"', /not "ftp:"/],
		['href="https://x.y"', /unknown attribute "href"/],
		['data-markdown="https://evil.example/deck.md"', /Markdown loader/],
		['data-separator="^---$"', /Markdown loader/],
		["class='x'", /double quotes/],
		['class=x', /must be in double quotes/],
		['class = "x"', /no spaces around "="/],
		['class', /class needs a value/],
		['class="a"id="b"', /put a space after/],
		['class="x', /no closing quote/],
		['class="x" class="y"', /given twice/],
		['class="fragment <b>"', /class names may only use/],
		['data-state="dim:all"', /data-state names may only use/],
		['id="1st"', /an id starts with a letter/],
		['data-fragment-index="first"', /whole number/],
		['data-visibility="invisible"', /"hidden" or "uncounted"/]
	])('rejects %s', (attributes, message) => {
		const result = parseAttributes(`<!-- .slide: ${attributes} -->`);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.message).toMatch(message);
	});

	it('names the line, 1-based, when it is given', () => {
		expect(parseAttributes('onclick="x()"', 12)).toEqual({
			ok: false,
			message: 'Line 13: "onclick" is an event handler, which would run script: not allowed'
		});
	});

	it('keeps an empty comment empty', () => {
		expect(parseAttributes('<!-- .slide: -->')).toEqual({ ok: true, attributes: {} });
	});
});

describe('isAllowedIframeSrc', () => {
	it('allows the embed pages of the listed video hosts over https', () => {
		expect(DECK_ALLOWED_IFRAME_HOSTS).toContain('player.vimeo.com');
		for (const url of [
			'https://www.youtube.com/embed/dQw4w9WgXcQ',
			'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30',
			'https://youtube.com/embed/dQw4w9WgXcQ',
			'//www.youtube.com/embed/dQw4w9WgXcQ',
			'https://player.vimeo.com/video/76979871'
		]) {
			expect([url, isAllowedIframeSrc(url)]).toEqual([url, true]);
		}
	});

	it('refuses everything else', () => {
		for (const url of [
			'http://www.youtube.com/embed/dQw4w9WgXcQ',
			'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
			'https://www.youtube.com.evil.example/embed/x',
			'https://evil.example/?https://www.youtube.com/embed/x',
			'https://user@www.youtube.com/embed/x',
			'https://www.youtube.com:8443/embed/x',
			'https://vimeo.com/76979871',
			'javascript:alert(1)',
			'data:text/html,<script>alert(1)</script>',
			'/embed/x',
			'https:\\\\evil.example/embed/x',
			''
		]) {
			expect([url, isAllowedIframeSrc(url)]).toEqual([url, false]);
		}
	});
});

describe('hostile input', () => {
	const read = (source: string) => {
		const deck = parseDeck(source);
		outline(deck);
		validateDeck(source);
		findCitations(source);
		findImages(source);
	};
	/** The fastest of three reads, in ms: the least disturbed by whatever else runs. */
	const fastest = (source: string) =>
		Math.min(
			...[0, 1, 2].map(() => {
				const started = performance.now();
				read(source);
				return performance.now() - started;
			})
		);
	// Compared with itself at an eighth of the size: eight times the work when linear, 64
	// times when quadratic. A ratio, not a time limit, so a busy machine does not fail it.
	it.each([
		['brackets', (n: number) => '[podium:'.repeat(n)],
		['image openers', (n: number) => '![a'.repeat(n)],
		['unclosed comments', (n: number) => '<!-- .slide: '.repeat(n) + '-->'],
		['element comments in code spans', (n: number) => '`<!-- .element: class="x" -->'.repeat(n)],
		['a heading padded with spaces', (n: number) => `# a${' '.repeat(n * 5)}b`],
		[
			'a quote padded with spaces',
			(n: number) => `> ${' '.repeat(n * 5)}x [a](podium:annotation/x)`
		],
		['tags without ends', (n: number) => '<img<script<a onx='.repeat(n)],
		[
			'a long blockquote of citations',
			(n: number) => '> q\n> — [a](podium:annotation/x)\n'.repeat(n)
		],
		[
			'fences of falling length',
			// The text grows with the square of the fence count: 600 fences at n = 40 000.
			(n: number) => {
				const count = Math.round(Math.sqrt(n * 9));
				return Array.from({ length: count }, (_, i) => '`'.repeat(count + 3 - i) + 'x\n---').join(
					'\n'
				);
			}
		]
	])('reads %s in linear time', (_, build) => {
		const n = 40_000;
		read(build(n / 8)); // warm up the code paths before timing
		const small = Math.max(fastest(build(n / 8)), 0.5);
		const large = fastest(build(n));
		expect(large / small).toBeLessThan(24);
	});
});

describe('validateDeck', () => {
	it('refuses an oversized deck before reading it', () => {
		expect(validateDeck('é'.repeat(300), { maxBytes: 500, maxSlides: 10 })).toEqual([
			{ line: 0, message: 'The deck is 1 kB, over the limit of 1 kB.', severity: 'error' }
		]);
		expect(validateDeck('x'.repeat(500_001))).toEqual([
			{ line: 0, message: 'The deck is 501 kB, over the limit of 500 kB.', severity: 'error' }
		]);
		expect(validateDeck('x'.repeat(500_000))).toEqual([]);
	});

	it('points at the first slide over the limit', () => {
		const source = '# 1\n---\n# 2\n--\n# 3\n---\n# 4';
		expect(validateDeck(source, { maxBytes: 1000, maxSlides: 2 })).toEqual([
			{
				line: 4,
				message: 'Line 5: the deck has 4 slides, over the limit of 2; slide 3 starts here',
				severity: 'error'
			}
		]);
		expect(validateDeck(source, { maxBytes: 1000, maxSlides: 4 })).toEqual([]);
	});

	it('reports a code block that is never closed', () => {
		expect(validateDeck('# A\n\n````js\ncode\n```\n---\n# B')).toEqual([
			{
				line: 2,
				message: 'Line 3: this code block is never closed: end it with ````',
				severity: 'error'
			}
		]);
	});

	it('reports malicious and malformed attributes on their lines', () => {
		const source = [
			'# A', // 0
			'<!-- .slide: data-background-iframe="https://evil.example/" -->', // 1
			'---', // 2
			'Text <!-- .element: onclick="steal()" -->', // 3
			'<!-- .slide: class="x"', // 4
			'<!-- .slide class="y" -->', // 5
			'<!-- .element: class=fragment -->' // 6
		].join('\n');
		expect(
			validateDeck(source).map(({ line, message, severity }) => [line, severity, message])
		).toEqual([
			[
				1,
				'error',
				'Line 2: data-background-iframe may only show a YouTube or Vimeo embed (https://www.youtube.com/embed/…)'
			],
			[3, 'error', 'Line 4: "onclick" is an event handler, which would run script: not allowed'],
			[4, 'error', 'Line 5: end the .slide comment with --> on the same line'],
			[5, 'error', 'Line 6: write ".slide:" with a colon, or reveal.js ignores it'],
			[6, 'error', 'Line 7: the value of class must be in double quotes']
		]);
	});

	it('warns about what plain reveal.js or the sanitizer would not show as written', () => {
		const source = [
			'```js [1-2|x]', // 0
			'code', // 1
			'```', // 2
			'Note: one', // 3
			'Note: two', // 4
			'---', // 5
			'<script>alert(1)</script>', // 6
			'<iframe src="https://evil.example/"></iframe>', // 7
			'<iframe src="https://www.youtube.com/embed/x"></iframe>', // 8
			'<img src="a.png" onerror="alert(1)">', // 9
			'[cite](podium:paper/abc)', // 10
			'`<script>` in code is fine, and so is `[x](podium:nope)`' // 11
		].join('\n');
		expect(validateDeck(source).map(({ line, severity }) => [line, severity])).toEqual([
			[0, 'warning'],
			[4, 'warning'],
			[6, 'warning'],
			[7, 'warning'],
			[9, 'warning'],
			[10, 'error']
		]);
		expect(validateDeck(source)[5].message).toBe(
			'Line 11: "podium:paper/abc" is not a citation: use podium:annotation/… or podium:figure/…'
		);
	});
});
