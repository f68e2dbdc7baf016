/**
 * Pure helpers that map between the PDF viewer's text layer and document offsets.
 *
 * pdf.js's text layer shows each text item's raw string (`disableNormalization: true`), while
 * the stored page texts come from `getTextContent()` with its default Unicode normalization
 * (ligatures such as "ﬁ" become "fi"). Items correspond one to one; only characters inside an
 * item may differ, so each item carries a map from raw to normalized character offsets.
 */
import { PAGE_SEPARATOR, type PageTextItem } from './page-text';

/**
 * For a raw string and its normalized form, map[i] is the offset in `normalized` where raw
 * character i starts; map[raw.length] is normalized.length. Returns null when both are equal
 * (the identity map).
 */
export function normalizationMap(raw: string, normalized: string): number[] | null {
	if (raw === normalized) return null;
	const map: number[] = new Array(raw.length + 1);
	let j = 0;
	for (let i = 0; i < raw.length;) {
		const ch = String.fromCodePoint(raw.codePointAt(i) ?? 0);
		map[i] = j;
		if (ch.length === 2) map[i + 1] = j;
		if (normalized.startsWith(ch, j)) {
			j += ch.length;
		} else {
			const nfkc = ch.normalize('NFKC');
			if (nfkc && normalized.startsWith(nfkc, j)) j += nfkc.length;
			// Lost track: resynchronize proportionally so offsets stay monotonic and in range.
			else j = Math.round(((i + ch.length) * normalized.length) / raw.length);
		}
		j = Math.min(Math.max(j, map[i]), normalized.length);
		i += ch.length;
	}
	map[raw.length] = normalized.length;
	return map;
}

/** A raw character offset as a normalized one. */
export function rawToNormalized(map: readonly number[] | null, rawOffset: number): number {
	if (!map) return rawOffset;
	return map[Math.max(0, Math.min(rawOffset, map.length - 1))];
}

/** The first raw offset whose normalized offset is at least `normalizedOffset`. */
export function normalizedToRaw(map: readonly number[] | null, normalizedOffset: number): number {
	if (!map) return normalizedOffset;
	let lo = 0;
	let hi = map.length - 1;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (map[mid] >= normalizedOffset) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/**
 * The part [start, end) of a document range that falls on one page, as offsets in that page's
 * text (length `pageLength`), or null when the range does not touch the page's text.
 */
export function rangeOnPage(
	pageStarts: readonly number[],
	page: number,
	pageLength: number,
	start: number,
	end: number
): { start: number; end: number } | null {
	const pageStart = pageStarts[page - 1];
	if (pageStart === undefined) return null;
	const from = Math.max(start - pageStart, 0);
	const to = Math.min(end - pageStart, pageLength);
	return from < to ? { start: from, end: to } : null;
}

/** The length of page `page`'s text as the stored document text has it (unknown for the last page). */
export function storedPageLength(pageStarts: readonly number[], page: number): number | null {
	if (page < 1 || page >= pageStarts.length) return null;
	return pageStarts[page] - pageStarts[page - 1] - PAGE_SEPARATOR.length;
}

/** The part of one item's text (without its end-of-line) covered by a page-text range. */
export interface ItemSlice {
	item: number;
	/** Offsets within the item's `str` (normalized). */
	from: number;
	to: number;
}

/**
 * The items whose text overlaps page-text range [start, end), given `offsets` from itemOffsets.
 * End-of-line characters are not drawn, so an item is only included for its `str` part.
 */
export function itemSlices(
	items: readonly PageTextItem[],
	offsets: readonly number[],
	start: number,
	end: number
): ItemSlice[] {
	const slices: ItemSlice[] = [];
	// Binary search the last item starting at or before `start`.
	let lo = 0;
	let hi = items.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (offsets[mid] <= start) lo = mid;
		else hi = mid - 1;
	}
	for (let i = lo; i < items.length && offsets[i] < end; i++) {
		const length = items[i].str?.length ?? 0;
		const from = Math.max(start - offsets[i], 0);
		const to = Math.min(end - offsets[i], length);
		if (from < to) slices.push({ item: i, from, to });
	}
	return slices;
}
