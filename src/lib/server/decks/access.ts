import type { SessionUser } from '$lib/server/auth/session';
import type { CourseAccess } from '$lib/server/courses/access';
import { isPresenter } from '$lib/server/lectures/presenters';
import { isStaff } from '$lib/courses/roles';
import type { decks } from '$lib/server/db/schema';

type Deck = typeof decks.$inferSelect;

/** The pair, the course's instructors and TAs edit and see drafts. */
export async function canEdit(actor: SessionUser, access: CourseAccess, lectureId: string) {
	return isStaff(access.role) || (await isPresenter(actor.id, lectureId));
}

/** Whether the class sees the deck: published, and its publication time has come. */
export const isVisible = (deck: Pick<Deck, 'status' | 'publishAt'> | undefined, now = new Date()) =>
	deck?.status === 'published' && (!deck.publishAt || deck.publishAt <= now);
