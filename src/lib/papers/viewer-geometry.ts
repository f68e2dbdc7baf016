/**
 * Pure geometry for the PDF viewer: boxes on a page in CSS pixels, percentages of the page (so a
 * drawn highlight follows zoom without being recomputed), and PDF points at scale 1 with the
 * origin at the page's top-left (the PageRect of an annotation target).
 */
import type { PageRect } from '$lib/annotations/types';

/** A box on a page: CSS pixels or percentages, origin top-left. */
export interface Box {
	left: number;
	top: number;
	width: number;
	height: number;
}

/** Smallest box containing all `boxes`, or null for none. */
export function unionBox(boxes: readonly Box[]): Box | null {
	if (boxes.length === 0) return null;
	let left = Infinity;
	let top = Infinity;
	let right = -Infinity;
	let bottom = -Infinity;
	for (const b of boxes) {
		left = Math.min(left, b.left);
		top = Math.min(top, b.top);
		right = Math.max(right, b.left + b.width);
		bottom = Math.max(bottom, b.top + b.height);
	}
	return { left, top, width: right - left, height: bottom - top };
}

/**
 * Merges boxes that sit on the same line and touch or nearly touch, so a highlighted line is one
 * rectangle rather than one per text item. Empty boxes are dropped.
 */
export function mergeLineBoxes(boxes: readonly Box[]): Box[] {
	const sorted = boxes
		.filter((b) => b.width > 0 && b.height > 0)
		.sort((a, b) => a.top - b.top || a.left - b.left);
	const merged: Box[] = [];
	for (const box of sorted) {
		const last = merged[merged.length - 1];
		if (last && sameLine(last, box) && box.left <= last.left + last.width + 0.5 * box.height) {
			const union = unionBox([last, box]) as Box;
			merged[merged.length - 1] = union;
		} else {
			merged.push({ ...box });
		}
	}
	return merged;
}

function sameLine(a: Box, b: Box): boolean {
	const overlap = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
	return overlap >= 0.6 * Math.min(a.height, b.height);
}

/** The box spanned by a drag from (x0, y0) to (x1, y1), clamped to a page of width × height. */
export function dragBox(
	x0: number,
	y0: number,
	x1: number,
	y1: number,
	width: number,
	height: number
): Box {
	const clampX = (x: number) => Math.min(Math.max(x, 0), width);
	const clampY = (y: number) => Math.min(Math.max(y, 0), height);
	const left = Math.min(clampX(x0), clampX(x1));
	const top = Math.min(clampY(y0), clampY(y1));
	return {
		left,
		top,
		width: Math.max(clampX(x0), clampX(x1)) - left,
		height: Math.max(clampY(y0), clampY(y1)) - top
	};
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A box in CSS pixels on a page drawn `cssWidth` × `cssHeight` as a PageRect in PDF points at
 * scale 1 on a page of `pointWidth` × `pointHeight`, rounded to 1/100 point.
 */
export function boxToPageRect(
	box: Box,
	cssWidth: number,
	cssHeight: number,
	pointWidth: number,
	pointHeight: number
): PageRect {
	const sx = pointWidth / cssWidth;
	const sy = pointHeight / cssHeight;
	return {
		x: round2(box.left * sx),
		y: round2(box.top * sy),
		width: round2(box.width * sx),
		height: round2(box.height * sy)
	};
}

/** A PageRect as percentages of a page of `pointWidth` × `pointHeight` points, clamped to it. */
export function pageRectToPercent(rect: PageRect, pointWidth: number, pointHeight: number): Box {
	const box = dragBox(
		rect.x,
		rect.y,
		rect.x + rect.width,
		rect.y + rect.height,
		pointWidth,
		pointHeight
	);
	return boxToPercent(box, pointWidth, pointHeight);
}

/** A box as percentages of a container of `width` × `height`. */
export function boxToPercent(box: Box, width: number, height: number): Box {
	return {
		left: (100 * box.left) / width,
		top: (100 * box.top) / height,
		width: (100 * box.width) / width,
		height: (100 * box.height) / height
	};
}

/** Whether point (x, y) lies in `box` (edges included). */
export function boxContains(box: Box, x: number, y: number): boolean {
	return x >= box.left && x <= box.left + box.width && y >= box.top && y <= box.top + box.height;
}
