/**
 * Ties a rendered pdf.js text layer to the page's text items, so DOM positions become page-text
 * offsets and back. pdf.js creates one span per text item, in item order, and leaves out items
 * whose string is empty; find results wrap parts of a span in more spans, so positions are
 * counted in characters, never in nodes.
 */
import { itemOffsets, pageTextFromItems, type PageTextItem } from '$lib/papers/page-text';
import {
	itemSlices,
	normalizationMap,
	normalizedToRaw,
	rawToNormalized
} from '$lib/papers/viewer-text';

/** A page's text as the stored document text has it (pdf.js `getTextContent()` defaults). */
export interface PageText {
	items: PageTextItem[];
	offsets: number[];
	length: number;
}

export function pageText(items: PageTextItem[]): PageText {
	return { items, offsets: itemOffsets(items), length: pageTextFromItems(items).length };
}

export class PageTextLayer {
	/** The text layer's span for each item (null for items pdf.js did not put in the DOM). */
	readonly divs: (HTMLElement | null)[];
	/** Per item, raw (shown) → normalized (stored) character offsets; null when equal. */
	readonly maps: (number[] | null)[];
	/** False when the spans did not line up with the items (offsets would be wrong). */
	readonly aligned: boolean;

	constructor(
		readonly page: number,
		readonly text: PageText,
		readonly layer: HTMLElement
	) {
		// Item spans sit in the layer or in marked-content spans; find results nest inside them.
		const spans = [...layer.querySelectorAll<HTMLElement>('span:not(.markedContent)')].filter(
			(span) =>
				span.parentElement === layer || span.parentElement?.classList.contains('markedContent')
		);
		this.divs = [];
		this.maps = [];
		let next = 0;
		let aligned = true;
		for (const item of text.items) {
			const str = item.str ?? '';
			const span = str === '' ? null : (spans[next++] ?? null);
			this.divs.push(span);
			const raw = span?.textContent ?? str;
			this.maps.push(normalizationMap(raw, str));
			if (span && raw.normalize('NFKC') !== str.normalize('NFKC')) aligned = false;
		}
		this.aligned = aligned && next === spans.length;
	}

	get connected(): boolean {
		return this.layer.isConnected && !this.layer.hidden;
	}

	/** The page-text offset of raw character `rawChar` in item `item`'s span. */
	offsetAt(item: number, rawChar: number): number {
		return this.text.offsets[item] + rawToNormalized(this.maps[item], rawChar);
	}

	/** DOM ranges covering page-text range [start, end) (one per text item). */
	ranges(start: number, end: number): Range[] {
		const ranges: Range[] = [];
		for (const { item, from, to } of itemSlices(this.text.items, this.text.offsets, start, end)) {
			const div = this.divs[item];
			if (!div) continue;
			const range = document.createRange();
			range.setStart(...pointIn(div, normalizedToRaw(this.maps[item], from)));
			range.setEnd(...pointIn(div, normalizedToRaw(this.maps[item], to)));
			ranges.push(range);
		}
		return ranges;
	}
}

/** The DOM position of raw character `offset` inside a text-layer span. */
function pointIn(div: HTMLElement, offset: number): [Node, number] {
	const walker = document.createTreeWalker(div, NodeFilter.SHOW_TEXT);
	let remaining = offset;
	let last: Text | null = null;
	for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
		if (remaining <= node.data.length) return [node, remaining];
		remaining -= node.data.length;
		last = node;
	}
	return last ? [last, last.data.length] : [div, 0];
}

/** How many characters of `div`'s text come before DOM position (node, offset) inside it. */
export function charsBefore(div: HTMLElement, node: Node, offset: number): number {
	const range = document.createRange();
	range.setStart(div, 0);
	range.setEnd(node, offset);
	return range.toString().length;
}
