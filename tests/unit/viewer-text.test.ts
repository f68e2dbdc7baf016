import { describe, expect, it } from 'vitest';
import { documentText, itemOffsets, pageTextFromItems } from '$lib/papers/page-text';
import {
	itemSlices,
	normalizationMap,
	normalizedToRaw,
	rangeOnPage,
	rawToNormalized,
	storedPageLength
} from '$lib/papers/viewer-text';

describe('normalizationMap', () => {
	it('is the identity (null) when nothing was normalized', () => {
		expect(normalizationMap('plain text', 'plain text')).toBeNull();
		expect(rawToNormalized(null, 4)).toBe(4);
		expect(normalizedToRaw(null, 4)).toBe(4);
	});

	it('maps a ligature to the two letters it becomes', () => {
		// "ﬁnd" shown by the text layer, "find" in the stored text.
		const map = normalizationMap('a ﬁne', 'a fine');
		expect(map).toEqual([0, 1, 2, 4, 5, 6]);
		expect(rawToNormalized(map, 3)).toBe(4); // after "ﬁ"
		expect(normalizedToRaw(map, 2)).toBe(2); // start of "fi" → start of "ﬁ"
		expect(normalizedToRaw(map, 4)).toBe(3);
		expect(normalizedToRaw(map, 3)).toBe(3); // inside "fi": rounds up to after "ﬁ"
	});

	it('keeps surrogate pairs together', () => {
		const map = normalizationMap('𝑥ﬀ', '𝑥ff');
		expect(map).toEqual([0, 0, 2, 4]);
	});

	it('stays monotonic and in range when the strings disagree', () => {
		const map = normalizationMap('abcdef', 'xy') as number[];
		expect(map[0]).toBe(0);
		expect(map[6]).toBe(2);
		for (let i = 1; i < map.length; i++) expect(map[i]).toBeGreaterThanOrEqual(map[i - 1]);
		expect(Math.max(...map)).toBeLessThanOrEqual(2);
	});
});

describe('rangeOnPage', () => {
	// Pages "Hello\nworld" (11) and "Second page" (11), joined by "\n\n".
	const { pageStarts } = documentText(['Hello\nworld', 'Second page']);

	it('clips a range crossing a page break to each page', () => {
		expect(pageStarts).toEqual([0, 13]);
		expect(rangeOnPage(pageStarts, 1, 11, 6, 20)).toEqual({ start: 6, end: 11 });
		expect(rangeOnPage(pageStarts, 2, 11, 6, 20)).toEqual({ start: 0, end: 7 });
	});

	it('is null for a page the range does not touch', () => {
		expect(rangeOnPage(pageStarts, 2, 11, 0, 11)).toBeNull();
		expect(rangeOnPage(pageStarts, 1, 11, 13, 15)).toBeNull();
		expect(rangeOnPage(pageStarts, 3, 11, 0, 30)).toBeNull();
	});

	it('knows stored page lengths except the last', () => {
		expect(storedPageLength(pageStarts, 1)).toBe(11);
		expect(storedPageLength(pageStarts, 2)).toBeNull();
	});
});

describe('itemSlices', () => {
	const items = [
		{ str: 'Deep', hasEOL: false },
		{ type: 'beginMarkedContent' },
		{ str: ' learning', hasEOL: true },
		{ str: '', hasEOL: true },
		{ str: 'works', hasEOL: false }
	];
	const offsets = itemOffsets(items);
	const text = pageTextFromItems(items);

	it('finds the items under a range and the part of each', () => {
		expect(text).toBe('Deep learning\n\nworks');
		const start = text.indexOf('p le');
		const end = text.indexOf('rks');
		expect(itemSlices(items, offsets, start, end)).toEqual([
			{ item: 0, from: 3, to: 4 },
			{ item: 2, from: 0, to: 9 },
			{ item: 4, from: 0, to: 2 }
		]);
	});

	it('leaves out end-of-line characters and empty items', () => {
		expect(itemSlices(items, offsets, 13, 15)).toEqual([]);
	});

	it('handles a range inside one item and the very end', () => {
		expect(itemSlices(items, offsets, 1, 2)).toEqual([{ item: 0, from: 1, to: 2 }]);
		expect(itemSlices(items, offsets, 15, 20)).toEqual([{ item: 4, from: 0, to: 5 }]);
	});
});
