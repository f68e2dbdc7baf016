import { describe, expect, it } from 'vitest';
import {
	CONTEXT_LENGTH,
	anchorAll,
	anchorText,
	describeText,
	type TextTarget
} from '$lib/annotations/anchoring';
import {
	normalizeQuote,
	normalizeString,
	normalizeText,
	originalRange,
	sourceEnd
} from '$lib/annotations/normalize';
import {
	PAGE_SEPARATOR,
	documentText,
	pageAt,
	pageTextFromItems,
	type DocumentText,
	type PageTextItem
} from '$lib/papers/page-text';
import { RECOMPUTE_PAPER, type FixturePage } from '../fixtures/page-texts/recompute-paper';
import { seededRandom, syntheticPaper } from '../fixtures/page-texts/synthetic-paper';

// --- The fixture paper and its re-extractions ------------------------------------------------

/** A change a re-extraction (or a revision) makes to one page's text. */
type Edit = (pageText: string, pageIndex: number) => string;

/** The items pdf.js gives for a fixture page: one per line, inside marked content. */
function pageItems(page: FixturePage, rightColumnFirst: boolean): PageTextItem[] {
	const [left, right] = page.columns;
	const lines = [
		...page.header,
		...(rightColumnFirst ? [...right, ...left] : [...left, ...right]),
		...page.footer
	];
	return [
		{ type: 'beginMarkedContent' },
		...lines.map((str, i) => ({ str, hasEOL: i < lines.length - 1 })),
		{ type: 'endMarkedContent' }
	];
}

function paper(options: { rightColumnFirst?: boolean; edits?: Edit[] } = {}): DocumentText {
	const { rightColumnFirst = false, edits = [] } = options;
	return documentText(
		RECOMPUTE_PAPER.map((page, i) =>
			edits.reduce(
				(text, edit) => edit(text, i),
				pageTextFromItems(pageItems(page, rightColumnFirst))
			)
		)
	);
}

const LIGATURES: Record<string, string> = { ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl' };
/** Ligature glyphs extracted as their letters. */
const noLigatures: Edit = (t) => t.replace(/[ﬀﬁﬂﬃﬄ]/g, (c) => LIGATURES[c]);
/** Words hyphenated at line ends joined again. */
const dehyphenate: Edit = (t) => t.replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2');
/** Line-end hyphens extracted as soft hyphens. */
const softHyphens: Edit = (t) => t.replace(/(\p{L})-\n(\p{Ll})/gu, '$1\u00ad\n$2');
/** Small caps extracted without the spaces pdf.js puts at the size changes. */
const unspaceSmallCaps: Edit = (t) =>
	t
		.replace(/\b([A-Z]) (?=[A-Z]{2,})/g, '$1')
		.replace(/\b([A-Z]) (?=[A-Z]\b)/g, '$1')
		.replace(/([A-Z]) ([:,-])/g, '$1$2');
/** Lines joined with spaces, two spaces after a full stop. */
const reflow: Edit = (t) => t.replace(/\n/g, ' ').replace(/\. /g, '.  ');
/** Curly quotes extracted as straight ones. */
const straightQuotes: Edit = (t) => t.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
/** A line added above the first page (the camera-ready banner). */
const banner: Edit = (t, i) => (i === 0 ? `Published as a conference paper at ICLR 2026\n${t}` : t);
/** Replaces text on the pages (it must occur). */
const replace =
	(from: string, to: string): Edit =>
	(t) =>
		t.replace(from, to);

const v1 = paper();

/** Describes the first occurrence of `quote` in `doc` after `after` (if given). */
function select(doc: DocumentText, quote: string, after = ''): TextTarget {
	const from = doc.text.indexOf(after);
	const start = doc.text.indexOf(quote, from);
	if (from < 0 || start < 0) throw new Error(`"${quote}" is not in the document`);
	return describeText(doc, start, start + quote.length);
}

/** Where a target anchors in `doc`: the text it covers there, and whether it is exact. */
function anchored(doc: DocumentText, target: TextTarget) {
	const anchor = anchorText(doc, target);
	return anchor && { text: doc.text.slice(anchor.start, anchor.end), exact: anchor.exact };
}

/** All offsets of `quote` in `text`. */
function occurrences(text: string, quote: string): number[] {
	const found: number[] = [];
	for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) found.push(i);
	return found;
}

