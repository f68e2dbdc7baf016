/**
 * Draws highlights over one rendered page as translucent boxes positioned in percent of the page
 * (so zooming keeps them in place until they are recomputed). The layer lets the pointer through
 * to the text layer beneath (selection keeps working over highlights); clicks are matched by
 * hitTest(). Each highlight is also a focusable button, so keyboard users can reach the
 * highlights on rendered pages; the sidebar remains the complete list.
 */
import {
	boxContains,
	boxToPercent,
	mergeLineBoxes,
	pageRectToPercent,
	unionBox,
	type Box
} from '$lib/papers/viewer-geometry';
import { rangeOnPage } from '$lib/papers/viewer-text';
import type { Highlight } from '$lib/papers/viewer-types';
import type { PageTextLayer } from './page-text-layer';

const LAYER_CLASS = 'pv-highlights';

export interface PageGeometry {
	page: number;
	pageDiv: HTMLElement;
	/** The page's size in PDF points at scale 1, as displayed. */
	pointWidth: number;
	pointHeight: number;
	/** The page's text layer when rendered, for text highlights. */
	text: PageTextLayer | null;
	pageStarts: readonly number[];
}

/** Replaces the page's highlight layer with one drawn from `highlights`; returns it. */
export function drawPageHighlights(
	geometry: PageGeometry,
	highlights: readonly Highlight[]
): HTMLElement {
	const { pageDiv } = geometry;
	const layer = document.createElement('div');
	layer.className = LAYER_CLASS;
	const drawn: { box: Box; element: HTMLElement }[] = [];
	for (const highlight of highlights) {
		const boxes = highlightBoxes(geometry, highlight);
		const union = unionBox(boxes);
		if (!union) continue;
		drawn.push({ box: union, element: highlightElement(highlight, union, boxes) });
	}
	// Reading order for Tab: top to bottom, then left to right.
	drawn.sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left);
	layer.append(...drawn.map((d) => d.element));
	pageDiv.querySelector(`:scope > .${LAYER_CLASS}`)?.remove();
	pageDiv.append(layer);
	return layer;
}

/** The boxes (percent of the page) that make up one highlight on this page. */
function highlightBoxes(geometry: PageGeometry, highlight: Highlight): Box[] {
	const { page, pageDiv, pointWidth, pointHeight, text, pageStarts } = geometry;
	if (highlight.kind === 'region') {
		return highlight.page === page
			? [pageRectToPercent(highlight.rect, pointWidth, pointHeight)]
			: [];
	}
	if (!text?.connected) return [];
	const local = rangeOnPage(pageStarts, page, text.text.length, highlight.start, highlight.end);
	if (!local) return [];
	const origin = pageDiv.getBoundingClientRect();
	const left = origin.left + pageDiv.clientLeft;
	const top = origin.top + pageDiv.clientTop;
	const pixels: Box[] = [];
	for (const range of text.ranges(local.start, local.end)) {
		for (const r of range.getClientRects()) {
			pixels.push({ left: r.left - left, top: r.top - top, width: r.width, height: r.height });
		}
	}
	return mergeLineBoxes(pixels).map((b) =>
		boxToPercent(b, pageDiv.clientWidth, pageDiv.clientHeight)
	);
}

function highlightElement(highlight: Highlight, union: Box, boxes: Box[]): HTMLElement {
	const button = document.createElement('button');
	button.type = 'button';
	button.className = 'pv-hl';
	button.dataset.highlightId = highlight.id;
	if (highlight.tone) button.dataset.tone = highlight.tone;
	if (highlight.selected) button.setAttribute('aria-current', 'true');
	button.setAttribute(
		'aria-label',
		highlight.label ?? (highlight.kind === 'text' ? 'Highlighted passage' : 'Highlighted figure')
	);
	place(button, union);
	for (const box of boxes) {
		const part = document.createElement('span');
		part.className = 'pv-hl-part';
		place(part, {
			left: (100 * (box.left - union.left)) / union.width,
			top: (100 * (box.top - union.top)) / union.height,
			width: (100 * box.width) / union.width,
			height: (100 * box.height) / union.height
		});
		button.append(part);
	}
	return button;
}

