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
	/** For a region: what the editor renders to crop the figure (the paper's PDF URL). */
	region?: { rect: PageRect; pdfUrl: string };
}