// --- describeText ----------------------------------------------------------------------------

describe('describeText', () => {
	it('records the quote with 32 characters of context and the position', () => {
		const start = v1.text.indexOf('using a proﬁled cost model of each kernel');
		expect(describeText(v1, start, start + 41)).toEqual({
			kind: 'text',
			page: 1,
			endPage: 1,
			quote: {
				type: 'TextQuoteSelector',
				exact: 'using a proﬁled cost model of each kernel',
				prefix: 'eep or recompute\nan activation, ',
				suffix: '. Combined with ZeRO-3\npartition'
			},
			position: { type: 'TextPositionSelector', start, end: start + 41 }
		});
		expect(CONTEXT_LENGTH).toBe(32);
	});

	it('keeps what context there is at the start and end of the document', () => {
		const first = describeText(v1, 0, 9);
		expect(first.quote).toMatchObject({ exact: 'Preprint.', prefix: '' });
		expect(first.quote.suffix).toBe(' Under review.\nS ELECTIVE R ECOM');
		const n = v1.text.length;
		const last = describeText(v1, n - 7, n);
		expect(last.quote).toMatchObject({ exact: '2020.\n3', suffix: '' });
		expect(last.quote.prefix).toBe('training trillion parameter models. In SC, '.slice(-32));
		expect(last.quote.prefix).toHaveLength(32);
		expect(last.page).toBe(3);
	});

	it('describes a selection across a page break with its first and last page', () => {
		const target = select(v1, 'at most (§5).\n1\n\nPreprint. Under review.\n2 R ELATED W ORK');
		expect(target.page).toBe(1);
		expect(target.endPage).toBe(2);
		expect(target.quote.exact).toContain(PAGE_SEPARATOR);
	});

	it('gives a selection the page of its last character, not the page after', () => {
		const endOfPage1 = v1.pageStarts[1] - PAGE_SEPARATOR.length;
		const target = describeText(v1, endOfPage1 - 10, endOfPage1);
		expect(target.quote.exact).toBe('st (§5).\n1');
		expect([target.page, target.endPage]).toEqual([1, 1]);
		// Ending inside the separator (the newline after page 1) is still ending on page 1.
		const withNewline = describeText(v1, endOfPage1 - 10, endOfPage1 + 1);
		expect([withNewline.page, withNewline.endPage]).toEqual([1, 1]);
		const whole = describeText(v1, endOfPage1 - 10, endOfPage1 + 3);
		expect([whole.page, whole.endPage]).toEqual([1, 2]);
		const page3 = describeText(v1, v1.pageStarts[2], v1.pageStarts[2] + 9);
		expect([page3.page, page3.endPage]).toEqual([3, 3]);
	});

	it('rejects empty, reversed and out-of-range ranges', () => {
		for (const [start, end] of [
			[10, 10],
			[11, 10],
			[-1, 5],
			[0, v1.text.length + 1],
			[1.5, 8],
			[Number.NaN, 8]
		]) {
			expect(() => describeText(v1, start, end), `${start}-${end}`).toThrow(RangeError);
		}
	});

	it('never cuts a surrogate pair at the outer edge of the context', () => {
		// 𝑥 (MATHEMATICAL ITALIC SMALL X) takes two UTF-16 code units.
		const doc = documentText([`x𝑥${'a'.repeat(31)}QUOTE${'b'.repeat(31)}𝑦z`]);
		const start = doc.text.indexOf('QUOTE');
		const { quote } = describeText(doc, start, start + 5);
		expect(quote.prefix).toBe('a'.repeat(31));
		expect(quote.suffix).toBe('b'.repeat(31));
	});
});

// --- Folding -----------------------------------------------------------------------------------

