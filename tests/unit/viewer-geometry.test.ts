import { describe, expect, it } from 'vitest';
import {
	boxContains,
	boxToPageRect,
	boxToPercent,
	dragBox,
	mergeLineBoxes,
	pageRectToPercent,
	unionBox
} from '$lib/papers/viewer-geometry';

describe('dragBox', () => {
	it('normalizes a drag in any direction', () => {
		expect(dragBox(50, 80, 10, 20, 100, 100)).toEqual({ left: 10, top: 20, width: 40, height: 60 });
	});

	it('clamps to the page', () => {
		expect(dragBox(-10, 50, 130, 150, 100, 120)).toEqual({
			left: 0,
			top: 50,
			width: 100,
			height: 70
		});
	});
});

describe('boxToPageRect', () => {
	it('converts CSS pixels to points at scale 1', () => {
		// A Letter page (612 × 792 pt) drawn at 150 % (×4/3 CSS px per point): 1224 × 1584 px.
		const rect = boxToPageRect(
			{ left: 200, top: 300, width: 400, height: 100 },
			1224,
			1584,
			612,
			792
		);
		expect(rect).toEqual({ x: 100, y: 150, width: 200, height: 50 });
	});

	it('rounds to 1/100 point', () => {
		const rect = boxToPageRect({ left: 1, top: 1, width: 1, height: 1 }, 3, 3, 1, 1);
		expect(rect).toEqual({ x: 0.33, y: 0.33, width: 0.33, height: 0.33 });
	});
});

describe('pageRectToPercent', () => {
	it('places a region in percent of the page', () => {
		expect(pageRectToPercent({ x: 61.2, y: 79.2, width: 306, height: 396 }, 612, 792)).toEqual({
			left: 10,
			top: 10,
			width: 50,
			height: 50
		});
	});

	it('clips a region that overflows the page', () => {
		const box = pageRectToPercent({ x: 500, y: -10, width: 200, height: 20 }, 600, 800);
		expect(box.left + box.width).toBeCloseTo(100);
		expect(box.top).toBe(0);
		expect(box.height).toBeCloseTo(1.25);
	});
});

describe('mergeLineBoxes', () => {
	it('joins adjacent boxes on one line and keeps lines apart', () => {
		const merged = mergeLineBoxes([
			{ left: 60, top: 10, width: 40, height: 12 },
			{ left: 10, top: 10, width: 48, height: 12 },
			{ left: 10, top: 30, width: 90, height: 12 },
			{ left: 0, top: 0, width: 0, height: 12 }
		]);
		expect(merged).toEqual([
			{ left: 10, top: 10, width: 90, height: 12 },
			{ left: 10, top: 30, width: 90, height: 12 }
		]);
	});

	it('keeps far-apart boxes on one line separate (two columns)', () => {
		const merged = mergeLineBoxes([
			{ left: 10, top: 10, width: 40, height: 10 },
			{ left: 300, top: 11, width: 40, height: 10 }
		]);
		expect(merged).toHaveLength(2);
	});
});

describe('unionBox, boxToPercent and boxContains', () => {
	it('work together', () => {
		const union = unionBox([
			{ left: 10, top: 10, width: 10, height: 10 },
			{ left: 40, top: 30, width: 10, height: 10 }
		]);
		expect(union).toEqual({ left: 10, top: 10, width: 40, height: 30 });
		expect(unionBox([])).toBeNull();
		expect(boxToPercent(union!, 200, 100)).toEqual({ left: 5, top: 10, width: 20, height: 30 });
		expect(boxContains(union!, 50, 40)).toBe(true);
		expect(boxContains(union!, 51, 40)).toBe(false);
	});
});
