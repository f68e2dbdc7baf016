/** Region mode: drag a rectangle over a page, shown as a rubber band, reported in PDF points. */
import type { PageRect } from '$lib/annotations/types';
import { boxToPageRect, dragBox, type Box } from '$lib/papers/viewer-geometry';

/** Drags smaller than this (CSS pixels, both sides) count as clicks. */
const MIN_DRAG = 4;

export function attachRegionSelect(
	container: HTMLElement,
	options: {
		active: () => boolean;
		/** The page's size in PDF points at scale 1 as displayed, or null if not known yet. */
		pointSize: (page: number) => { width: number; height: number } | null;
		onselect: (selection: { page: number; rect: PageRect }) => void;
	}
): () => void {
	let drag: {
		pointerId: number;
		page: number;
		pageDiv: HTMLElement;
		band: HTMLElement;
		x0: number;
		y0: number;
		box: Box;
	} | null = null;

	const local = (pageDiv: HTMLElement, event: PointerEvent) => {
		const r = pageDiv.getBoundingClientRect();
		return [event.clientX - r.left - pageDiv.clientLeft, event.clientY - r.top - pageDiv.clientTop];
	};
	const end = () => {
		drag?.band.remove();
		if (drag && container.hasPointerCapture(drag.pointerId)) {
			container.releasePointerCapture(drag.pointerId);
		}
		drag = null;
	};
	const onPointerDown = (event: PointerEvent) => {
		if (!options.active() || event.button !== 0 || drag) return;
		const pageDiv = (event.target as Element).closest<HTMLElement>('.page[data-page-number]');
		if (!pageDiv || !container.contains(pageDiv)) return;
		event.preventDefault();
		const [x0, y0] = local(pageDiv, event);
		const band = document.createElement('div');
		band.className = 'pv-rubber-band';
		pageDiv.append(band);
		container.setPointerCapture(event.pointerId);
		const page = Number(pageDiv.dataset.pageNumber);
		drag = {
			pointerId: event.pointerId,
			page,
			pageDiv,
			band,
			x0,
			y0,
			box: dragBox(x0, y0, x0, y0, 0, 0)
		};
	};
	const onPointerMove = (event: PointerEvent) => {
		if (!drag || event.pointerId !== drag.pointerId) return;
		const [x, y] = local(drag.pageDiv, event);
		const { clientWidth, clientHeight } = drag.pageDiv;
		drag.box = dragBox(drag.x0, drag.y0, x, y, clientWidth, clientHeight);
		const { style } = drag.band;
		style.left = `${drag.box.left}px`;
		style.top = `${drag.box.top}px`;
		style.width = `${drag.box.width}px`;
		style.height = `${drag.box.height}px`;
	};
	const onPointerUp = (event: PointerEvent) => {
		if (!drag || event.pointerId !== drag.pointerId) return;
		onPointerMove(event);
		const { page, pageDiv, box } = drag;
		end();
		const size = options.pointSize(page);
		if (!size || (box.width < MIN_DRAG && box.height < MIN_DRAG)) return;
		const rect = boxToPageRect(
			box,
			pageDiv.clientWidth,
			pageDiv.clientHeight,
			size.width,
			size.height
		);
		options.onselect({ page, rect });
	};
	const onKeyDown = (event: KeyboardEvent) => {
		if (drag && event.key === 'Escape') {
			event.preventDefault();
			end();
		}
	};
	container.addEventListener('pointerdown', onPointerDown);
	container.addEventListener('pointermove', onPointerMove);
	container.addEventListener('pointerup', onPointerUp);
	container.addEventListener('pointercancel', end);
	container.addEventListener('keydown', onKeyDown);
	return () => {
		end();
		container.removeEventListener('pointerdown', onPointerDown);
		container.removeEventListener('pointermove', onPointerMove);
		container.removeEventListener('pointerup', onPointerUp);
		container.removeEventListener('pointercancel', end);
		container.removeEventListener('keydown', onKeyDown);
	};
}
