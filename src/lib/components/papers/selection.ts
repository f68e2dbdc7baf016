/** Text selection in the viewer's text layers → document offsets, reported once it settles. */
import { charsBefore, type PageTextLayer } from './page-text-layer';

export interface TextSelection {
	start: number;
	end: number;
}

/**
 * Document offsets of a DOM range over the text layers (`layers` in page order). The range may
 * start or end between spans, between pages or outside the pages: it covers the text of every
 * span it touches, and of the end spans only the part inside it.
 */
export function rangeToOffsets(
	range: Range,
	layers: readonly PageTextLayer[],
	pageStarts: readonly number[]
): TextSelection | null {
	let start: number | null = null;
	let end: number | null = null;
	for (const layer of layers) {
		const pageStart = pageStarts[layer.page - 1];
		if (pageStart === undefined || !layer.connected || !range.intersectsNode(layer.layer)) continue;
		for (let item = 0; item < layer.divs.length; item++) {
			const div = layer.divs[item];
			if (!div || !range.intersectsNode(div)) continue;
			if (start === null) {
				const first = div.contains(range.startContainer)
					? charsBefore(div, range.startContainer, range.startOffset)
					: 0;
				start = pageStart + layer.offsetAt(item, first);
			}
			const last = div.contains(range.endContainer)
				? charsBefore(div, range.endContainer, range.endOffset)
				: (div.textContent ?? '').length;
			end = pageStart + layer.offsetAt(item, last);
		}
	}
	return start !== null && end !== null && end > start ? { start, end } : null;
}

/**
 * Calls `onselect` when the person finishes selecting text inside `container`: on pointer up,
 * and after a pause for keyboard or touch selections. Each distinct selection is reported once.
 */
export function watchTextSelection(
	container: HTMLElement,
	options: {
		active: () => boolean;
		resolve: (range: Range) => TextSelection | null;
		onselect: (selection: TextSelection) => void;
	}
): () => void {
	let pointerDown = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let lastKey = '';
	const check = () => {
		clearTimeout(timer);
		// A drag is not finished: its pointer up checks again.
		if (pointerDown) return;
		const selection = document.getSelection();
		if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
			lastKey = '';
			return;
		}
		const range = selection.getRangeAt(0);
		if (!options.active() || !container.contains(range.commonAncestorContainer)) return;
		const offsets = options.resolve(range);
		const key = offsets ? `${offsets.start}:${offsets.end}` : '';
		if (!offsets || key === lastKey) return;
		lastKey = key;
		options.onselect(offsets);
	};
	const later = (ms: number) => {
		clearTimeout(timer);
		timer = setTimeout(check, ms);
	};
	const onPointerDown = (event: PointerEvent) => {
		if (event.button !== 0) return;
		pointerDown = true;
		// A check still waiting from before would report the drag half-way.
		clearTimeout(timer);
	};
	const onPointerUp = () => {
		if (!pointerDown) return;
		pointerDown = false;
		later(0);
	};
	const onSelectionChange = () => {
		if (!pointerDown) later(500);
	};
	const onKeyUp = () => later(300);
	container.addEventListener('pointerdown', onPointerDown);
	container.addEventListener('keyup', onKeyUp);
	document.addEventListener('pointerup', onPointerUp);
	document.addEventListener('pointercancel', onPointerUp);
	document.addEventListener('selectionchange', onSelectionChange);
	return () => {
		clearTimeout(timer);
		container.removeEventListener('pointerdown', onPointerDown);
		container.removeEventListener('keyup', onKeyUp);
		document.removeEventListener('pointerup', onPointerUp);
		document.removeEventListener('pointercancel', onPointerUp);
		document.removeEventListener('selectionchange', onSelectionChange);
	};
}