describe('normalizeText', () => {
	it('folds what PDF text extraction varies on', () => {
		expect(normalizeString('eﬃcient ﬁne-tuning, ﬂoat, oﬀload')).toBe(
			'efficientfine-tuning,float,offload'
		);
		expect(normalizeString('compu-\ntation and compu- tation')).toBe('computationandcomputation');
		expect(normalizeString('recompu\u00adtation')).toBe('recomputation');
		expect(normalizeString('A B S T R A C T\n1 I NTRODUCTION')).toBe('abstract1introduction');
		expect(normalizeString('block’s “selective” ‘x’')).toBe(`block's"selective"'x'`);
		expect(normalizeString('20–33% − 1 ‐ 2')).toBe('20-33%-1-2');
		expect(normalizeString('naïve  café\u200b 𝑚(𝑣)')).toBe('naivecafem(v)');
	});

	it('keeps real hyphens: compounds, and line ends before capitals or digits', () => {
		expect(normalizeString('low-rank')).toBe('low-rank');
		expect(normalizeString('ZeRO-\nOffload')).toBe('zero-offload');
		expect(normalizeString('0-\n1 knapsack')).toBe('0-1knapsack');
		expect(normalizeString('Rajbhan-')).toBe('rajbhan-');
	});

	it('maps every folded character back to where it came from', () => {
		const original = 'An eﬃcient\nS ELECTIVE re-\ncompu\u00adtation 𝑚';
		const norm = normalizeText(original);
		expect(norm.text).toBe('anefficientselectiverecomputation𝑚'.replace('𝑚', 'm'));
		expect(norm.toOriginal).toHaveLength(norm.text.length + 1);
		expect(norm.toOriginal[norm.text.length]).toBe(original.length);
		for (let i = 0; i < norm.text.length; i++) {
			const source = original.slice(norm.toOriginal[i], sourceEnd(norm, original, i));
			expect(normalizeString(source), source).toContain(norm.text[i]);
		}
		// The three folded letters of ﬃ all come from the ligature.
		const ffi = norm.text.indexOf('ffi');
		expect([...norm.toOriginal.slice(ffi, ffi + 3)]).toEqual([4, 4, 4]);
		// A folded range that starts inside a ligature starts with the whole ligature.
		expect(originalRange(norm, original, ffi + 1, ffi + 5)).toEqual({ start: 4, end: 7 });
		// The math italic m is a surrogate pair: the range ends after both code units.
		const m = norm.text.length - 1;
		expect(originalRange(norm, original, m, m + 1)).toEqual({
			start: original.length - 2,
			end: original.length
		});
	});

	it('folds a quote together with its context, as the document is folded', () => {
		// Alone, "expen-" keeps its hyphen; followed by "\nsive" the hyphen ends a line.
		expect(normalizeQuote('cheap and ', 'expen-', '\nsive matrix')).toEqual({
			prefix: 'cheapand',
			exact: 'expen',
			suffix: 'sivematrix',
			lead: 0,
			trail: 1
		});
		expect(normalizeQuote('alike.', '\n Our ', 'observation')).toMatchObject({
			exact: 'our',
			lead: 2,
			trail: 1
		});
	});
});

// --- Unchanged text ----------------------------------------------------------------------------

describe('anchorText on the text it was described in', () => {
	it('anchors every line and random ranges where they were, exactly', () => {
		const ranges: [number, number][] = [];
		let offset = 0;
		for (const line of v1.text.split('\n')) {
			if (line) ranges.push([offset, offset + line.length]);
			offset += line.length + 1;
		}
		const random = seededRandom(7);
		for (let i = 0; i < 300; i++) {
			const start = Math.floor(random() * (v1.text.length - 1));
			const length = 1 + Math.floor(random() * 400);
			ranges.push([start, Math.min(v1.text.length, start + length)]);
		}
		const targets = ranges.map(([start, end]) => describeText(v1, start, end));
		expect(anchorAll(v1, targets)).toEqual(
			ranges.map(([start, end]) => ({ start, end, exact: true }))
		);
	});

	it('anchors a selection across a page break', () => {
		const target = select(
			v1,
			'costs 4.1% of throughput at most (§5).\n1\n\nPreprint. Under review.'
		);
		expect(anchored(v1, target)).toEqual({ text: target.quote.exact, exact: true });
	});

	it('anchorAll keeps the order of the targets, with null for orphans', () => {
		const targets = [
			select(v1, 'A knapsack formulation'),
			select(v1, 'ZeRO-Ofﬂoad and ZeRO-Inﬁnity further'),
			select(v1, 'Gradient checkpointing trades')
		];
		const doc = paper({
			edits: [replace('ZeRO-Ofﬂoad and ZeRO-Inﬁnity further', 'Other systems')]
		});
		const anchors = anchorAll(doc, targets);
		expect(anchors.map((a) => a && doc.text.slice(a.start, a.end))).toEqual([
			'A knapsack formulation',
			null,
			'Gradient checkpointing trades'
		]);
	});
});

