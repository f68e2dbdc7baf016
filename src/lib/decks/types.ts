import type { PageRect } from '$lib/annotations/types';

/** An annotation of the lecture's papers, as the deck's citation panel offers it. */
export interface Citable {
	annotationId: string;
	paperId: string;
	paperTitle: string;
	page: number | null;
	kind: 'text' | 'region';
	/** The quoted passage (text) or a label (region). */
	quote: string;
	authorName: string | null;
	tags: string[];
	/** ISO time of the last edit: a slide that quotes an older state can say so. */
	updatedAt: string;
	/** The deck cites it and it was edited since: the slide says its source changed. */
	changed: boolean;
	/** For a region: what the editor renders to crop the figure (the paper's PDF URL). */
	region?: { rect: PageRect; pdfUrl: string };
}

/** A slide of a lecture's deck that cites an annotation, as the paper viewer lists it. */
export interface CitingSlide {
	lectureId: string;
	lectureNumber: number;
	/** Only the pair and staff see a draft deck; the link says so. */
	draft: boolean;
	/** 0-based position of the slide. */
	h: number;
	v: number;
}
