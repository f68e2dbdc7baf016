/**
 * The text of a paper, as annotations count it. Pure: no DOM, no pdf.js import, so the server
 * (at upload) and the browser (text layer) derive the very same string from the same
 * `getTextContent()` items.
 *
 * A page's text is its items' `str` in order, each followed by '\n' when the item has `hasEOL`.
 * The document text is the pages' texts joined by PAGE_SEPARATOR. Offsets count UTF-16 code
 * units.
 */

export const PAGE_SEPARATOR = '\n\n';

/**
 * One item of pdf.js `TextContent.items`: a text item (`str`, `hasEOL`) or, when
 * `includeMarkedContent` is on, a marked-content marker (`type`, no `str`), which adds no text.
 * Both pdf.js item types are assignable to it.
 */
export interface PageTextItem {
	str?: string;
	hasEOL?: boolean;
	type?: string;
}

/** The document text of a paper and where each page starts in it. */
export interface DocumentText {
	text: string;
	/** pageStarts[i] is the offset of page i + 1's first character. */
	pageStarts: number[];
}

/** A position as page (1-based) and offset within that page's text. */
export interface PageOffset {
	page: number;
	offset: number;
}

/** The text of one page from its pdf.js text items. */
export function pageTextFromItems(items: readonly PageTextItem[]): string {
	let text = '';
	for (const item of items) {
		if (typeof item.str !== 'string') continue;
		text += item.str;
		if (item.hasEOL) text += '\n';
	}
	return text;
}

/**
 * For each item index, the offset in the page text where that item's text starts (items without
 * text get the offset where they stand). One more entry at the end holds the page text's length,
 * so item i covers [offsets[i], offsets[i + 1]) including its '\n'.
 */
export function itemOffsets(items: readonly PageTextItem[]): number[] {
	const offsets: number[] = new Array(items.length + 1);
	let offset = 0;
	for (let i = 0; i < items.length; i++) {
		offsets[i] = offset;
		const item = items[i];
		if (typeof item.str !== 'string') continue;
		offset += item.str.length + (item.hasEOL ? 1 : 0);
	}
	offsets[items.length] = offset;
	return offsets;
}

/** Joins page texts with PAGE_SEPARATOR and records where each page starts. */
export function documentText(pages: readonly string[]): DocumentText {
	const pageStarts: number[] = [];
	let offset = 0;
	for (let i = 0; i < pages.length; i++) {
		if (i > 0) offset += PAGE_SEPARATOR.length;
		pageStarts.push(offset);
		offset += pages[i].length;
	}
	return { text: pages.join(PAGE_SEPARATOR), pageStarts };
}

function checkOffset(offset: number): void {
	if (!Number.isInteger(offset) || offset < 0) {
		throw new RangeError(`Invalid text offset ${offset}`);
	}
}

/**
 * The 1-based page that contains the character at `offset`. A separator belongs to the page after
 * it; offsets past the end belong to the last page.
 */
export function pageAt(pageStarts: readonly number[], offset: number): number {
	checkOffset(offset);
	if (pageStarts.length === 0) throw new RangeError('The document has no pages');
	// Page p + 1 (p >= 1) begins where its separator begins: pageStarts[p] - separator length.
	let lo = 1;
	let hi = pageStarts.length - 1;
	let page = 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (pageStarts[mid] - PAGE_SEPARATOR.length <= offset) {
			page = mid + 1;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return page;
}

/**
 * A document offset as page and offset in that page's text. An offset inside a separator becomes
 * offset 0 of the following page (the same place in the text, as a boundary).
 */
export function toPageOffset(pageStarts: readonly number[], offset: number): PageOffset {
	const page = pageAt(pageStarts, offset);
	return { page, offset: Math.max(0, offset - pageStarts[page - 1]) };
}

/** A page (1-based) and an offset in that page's text as a document offset. */
export function toDocumentOffset(
	pageStarts: readonly number[],
	page: number,
	offset: number
): number {
	if (!Number.isInteger(page) || page < 1 || page > pageStarts.length) {
		throw new RangeError(`Invalid page ${page}`);
	}
	checkOffset(offset);
	if (page < pageStarts.length && offset > pageStarts[page] - PAGE_SEPARATOR.length) {
		throw new RangeError(`Offset ${offset} is past the end of page ${page}`);
	}
	return pageStarts[page - 1] + offset;
}
