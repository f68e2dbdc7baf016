/**
 * Annotation targets after the W3C Web Annotation Data Model. A paper's "document text"
 * is the text of its pages (see $lib/papers/page-text.ts) joined by PAGE_SEPARATOR;
 * positions count UTF-16 code units of that text.
 */

export type Visibility = 'class' | 'staff' | 'private';

export interface TextQuoteSelector {
	type: 'TextQuoteSelector';
	exact: string;
	prefix: string;
	suffix: string;
}

export interface TextPositionSelector {
	type: 'TextPositionSelector';
	start: number;
	end: number;
}

/** A rectangle on one page in PDF points at scale 1, origin at the page's top-left. */
export interface PageRect {
	x: number;
	y: number;
	width: number;
	height: number;
}

export type AnnotationTarget =
	| {
			kind: 'text';
			/** 1-based page where the selection starts, and where it ends (may differ). */
			page: number;
			endPage: number;
			quote: TextQuoteSelector;
			position: TextPositionSelector;
	  }
	| { kind: 'region'; page: number; rect: PageRect };

/** Where a text target was found in the current document text. */
export interface Anchor {
	start: number;
	end: number;
	/** False when only a fuzzy match was found (the text changed a little). */
	exact: boolean;
}
