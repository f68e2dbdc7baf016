import { describe, expect, it } from 'vitest';
import type { TextItem, TextMarkedContent } from 'pdfjs-dist/types/src/display/api';
import {
	PAGE_SEPARATOR,
	documentText,
	itemOffsets,
	pageAt,
	pageTextFromItems,
	toDocumentOffset,
	toPageOffset
} from '$lib/papers/page-text';

/** A text item shaped as pdf.js returns it. */
function item(str: string, hasEOL = false): TextItem {
	return {
		str,
		hasEOL,
		dir: 'ltr',
		transform: [10, 0, 0, 10, 72, 700],
		width: 0,
		height: 10,
		fontName: 'g_d0_f1'
	};
}

const begin: TextMarkedContent = { type: 'beginMarkedContentProps', id: 'p1R_mc0' };
const end: TextMarkedContent = { type: 'endMarkedContent', id: '' };

// getTextContent({ includeMarkedContent: true }) for a title, a heading and two body lines.
const items: Array<TextItem | TextMarkedContent> = [
	begin,
	item('LoRA: Low-Rank Adaptation', true),
	end,
	begin,
	item('1 I'),
	item('NTRODUCTION', true),
	end,
	item('Low-rank adapters freeze the pretrained'),
	item(' '),
	item('weights and train', true),
	item(''),
	item('a small update ∆W = BA.')
];

describe('pageTextFromItems', () => {
	it('joins item strings, adds a newline after hasEOL items, and skips marked content', () => {
		expect(pageTextFromItems(items)).toBe(
			'LoRA: Low-Rank Adaptation\n1 INTRODUCTION\nLow-rank adapters freeze the pretrained weights and train\na small update ∆W = BA.'
		);
	});

	it('counts an empty item with hasEOL as a line break', () => {
		expect(pageTextFromItems([item('ZeRO-3'), item('', true), item('partitions')])).toBe(
			'ZeRO-3\npartitions'
		);
	});

	it('gives the empty string for a page without text', () => {
		expect(pageTextFromItems([begin, end])).toBe('');
		expect(pageTextFromItems([])).toBe('');
	});

	it('is deterministic: the same items give the same text', () => {
		const copy = structuredClone(items);
		expect(pageTextFromItems(copy)).toBe(pageTextFromItems(items));
	});
});

describe('itemOffsets', () => {
	it('gives each item its start offset in the page text, and the length at the end', () => {
		const text = pageTextFromItems(items);
		const offsets = itemOffsets(items);
		expect(offsets).toHaveLength(items.length + 1);
		expect(offsets[offsets.length - 1]).toBe(text.length);
		items.forEach((it, i) => {
			if ('str' in it) expect(text.slice(offsets[i], offsets[i] + it.str.length)).toBe(it.str);
		});
		// "NTRODUCTION" follows "1 I" on the second line.
		expect(offsets[5]).toBe('LoRA: Low-Rank Adaptation\n1 I'.length);
	});

	it('gives marked-content items the offset where they stand, without advancing', () => {
		const offsets = itemOffsets(items);
		expect(offsets[0]).toBe(0);
		expect(offsets[1]).toBe(0);
		expect(offsets[2]).toBe('LoRA: Low-Rank Adaptation\n'.length);
		expect(offsets[3]).toBe(offsets[2]);
		expect(offsets[4]).toBe(offsets[2]);
	});
});

describe('documentText', () => {
	const pages = [
		'Abstract\nGradient checkpointing',
		'trades memory for compute.',
		'',
		'References'
	];
	const doc = documentText(pages);

	it('joins pages with the separator and records where each starts', () => {
		expect(PAGE_SEPARATOR).toBe('\n\n');
		expect(doc.text).toBe(pages.join('\n\n'));
		expect(doc.pageStarts).toEqual([0, 33, 61, 63]);
		pages.forEach((page, i) => {
			expect(doc.text.slice(doc.pageStarts[i], doc.pageStarts[i] + page.length)).toBe(page);
		});
	});

	it('handles one page and no pages', () => {
		expect(documentText(['only'])).toEqual({ text: 'only', pageStarts: [0] });
		expect(documentText([])).toEqual({ text: '', pageStarts: [] });
	});

	describe('pageAt', () => {
		it('finds the page of offsets at and around page boundaries', () => {
			const { pageStarts } = doc;
			expect(pageAt(pageStarts, 0)).toBe(1);
			expect(pageAt(pageStarts, 30)).toBe(1); // last character of page 1
			expect(pageAt(pageStarts, 31)).toBe(2); // first separator character
			expect(pageAt(pageStarts, 32)).toBe(2); // second separator character
			expect(pageAt(pageStarts, 33)).toBe(2); // first character of page 2
			expect(pageAt(pageStarts, 58)).toBe(2); // last character of page 2
			expect(pageAt(pageStarts, 59)).toBe(3); // separator before the empty page 3
			expect(pageAt(pageStarts, 61)).toBe(4); // separator after the empty page 3
			expect(pageAt(pageStarts, 63)).toBe(4);
			expect(pageAt(pageStarts, doc.text.length)).toBe(4);
			expect(pageAt(pageStarts, doc.text.length + 10)).toBe(4);
		});

		it('agrees with a linear scan at every offset', () => {
			for (let offset = 0; offset <= doc.text.length; offset++) {
				let page = 1;
				for (let i = 1; i < doc.pageStarts.length; i++) {
					if (offset >= doc.pageStarts[i] - PAGE_SEPARATOR.length) page = i + 1;
				}
				expect(pageAt(doc.pageStarts, offset)).toBe(page);
			}
		});

		it('rejects negative and fractional offsets and documents without pages', () => {
			expect(() => pageAt(doc.pageStarts, -1)).toThrow(RangeError);
			expect(() => pageAt(doc.pageStarts, 1.5)).toThrow(RangeError);
			expect(() => pageAt([], 0)).toThrow(RangeError);
		});
	});

	describe('toPageOffset and toDocumentOffset', () => {
		it('convert back and forth', () => {
			const { pageStarts } = doc;
			expect(toPageOffset(pageStarts, 0)).toEqual({ page: 1, offset: 0 });
			expect(toPageOffset(pageStarts, 38)).toEqual({ page: 2, offset: 5 });
			expect(toPageOffset(pageStarts, 64)).toEqual({ page: 4, offset: 1 });
			expect(toDocumentOffset(pageStarts, 2, 5)).toBe(38);
			expect(toDocumentOffset(pageStarts, 1, 31)).toBe(31); // the end of page 1
			for (let offset = 0; offset <= doc.text.length; offset++) {
				const { page, offset: inPage } = toPageOffset(pageStarts, offset);
				// Offsets inside a separator move to the next page's start; all others round-trip.
				if (offset >= pageStarts[page - 1]) {
					expect(toDocumentOffset(pageStarts, page, inPage)).toBe(offset);
				}
			}
		});

		it('puts offsets inside a separator at the start of the following page', () => {
			expect(toPageOffset(doc.pageStarts, 31)).toEqual({ page: 2, offset: 0 });
			expect(toPageOffset(doc.pageStarts, 32)).toEqual({ page: 2, offset: 0 });
		});

		it('rejects pages and offsets that do not exist', () => {
			expect(() => toDocumentOffset(doc.pageStarts, 0, 0)).toThrow(RangeError);
			expect(() => toDocumentOffset(doc.pageStarts, 5, 0)).toThrow(RangeError);
			expect(() => toDocumentOffset(doc.pageStarts, 1, 32)).toThrow(RangeError);
			expect(() => toDocumentOffset(doc.pageStarts, 1, -1)).toThrow(RangeError);
		});
	});
});