// --- Moved text ----------------------------------------------------------------------------------

describe('anchorText on text that moved', () => {
	const published = paper({ edits: [banner] });

	it('finds a quote that moved, exactly', () => {
		const target = select(v1, 'A knapsack formulation that selects which outputs');
		const anchor = anchorText(published, target);
		const start = published.text.indexOf('A knapsack formulation that selects which outputs');
		expect(start).not.toBe(target.position.start);
		expect(anchor).toEqual({ start, end: start + 49, exact: true });
	});

	it.each(['ZeRO-3', 'LoRA', 'Preprint. Under review.', 'et al., 2020'])(
		'tells the occurrences of "%s" apart by their context',
		(quote) => {
			const before = occurrences(v1.text, quote);
			const after = occurrences(published.text, quote);
			expect(before.length).toBeGreaterThanOrEqual(3);
			expect(after).toHaveLength(before.length);
			const anchors = anchorAll(
				published,
				before.map((start) => describeText(v1, start, start + quote.length))
			);
			expect(anchors.map((a) => a?.start)).toEqual(after);
			expect(anchors.every((a) => a?.exact)).toBe(true);
		}
	);

	it('tells occurrences apart after folding too (ligatures extracted as letters)', () => {
		const doc = paper({ edits: [banner, noLigatures] });
		const quotes = [
			['Parameter-efﬁcient ', 'ﬁne-tuning'],
			['for LoRA ', 'ﬁne-tuning'],
			['Setup. We ', 'ﬁne-tune']
		];
		for (const [before, quote] of quotes) {
			const target = select(v1, quote, before);
			const expected =
				doc.text.indexOf(noLigatures(before + quote, 0)) + noLigatures(before, 0).length;
			expect(anchorText(doc, target), quote).toEqual({
				start: expected,
				end: expected + noLigatures(quote, 0).length,
				exact: false
			});
		}
	});

	it('anchors a selection of whitespace alone by the text around it', () => {
		const separator = describeText(v1, v1.pageStarts[1] - 2, v1.pageStarts[1]);
		expect(separator.quote.exact).toBe(PAGE_SEPARATOR);
		expect(anchorText(published, separator)).toEqual({
			start: published.pageStarts[1] - 2,
			end: published.pageStarts[1],
			exact: true
		});
		const newline = select(v1, '\n', 'technique touches them.');
		const flowed = paper({ edits: [banner, reflow] });
		const at = flowed.text.indexOf('technique touches them.') + 23;
		expect(anchorText(flowed, newline)).toEqual({ start: at, end: at + 2, exact: false });
	});

	it('uses only the context next to the quote, however much was recorded', () => {
		const target = select(v1, 'LoRA', 'Parameter-efﬁcient ﬁne-tuning. ');
		const padded = {
			...target,
			quote: {
				...target.quote,
				prefix: 'x'.repeat(200_000) + target.quote.prefix,
				suffix: target.quote.suffix + 'y'.repeat(200_000)
			}
		};
		expect(anchorText(published, padded)).toEqual(anchorText(published, target));
		expect(anchorText(published, target)?.start).toBe(
			published.text.indexOf('LoRA (Hu et al.,\n2022) freezes')
		);
	});

	it('does not take a short quote at its old position when its context is gone', () => {
		const before = documentText(['Adapters such as LoRA keep the pretrained weights frozen.']);
		const after = documentText(['We never use the LoRA method: all weights are trained here.']);
		const start = before.text.indexOf('LoRA');
		expect(after.text.indexOf('LoRA')).toBe(start);
		expect(anchorText(after, describeText(before, start, start + 4))).toBeNull();
		// A long quote at its old position is taken as it is, whatever surrounds it.
		const long = documentText([
			'Adapters such as LoRA keep the pretrained weights frozen and small.'
		]);
		const longTarget = describeText(long, 17, 60);
		expect(longTarget.quote.exact).toBe('LoRA keep the pretrained weights frozen and');
		const elsewhere = documentText([`${'x'.repeat(17)}${longTarget.quote.exact} yyyyyyyyyy.`]);
		expect(anchorText(elsewhere, longTarget)).toEqual({ start: 17, end: 60, exact: true });
	});
});

