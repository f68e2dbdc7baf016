import type { AnnotationTarget, Visibility } from './types';
import type { VoteKind } from './schemas';

/** An annotation or reply as one member may see it. */
export interface AnnotationView {
	id: string;
	parentId: string | null;
	authorName: string | null;
	isMine: boolean;
	target: AnnotationTarget | null;
	page: number | null;
	body: string;
	bodyHtml: string;
	tags: string[];
	visibility: Visibility;
	endorsed: boolean;
	hidden: boolean;
	/** Deleted but kept because replies hang on it: body and author are gone. */
	deleted: boolean;
	edited: boolean;
	votes: Record<VoteKind, number>;
	myVotes: VoteKind[];
	/** ISO 8601, so a view travels as JSON unchanged. */
	createdAt: string;
	updatedAt: string;
}

export interface ThreadView extends AnnotationView {
	replies: AnnotationView[];
}
