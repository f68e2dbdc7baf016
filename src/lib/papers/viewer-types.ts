/** What the PDF viewer (PdfViewer.svelte) is given to draw. */
import type { PageRect } from '$lib/annotations/types';

interface HighlightBase {
	id: string;
	/**
	 * Colour: 'yellow' (default), 'green' | 'strength', 'red' | 'weakness', 'blue' | 'question',
	 * 'purple' | 'note', 'orange' | 'confusing'. Unknown tones are drawn yellow.
	 */
	tone?: string;
	/** Drawn with an outline (e.g. the annotation open in the sidebar). */
	selected?: boolean;
	/** Accessible name of the highlight, e.g. "Annotation by Ada". */
	label?: string;
}

/** A highlight: a range of the document text, or a rectangle on one page. */
export type Highlight =
	| (HighlightBase & { kind: 'text'; start: number; end: number })
	| (HighlightBase & { kind: 'region'; page: number; rect: PageRect });
