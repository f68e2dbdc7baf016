/**
 * When critiques are due. A paper is critiqued before the lecture (by default until it
 * starts); the presentation after it (by default until two days after the lecture starts).
 * Instants are UTC; the course's zone only matters for showing and entering them.
 */
import { CRITIQUE_KINDS, type CritiqueKind } from './forms';

export const DEFAULT_PRESENTATION_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;

export interface LectureTimes {
	startsAt: Date;
	/** Set by the instructor; null means the default. */
	paperCritiqueDueAt: Date | null;
	presentationCritiqueDueAt: Date | null;
}

export function paperCritiqueDue(lecture: LectureTimes): Date {
	return lecture.paperCritiqueDueAt ?? lecture.startsAt;
}

export function presentationCritiqueDue(lecture: LectureTimes): Date {
	return (
		lecture.presentationCritiqueDueAt ??
		new Date(lecture.startsAt.getTime() + DEFAULT_PRESENTATION_WINDOW_MS)
	);
}

export function critiqueDue(lecture: LectureTimes, kind: CritiqueKind): Date {
	return kind === 'paper' ? paperCritiqueDue(lecture) : presentationCritiqueDue(lecture);
}

/**
 * Whether a critique of this kind can be written now: the paper at any time (late ones are
 * marked), the presentation once the talk has started.
 */
export function critiqueOpen(lecture: LectureTimes, kind: CritiqueKind, now: Date): boolean {
	return kind === 'paper' || now >= lecture.startsAt;
}

export const isLate = (submittedAt: Date, due: Date) => submittedAt.getTime() > due.getTime();

export type RevealRule = 'after_own_or_deadline' | 'after_deadline';

export const REVEAL_RULE_LABELS: Record<RevealRule, string> = {
	after_own_or_deadline: 'once they submitted their own, or after the deadline',
	after_deadline: 'only after the deadline'
};

/**
 * Whether a member sees the class's critiques of one lecture and kind. Staff and the
 * lecture's presenters (who answer them) always do; other students after the deadline, or,
 * if the course allows it, once they submitted theirs.
 */
export function mayReadPeers(input: {
	rule: RevealRule;
	isStaff: boolean;
	isPresenter: boolean;
	ownSubmitted: boolean;
	due: Date;
	now: Date;
}): boolean {
	if (input.isStaff || input.isPresenter || input.now >= input.due) return true;
	return input.rule === 'after_own_or_deadline' && input.ownSubmitted;
}

export interface DueCritique {
	lectureId: string;
	kind: CritiqueKind;
	due: Date;
}

/**
 * The critiques of these lectures that fall due after `now` and within `horizonMs`, soonest
 * first. A presentation critique counts only for someone who may write it (not its presenters).
 */
export function upcomingDeadlines(
	lectures: (LectureTimes & { id: string; presenter: boolean })[],
	now: Date,
	horizonMs: number
): DueCritique[] {
	const until = now.getTime() + horizonMs;
	return lectures
		.flatMap((lecture) =>
			CRITIQUE_KINDS.filter((kind) => kind === 'paper' || !lecture.presenter).map((kind) => ({
				lectureId: lecture.id,
				kind,
				due: critiqueDue(lecture, kind)
			}))
		)
		.filter((d) => d.due.getTime() > now.getTime() && d.due.getTime() <= until)
		.sort((a, b) => a.due.getTime() - b.due.getTime());
}
