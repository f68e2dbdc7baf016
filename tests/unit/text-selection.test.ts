// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchTextSelection } from '$lib/components/papers/selection';

describe('watchTextSelection', () => {
	let container: HTMLDivElement;
	let text: Text;
	let stop: () => void;
	const reported: { start: number; end: number }[] = [];

	const select = (start: number, end: number) => {
		document.getSelection()!.setBaseAndExtent(text, start, text, end);
		document.dispatchEvent(new Event('selectionchange'));
	};
	const pointer = (type: 'pointerdown' | 'pointerup', target: EventTarget) =>
		target.dispatchEvent(new MouseEvent(type, { button: 0, bubbles: true }));

	beforeEach(() => {
		vi.useFakeTimers();
		container = document.createElement('div');
		text = document.createTextNode('Zephyrine schedules keep peak memory flat');
		container.append(text);
		document.body.append(container);
		reported.length = 0;
		stop = watchTextSelection(container, {
			active: () => true,
			resolve: (range) => ({ start: range.startOffset, end: range.endOffset }),
			onselect: (selection) => reported.push(selection)
		});
	});

	afterEach(() => {
		stop();
		container.remove();
		vi.useRealTimers();
	});

	it('reports a drag once, when the pointer is released', () => {
		pointer('pointerdown', text.parentNode!);
		select(0, 9);
		vi.advanceTimersByTime(1000);
		select(0, 41);
		pointer('pointerup', document);
		vi.advanceTimersByTime(1000);
		expect(reported).toEqual([{ start: 0, end: 41 }]);
	});

	it('does not report a drag half-way when it starts just after another selection change', () => {
		// E.g. typing a page number moved the caret of that field a moment before.
		select(0, 4);
		pointer('pointerdown', text.parentNode!);
		select(0, 9);
		vi.advanceTimersByTime(600);
		expect(reported).toEqual([]);
		select(0, 41);
		pointer('pointerup', document);
		vi.advanceTimersByTime(1000);
		expect(reported).toEqual([{ start: 0, end: 41 }]);
	});

	it('reports a keyboard selection after a pause', () => {
		select(10, 19);
		vi.advanceTimersByTime(499);
		expect(reported).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(reported).toEqual([{ start: 10, end: 19 }]);
	});
});
