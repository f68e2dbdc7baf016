/** Pure logic behind the PDF viewer's toolbar and keyboard shortcuts. */

export type ViewerKeyAction =
	'previousPage' | 'nextPage' | 'firstPage' | 'lastPage' | 'zoomIn' | 'zoomOut' | 'find';

export interface KeyLike {
	key: string;
	ctrlKey: boolean;
	metaKey: boolean;
	altKey: boolean;
}

/**
 * What a key press asks of the viewer. `where` is what has focus: the page area, a form field
 * (the toolbar's inputs, where keys keep their usual meaning) or another control of the viewer.
 * Ctrl/⌘+F works anywhere in the viewer; the rest only in the page area.
 */
export function viewerKeyAction(
	event: KeyLike,
	where: 'pages' | 'field' | 'control'
): ViewerKeyAction | null {
	const command = event.ctrlKey || event.metaKey;
	if (command && !event.altKey && event.key.toLowerCase() === 'f') return 'find';
	if (where !== 'pages' || command || event.altKey) return null;
	switch (event.key) {
		case 'PageUp':
			return 'previousPage';
		case 'PageDown':
			return 'nextPage';
		case 'Home':
			return 'firstPage';
		case 'End':
			return 'lastPage';
		case '+':
		case '=':
			return 'zoomIn';
		case '-':
		case '_':
			return 'zoomOut';
		default:
			return null;
	}
}

/** A typed page number if it names a page of a `count`-page document, else null. */
export function parsePageInput(value: string, count: number): number | null {
	const trimmed = value.trim();
	if (!/^\d+$/.test(trimmed)) return null;
	const page = Number(trimmed);
	return page >= 1 && page <= count ? page : null;
}

export type FindStatus = 'idle' | 'pending' | 'found' | 'notFound' | 'wrapped';

/** The find field's status line, e.g. "3 of 12 matches". */
export function findStatusText(status: FindStatus, current: number, total: number): string {
	if (status === 'idle') return '';
	if (total > 0) return `${current} of ${total} ${total === 1 ? 'match' : 'matches'}`;
	if (status === 'pending') return 'Searching…';
	return 'No matches';
}

export interface ZoomOption {
	value: string;
	label: string;
}

/** The zoom select's choices; values are pdf.js `currentScaleValue`s. */
export const ZOOM_OPTIONS: readonly ZoomOption[] = [
	{ value: 'auto', label: 'Automatic' },
	{ value: 'page-width', label: 'Fit width' },
	{ value: 'page-fit', label: 'Fit page' },
	...[0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4].map((scale) => ({
		value: String(scale),
		label: percentLabel(scale)
	}))
];

/** A scale as the zoom select shows it, e.g. "150 %". */
export function percentLabel(scale: number): string {
	return `${Math.round(scale * 100)} %`;
}

/**
 * The select value for the viewer's zoom: its preset ("page-width", ...) or listed scale, else
 * "custom" (shown as the percentage).
 */
export function zoomSelectValue(presetValue: string | undefined, scale: number): string {
	if (presetValue && ZOOM_OPTIONS.some((o) => o.value === presetValue)) return presetValue;
	const listed = ZOOM_OPTIONS.find((o) => Number(o.value) === Math.round(scale * 1000) / 1000);
	return listed ? listed.value : 'custom';
}

/** pdf.js's own zoom limits (MIN_SCALE, MAX_SCALE). */
export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 25;