function place(element: HTMLElement, box: Box): void {
	element.style.left = `${box.left}%`;
	element.style.top = `${box.top}%`;
	element.style.width = `${box.width}%`;
	element.style.height = `${box.height}%`;
}

/**
 * The id of the highlight drawn at client point (x, y) on `pageDiv`, preferring the smallest
 * when several overlap, or null.
 */
function hitTest(pageDiv: HTMLElement, x: number, y: number): string | null {
	let best: { id: string; area: number } | null = null;
	for (const part of pageDiv.querySelectorAll<HTMLElement>(`.${LAYER_CLASS} .pv-hl-part`)) {
		const r = part.getBoundingClientRect();
		if (!boxContains({ left: r.left, top: r.top, width: r.width, height: r.height }, x, y))
			continue;
		const id = part.parentElement?.dataset.highlightId;
		const area = r.width * r.height;
		if (id && (!best || area < best.area)) best = { id, area };
	}
	return best?.id ?? null;
}

/** The first drawn element of highlight `id` inside `root`, if its page is rendered. */
export function highlightElementById(root: HTMLElement, id: string): HTMLElement | null {
	for (const element of root.querySelectorAll<HTMLElement>(`.${LAYER_CLASS} .pv-hl`)) {
		if (element.dataset.highlightId === id) return element;
	}
	return null;
}

/** The highlight under client point (x, y) inside `container`, found by position. */
function highlightAt(container: HTMLElement, x: number, y: number): string | null {
	const pageDiv = document.elementFromPoint(x, y)?.closest<HTMLElement>('.page[data-page-number]');
	return pageDiv && container.contains(pageDiv) ? hitTest(pageDiv, x, y) : null;
}

/**
 * Reports clicks on highlights: pointer clicks that select nothing, found by position (the
 * highlights let the pointer through), and highlight buttons activated from the keyboard. A
 * pointer click is a press and release close together, not a `click` event: pdf.js moves its
 * text layer's end-of-content element on pointer up, and Chrome then drops the click.
 */
export function watchHighlightClicks(
	container: HTMLElement,
	onclick: (id: string) => void
): () => void {
	let down: { x: number; y: number; time: number } | null = null;
	let frame = 0;
	const onPointerDown = (event: PointerEvent) => {
		down =
			event.button === 0 && event.isPrimary
				? { x: event.clientX, y: event.clientY, time: event.timeStamp }
				: null;
	};
	const onPointerUp = (event: PointerEvent) => {
		const start = down;
		down = null;
		if (!start || event.timeStamp - start.time > 800) return;
		if (Math.hypot(event.clientX - start.x, event.clientY - start.y) > 4) return;
		if ((event.target as Element).closest('a')) return;
		const id = highlightAt(container, event.clientX, event.clientY);
		if (!id) return;
		// Once the browser has placed the caret, or selected a word (double click: no click).
		setTimeout(() => {
			if (document.getSelection()?.isCollapsed !== false) onclick(id);
		});
	};
	const onClick = (event: MouseEvent) => {
		const button = (event.target as Element).closest<HTMLElement>('.pv-hl');
		if (button?.dataset.highlightId) onclick(button.dataset.highlightId);
	};
	const onPointerMove = (event: PointerEvent) => {
		if (frame) return;
		const { clientX, clientY } = event;
		frame = requestAnimationFrame(() => {
			frame = 0;
			const over = highlightAt(container, clientX, clientY) !== null;
			container.classList.toggle('pv-over-highlight', over);
		});
	};
	container.addEventListener('pointerdown', onPointerDown, true);
	container.addEventListener('pointerup', onPointerUp, true);
	container.addEventListener('click', onClick);
	container.addEventListener('pointermove', onPointerMove);
	return () => {
		cancelAnimationFrame(frame);
		container.removeEventListener('pointerdown', onPointerDown, true);
		container.removeEventListener('pointerup', onPointerUp, true);
		container.removeEventListener('click', onClick);
		container.removeEventListener('pointermove', onPointerMove);
	};
}
