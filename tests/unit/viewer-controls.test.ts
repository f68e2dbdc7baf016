import { describe, expect, it } from 'vitest';
import {
	findStatusText,
	parsePageInput,
	percentLabel,
	viewerKeyAction,
	zoomSelectValue
} from '$lib/papers/viewer-controls';

const key = (
	k: string,
	mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}
) => ({
	key: k,
	ctrlKey: false,
	metaKey: false,
	altKey: false,
	...mods
});

describe('viewerKeyAction', () => {
	it('maps page and zoom keys in the page area', () => {
		expect(viewerKeyAction(key('PageDown'), 'pages')).toBe('nextPage');
		expect(viewerKeyAction(key('PageUp'), 'pages')).toBe('previousPage');
		expect(viewerKeyAction(key('Home'), 'pages')).toBe('firstPage');
		expect(viewerKeyAction(key('End'), 'pages')).toBe('lastPage');
		expect(viewerKeyAction(key('+'), 'pages')).toBe('zoomIn');
		expect(viewerKeyAction(key('='), 'pages')).toBe('zoomIn');
		expect(viewerKeyAction(key('-'), 'pages')).toBe('zoomOut');
		expect(viewerKeyAction(key('ArrowDown'), 'pages')).toBeNull();
	});

	it('leaves keys alone in fields and with modifiers (browser zoom stays the browser’s)', () => {
		expect(viewerKeyAction(key('Home'), 'field')).toBeNull();
		expect(viewerKeyAction(key('-'), 'field')).toBeNull();
		expect(viewerKeyAction(key('PageDown'), 'control')).toBeNull();
		expect(viewerKeyAction(key('+', { ctrlKey: true }), 'pages')).toBeNull();
		expect(viewerKeyAction(key('End', { altKey: true }), 'pages')).toBeNull();
	});

	it('takes Ctrl+F or ⌘F anywhere in the viewer', () => {
		expect(viewerKeyAction(key('f', { ctrlKey: true }), 'field')).toBe('find');
		expect(viewerKeyAction(key('F', { metaKey: true }), 'pages')).toBe('find');
		expect(viewerKeyAction(key('f'), 'pages')).toBeNull();
		expect(viewerKeyAction(key('f', { ctrlKey: true, altKey: true }), 'pages')).toBeNull();
	});
});

describe('parsePageInput', () => {
	it('accepts page numbers of the document only', () => {
		expect(parsePageInput(' 3 ', 10)).toBe(3);
		expect(parsePageInput('10', 10)).toBe(10);
		expect(parsePageInput('0', 10)).toBeNull();
		expect(parsePageInput('11', 10)).toBeNull();
		expect(parsePageInput('2.5', 10)).toBeNull();
		expect(parsePageInput('', 10)).toBeNull();
		expect(parsePageInput('abc', 10)).toBeNull();
	});
});

describe('findStatusText', () => {
	it('says where the current match is', () => {
		expect(findStatusText('found', 3, 12)).toBe('3 of 12 matches');
		expect(findStatusText('wrapped', 1, 1)).toBe('1 of 1 match');
		expect(findStatusText('notFound', 0, 0)).toBe('No matches');
		expect(findStatusText('pending', 0, 0)).toBe('Searching…');
		expect(findStatusText('idle', 0, 0)).toBe('');
	});
});

describe('zoom select', () => {
	it('shows presets, listed scales or a custom percentage', () => {
		expect(zoomSelectValue('page-width', 1.37)).toBe('page-width');
		expect(zoomSelectValue(undefined, 1.5)).toBe('1.5');
		expect(zoomSelectValue('1.5', 1.5)).toBe('1.5');
		expect(zoomSelectValue(undefined, 1.1)).toBe('custom');
		expect(percentLabel(1.1)).toBe('110 %');
	});
});
