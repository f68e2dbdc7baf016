import type { Deck, SlideIndex } from '$lib/decks/dialect';
import type { TalkPosition } from './schemas';

/** What the course asks of a lead presentation, in minutes. */
export const TALK_TARGET_MINUTES = { min: 45, max: 60 } as const;

export type Pace = 'under' | 'within' | 'over';

/** Where an elapsed time stands against the 45–60 minute target. */
export function talkPace(elapsedMs: number): Pace {
	const minutes = elapsedMs / 60_000;
	if (minutes < TALK_TARGET_MINUTES.min) return 'under';
	if (minutes <= TALK_TARGET_MINUTES.max) return 'within';
	return 'over';
}

/** "h:mm:ss" below ten hours, never negative (clocks of browser and server differ). */
export function formatElapsed(elapsedMs: number): string {
	const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
	const h = Math.floor(seconds / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	const s = seconds % 60;
	return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** The pace in words, so that it never depends on colour alone. */
export function paceText(elapsedMs: number): string {
	const { min, max } = TALK_TARGET_MINUTES;
	const minutes = Math.floor(Math.max(0, elapsedMs) / 60_000);
	switch (talkPace(elapsedMs)) {
		case 'under':
			return `Under the ${min}–${max} minute target: ${min - minutes} min to ${min}.`;
		case 'within':
			return `Within the ${min}–${max} minute target: ${max - minutes} min left.`;
		case 'over':
			return `Over the ${min}–${max} minute target by ${minutes - max} min.`;
	}
}

/** The slide reveal.js goes to after this one (down the stack first), or null at the end. */
export function nextSlideIndex(deck: Deck, at: SlideIndex): SlideIndex | null {
	const stack = deck.slides[at.h];
	if (stack && at.v + 1 < stack.length) return { h: at.h, v: at.v + 1 };
	if (at.h + 1 < deck.slides.length) return { h: at.h + 1, v: 0 };
	return null;
}

/** Whether `at` names a slide of the deck. */
export function hasSlide(deck: Deck, at: SlideIndex): boolean {
	return at.v < (deck.slides[at.h]?.length ?? 0);
}

/** A talk's position with the time the presenter moved there (ms since the epoch). */
export interface LivePosition extends TalkPosition {
	t: number;
}

/** The later of two positions: a reload of the page must not undo a newer live event. */
export const newerPosition = (a: LivePosition, b: LivePosition): LivePosition =>
	b.t > a.t ? b : a;

export const samePosition = (a: TalkPosition, b: TalkPosition) =>
	a.h === b.h && a.v === b.v && a.f === b.f;

/** "Slide 3", "Slide 3.2" for a vertical slide: the numbers the outline shows. */
export const slideLabel = (at: SlideIndex) => `Slide ${at.h + 1}${at.v > 0 ? `.${at.v + 1}` : ''}`;

/** A move of a presenting reveal.js instance. */
export interface SlideMove {
	at: TalkPosition;
	/** False when the slides followed the presenter rather than the person. */
	byPerson: boolean;
	/** The slide's speaker notes (sanitized HTML, as rendered), '' when none. */
	notes: string;
}

/** A question asked during a talk, as pages list it. */
export interface QuestionView {
	id: string;
	body: string;
	askerName: string;
	/** Asked by the person looking: they cannot upvote it. */
	mine: boolean;
	slide: SlideIndex;
	votes: number;
	/** Upvoted by the person looking. */
	voted: boolean;
	answered: boolean;
	createdAt: Date;
}