// --- Re-extracted text -------------------------------------------------------------------------

describe('anchorText on a re-extraction', () => {
	function expectAnchored(doc: DocumentText, target: TextTarget, text: string, exact = false) {
		expect(anchored(doc, target), JSON.stringify(target.quote.exact)).toEqual({ text, exact });
	}

	it('matches ligatures with their letters, both ways', () => {
		const letters = paper({ edits: [noLigatures] });
		expectAnchored(
			letters,
			select(v1, 'using a proﬁled cost model of each kernel'),
			'using a profiled cost model of each kernel'
		);
		expectAnchored(
			v1,
			select(letters, 'Parameter-efficient fine-tuning. LoRA (Hu et al.,'),
			'Parameter-efﬁcient ﬁne-tuning. LoRA (Hu et al.,'
		);
		// A short quote, found by its context.
		expectAnchored(letters, select(v1, 'ﬁts', 'adapters, it '), 'fits');
	});

	it('matches words hyphenated at a line end with the whole words, both ways', () => {
		const joined = paper({ edits: [dehyphenate] });
		expectAnchored(
			joined,
			select(v1, 'Sharding schemes such as ZeRO (Rajbhan-\ndari et al., 2020)'),
			'Sharding schemes such as ZeRO (Rajbhandari et al., 2020)'
		);
		expectAnchored(
			v1,
			select(joined, 'everything in between is recomputed during the backward pass'),
			'everything in between is recomputed dur-\ning the backward pass'
		);
		// A selection that ends on the first half of a hyphenated word ends there still.
		expectAnchored(
			joined,
			select(v1, 'recomputes cheap element-wise operations and expen-'),
			'recomputes cheap element-wise operations and expen'
		);
	});

	it('matches soft hyphens with hard ones and with none', () => {
		const soft = paper({ edits: [softHyphens] });
		expectAnchored(
			soft,
			select(v1, 'operations and expen-\nsive matrix multiplications alike.'),
			'operations and expen\u00ad\nsive matrix multiplications alike.'
		);
		expectAnchored(
			paper({ edits: [dehyphenate] }),
			select(soft, 'rounded to 1 MiB it is solved by dynamic program\u00ad\nming'),
			'rounded to 1 MiB it is solved by dynamic programming'
		);
	});

	it('matches letter-spaced small caps with plain capitals and with title case', () => {
		const caps = paper({ edits: [unspaceSmallCaps] });
		expectAnchored(caps, select(v1, 'A B S T R A C T'), 'ABSTRACT');
		expectAnchored(caps, select(v1, '1 I NTRODUCTION'), '1 INTRODUCTION');
		expectAnchored(
			caps,
			select(v1, 'S ELECTIVE R ECOMPUTATION : M EMORY -E FFICIENT'),
			'SELECTIVE RECOMPUTATION: MEMORY-EFFICIENT'
		);
		const title = paper({ edits: [replace('1 I NTRODUCTION', '1 Introduction')] });
		expectAnchored(
			title,
			select(v1, '1 I NTRODUCTION\nThe memory footprint'),
			'1 Introduction\nThe memory footprint'
		);
	});

	it('matches across different whitespace: spaces for newlines, double spaces', () => {
		const flowed = paper({ edits: [reflow] });
		expectAnchored(
			flowed,
			select(
				v1,
				'Gradient checkpointing trades that memory for a second forward computation,\ntypically'
			),
			'Gradient checkpointing trades that memory for a second forward computation, typically'
		);
		expectAnchored(
			flowed,
			select(v1, 'technique touches them.\nThe standard remedy'),
			'technique touches them.  The standard remedy'
		);
		// A line-end hyphen that became "hyphen, space".
		expectAnchored(
			flowed,
			select(v1, 'ZeRO (Rajbhan-\ndari et al., 2020) remove the redundancy'),
			'ZeRO (Rajbhan- dari et al., 2020) remove the redundancy'
		);
	});

	it('matches curly quotes with straight ones', () => {
		const straight = paper({ edits: [straightQuotes] });
		expectAnchored(
			straight,
			select(v1, 'An attention block’s\nsoftmax'),
			"An attention block's\nsoftmax"
		);
		expectAnchored(
			straight,
			select(v1, '(“selective acti-\nvation recomputation”)'),
			'("selective acti-\nvation recomputation")'
		);
	});

	it('finds quotes whose column moved in the reading order', () => {
		const swapped = paper({ rightColumnFirst: true });
		for (const quote of [
			'We estimate t(v) by proﬁling each kernel once per\ninput shape',
			// At the top of a column: its prefix is now other text.
			'Our observation is that the cost of recomputation is',
			// At the bottom of a column: its suffix is now other text.
			'recomputes cheap element-wise operations and expen-\nsive matrix multiplications alike.'
		]) {
			const target = select(v1, quote);
			const anchor = anchorText(swapped, target);
			expect(anchor, quote).toEqual({
				start: swapped.text.indexOf(quote),
				end: swapped.text.indexOf(quote) + quote.length,
				exact: true
			});
			expect(anchor!.start).not.toBe(target.position.start);
		}
		// A selection across the columns' boundary no longer exists as one range.
		expect(
			anchorText(swapped, select(v1, 'matrix multiplications alike.\nOur observation is'))
		).toBeNull();
	});

	it('survives all of it at once, for every pair of lines in the columns', () => {
		const doc = paper({
			rightColumnFirst: true,
			edits: [noLigatures, dehyphenate, unspaceSmallCaps, straightQuotes, reflow]
		});
		const targets: TextTarget[] = [];
		for (const page of RECOMPUTE_PAPER) {
			for (const column of page.columns) {
				for (let i = 0; i + 1 < column.length; i++) {
					const quote = `${column[i]}\n${column[i + 1]}`;
					if (quote.length >= 24) targets.push(select(v1, quote));
				}
			}
		}
		expect(targets.length).toBeGreaterThan(90);
		const results = anchorAll(doc, targets).map((anchor, i) => {
			const { prefix, exact, suffix } = targets[i].quote;
			if (!anchor) return `orphan: ${exact}`;
			const found = normalizeString(doc.text.slice(anchor.start, anchor.end));
			return found === normalizeQuote(prefix, exact, suffix).exact ? 'ok' : `moved: ${exact}`;
		});
		expect(results.filter((r) => r !== 'ok')).toEqual([]);
	});

	it('finds a passage across a page break when the footer changed', () => {
		const doc = paper({ edits: [(t, i) => (i === 0 ? t.replace(/\n1$/, '\n– 1 –') : t)] });
		const target = select(
			v1,
			'costs 4.1% of throughput at most (§5).\n1\n\nPreprint. Under review.'
		);
		expect(anchored(doc, target)).toEqual({
			text: 'costs 4.1% of throughput at most (§5).\n– 1 –\n\nPreprint. Under review.',
			exact: false
		});
		const anchor = anchorText(doc, target)!;
		expect([pageAt(doc.pageStarts, anchor.start), pageAt(doc.pageStarts, anchor.end - 1)]).toEqual([
			1, 2
		]);
	});
});

