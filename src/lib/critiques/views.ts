import type { CritiqueAnswers, CritiqueField, CritiqueKind } from './forms';

/** How a critique's author appears to someone who may not learn who wrote it. */
export const ANONYMOUS_CRITIC = 'Anonymous classmate';
/** How an anonymous critic's own replies in their thread appear to peers. */
export const THE_CRITIC = 'The critic';
export const THE_PRESENTERS = 'The presenters';

export interface CritiqueReplyView {
	id: string;
	parentId: string | null;
	/** A name, "The presenters", "The critic" or "You": never an anonymous critic's name. */
	authorLabel: string;
	asPresenters: boolean;
	isMine: boolean;
	bodyHtml: string;
	createdAt: Date;
	/** For an answer as the presenters: whether the critic marked it read. */
	readByCritic: boolean;
	endorsed: boolean;
	hidden: boolean;
}

export interface CritiqueView {
	id: string;
	kind: CritiqueKind;
	lectureId: string;
	paperId: string | null;
	/** A name, or ANONYMOUS_CRITIC; "You" for one's own. */
	authorLabel: string;
	/** Only for the author and staff: whether peers see it anonymously. */
	anonymous: boolean | null;
	isMine: boolean;
	fields: CritiqueField[];
	/** Markdown sources: only for the author (to edit); others get the HTML. */
	answers: CritiqueAnswers | null;
	answersHtml: Record<string, string>;
	scores: Record<string, number>;
	submittedAt: Date | null;
	late: boolean;
	version: number;
	helpful: number;
	votedHelpful: boolean;
	endorsed: boolean;
	hidden: boolean;
	replies: CritiqueReplyView[];
}

/** One citation of a paper or a deck by a critique the reader may read. */
export interface CitingCritique {
	critiqueId: string;
	kind: CritiqueKind;
	authorLabel: string;
	/** The critique's card on the lecture's critiques page. */
	href: string;
	annotationId: string | null;
	page: number | null;
	/** 0-based, as the deck's slide index. */
	slide: { h: number; v: number } | null;
}

/** A critique's scores as "Label 4 of 5", in the order of its form's fields. */
export const scoreLines = (c: Pick<CritiqueView, 'fields' | 'scores'>): string[] =>
	c.fields.flatMap((f) =>
		f.type === 'score' && c.scores[f.key] !== undefined
			? [`${f.label} ${c.scores[f.key]} of ${f.max}`]
			: []
	);