// --- Revised text ------------------------------------------------------------------------------

describe('anchorText on a revised text', () => {
	it('finds a sentence with a few characters changed, approximately', () => {
		const revised = paper({
			edits: [
				banner,
				replace('losing only 4.1%', 'losing only 3.9%'),
				replace('two minutes', 'three minutes')
			]
		});
		expect(
			anchored(
				revised,
				select(
					v1,
					'it ﬁts a 70B-parameter model on eight 40 GB\naccelerators while losing only 4.1% throughput'
				)
			)
		).toEqual({
			text: 'it ﬁts a 70B-parameter model on eight 40 GB\naccelerators while losing only 3.9% throughput',
			exact: false
		});
		expect(
			anchored(
				revised,
				select(v1, 'The proﬁling pass takes under two minutes\nfor a 70B-parameter model')
			)
		).toEqual({
			text: 'The proﬁling pass takes under three minutes\nfor a 70B-parameter model',
			exact: false
		});
	});

	it('orphans a quote from a deleted paragraph', () => {
		const paragraph = RECOMPUTE_PAPER[1].columns[0].slice(11, 18).join('\n');
		expect(paragraph).toMatch(/^Memory sharding and ofﬂoading\.[^]*activations\.$/);
		const doc = paper({ edits: [replace(`${paragraph}\n`, '')] });
		expect(
			anchorText(doc, select(v1, 'ZeRO-Ofﬂoad and ZeRO-Inﬁnity further\nmove them to host memory'))
		).toBeNull();
		expect(anchorText(doc, select(v1, 'These methods\nare orthogonal to ours'))).toBeNull();
	});

	it('orphans a short quote whose sentence is gone, though the word is still elsewhere', () => {
		const doc = paper({
			edits: [
				replace(
					'Activation memory. Chen et al. (2016) introduced\nsublinear-memory training by recomputing segments\nof the forward pass; Checkmate (Jain et al., 2020)\ncasts the choice of tensors to rematerialize as an\ninteger linear program over the full training graph.\n',
					''
				)
			]
		});
		expect(occurrences(doc.text, 'Checkmate')).toHaveLength(1);
		expect(anchorText(doc, select(v1, 'Checkmate'))).toBeNull();
		expect(anchorText(doc, select(v1, 'sublinear-memory training'))).toBeNull();
	});

	it('orphans rewritten sentences rather than matching similar ones', () => {
		const doc = paper({
			edits: [
				replace(
					'the selective scheme of Korthikanti et al. (2023). Full',
					'a hand-tuned policy. Full'
				),
				replace(
					'checkpointing loses 29% of throughput; our policy\nloses 4%',
					'recomputing everything costs far more than our policy'
				)
			]
		});
		expect(
			anchorText(doc, select(v1, 'the selective scheme of Korthikanti et al. (2023)'))
		).toBeNull();
		expect(
			anchorText(doc, select(v1, 'checkpointing loses 29% of throughput; our policy\nloses 4%'))
		).toBeNull();
		// Unchanged neighbours are still found.
		expect(
			anchored(doc, select(v1, 'Throughput. Table 1 compares our policy with no'))?.exact
		).toBe(true);
	});
});

// --- Scale -------------------------------------------------------------------------------------

describe('a 300-page document with 2,000 annotations', () => {
	const pages = syntheticPaper(300, 2026);
	const doc = documentText(pages);

	/** Random ranges inside one page's body (below the running header, above the page number). */
	function bodyRanges(count: number, seed: number, minLength: number, maxLength: number) {
		const random = seededRandom(seed);
		const ranges: { page: number; start: number; end: number }[] = [];
		while (ranges.length < count) {
			const page = Math.floor(random() * pages.length);
			const text = pages[page];
			const bodyStart = text.indexOf('\n') + 1;
			const bodyEnd = text.lastIndexOf('\n');
			const length = minLength + Math.floor(random() * (maxLength - minLength + 1));
			if (bodyEnd - bodyStart <= length) continue;
			const start = bodyStart + Math.floor(random() * (bodyEnd - bodyStart - length));
			const offset = doc.pageStarts[page];
			ranges.push({ page, start: offset + start, end: offset + start + length });
		}
		return ranges;
	}

	const ranges = bodyRanges(2000, 11, 1, 300);
	const targets = ranges.map(({ start, end }) => describeText(doc, start, end));

	function timed<T>(label: string, run: () => T): T {
		const t0 = performance.now();
		const result = run();
		console.log(`${label}: ${(performance.now() - t0).toFixed(1)} ms`);
		return result;
	}

	it('is about 900,000 characters', () => {
		expect(doc.text.length).toBeGreaterThan(800_000);
		expect(doc.pageStarts).toHaveLength(300);
	});

	it('anchors all targets where they were in the same text', () => {
		const anchors = timed('2,000 anchors, unchanged text', () => anchorAll(doc, targets));
		expect(anchors).toEqual(ranges.map(({ start, end }) => ({ start, end, exact: true })));
	});

	it('anchors all targets after a line was added on the first page', () => {
		const line = 'Published as a conference paper at ICLR 2026\n';
		const moved = documentText([line + pages[0], ...pages.slice(1)]);
		const anchors = timed('2,000 anchors, text moved', () => anchorAll(moved, targets));
		expect(anchors).toEqual(
			ranges.map(({ start, end }) => ({
				start: start + line.length,
				end: end + line.length,
				exact: true
			}))
		);
	});

	it('anchors all targets in a re-extraction without ligatures, hyphens and line breaks', () => {
		const reextracted = documentText(
			pages.map((t, i) => reflow(dehyphenate(noLigatures(t, i), i), i))
		);
		const anchors = timed('2,000 anchors, re-extracted text', () =>
			anchorAll(reextracted, targets)
		);
		const wrong = anchors.filter((anchor, i) => {
			const { prefix, exact, suffix } = targets[i].quote;
			if (!anchor) return true;
			const found = normalizeString(reextracted.text.slice(anchor.start, anchor.end));
			const page = pageAt(reextracted.pageStarts, anchor.start);
			return found !== normalizeQuote(prefix, exact, suffix).exact || page !== ranges[i].page + 1;
		});
		expect(wrong).toEqual([]);
	});

	it('orphans the targets of deleted pages and finds the others', () => {
		const kept = documentText([...pages.slice(0, 100), ...pages.slice(110)]);
		const deleted = (page: number) => page >= 100 && page < 110;
		const anchors = timed('2,000 anchors, 10 pages deleted', () => anchorAll(kept, targets));
		const shift = doc.pageStarts[110] - doc.pageStarts[100];
		expect(anchors.filter((a, i) => deleted(ranges[i].page) && a !== null)).toEqual([]);
		expect(anchors.filter((a, i) => deleted(ranges[i].page)).length).toBeGreaterThan(30);
		const expected = ranges.map(({ page, start, end }) =>
			deleted(page)
				? null
				: page < 100
					? { start, end, exact: true }
					: { start: start - shift, end: end - shift, exact: true }
		);
		expect(anchors).toEqual(expected);
	});

	it('anchors the same one at a time, without what anchorAll learns from the others', () => {
		const kept = documentText([...pages.slice(0, 100), ...pages.slice(110)]);
		const sample = targets.filter((_, i) => i % 10 === 0);
		const one = timed(`${sample.length} anchors one by one, 10 pages deleted`, () =>
			sample.map((target) => anchorText(kept, target))
		);
		expect(one).toEqual(anchorAll(kept, sample));
		expect(one.filter((a) => a !== null).length).toBeGreaterThan(150);
	});

	it('finds revised passages of a page that moved far away', () => {
		// Page 10, with the last digit of every percentage changed, now comes after page 250.
		const revised = pages[9].replace(/(\d)%/g, (_, d: string) => `${(Number(d) + 1) % 10}%`);
		expect(revised).not.toBe(pages[9]);
		const moved = documentText([
			...pages.slice(0, 9),
			...pages.slice(10, 251),
			revised,
			...pages.slice(251)
		]);
		const page10 = bodyRanges(4000, 5, 60, 200).filter(({ page }) => page === 9);
		expect(page10.length).toBeGreaterThan(5);
		const delta = moved.pageStarts[250] - doc.pageStarts[9];
		const found = timed(`${page10.length} anchors, revised page moved`, () =>
			anchorAll(
				moved,
				page10.map(({ start, end }) => describeText(doc, start, end))
			)
		);
		let approximate = 0;
		found.forEach((anchor, i) => {
			const { start, end } = page10[i];
			expect(anchor).not.toBeNull();
			expect(Math.abs(anchor!.start - (start + delta))).toBeLessThanOrEqual(2);
			expect(Math.abs(anchor!.end - (end + delta))).toBeLessThanOrEqual(2);
			if (!anchor!.exact) approximate++;
		});
		expect(approximate).toBeGreaterThan(0);
	});
});
