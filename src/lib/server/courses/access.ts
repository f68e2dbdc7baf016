import { error } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { db, type Executor } from '$lib/server/db';
import { courses, memberships } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { isStaff, type Role } from '$lib/courses/roles';

export type Course = typeof courses.$inferSelect;
export interface CourseAccess {
	course: Course;
	role: Role;
	/** When the member last looked at the announcements. */
	announcementsSeenAt: Date;
}

// One request often asks several services about the same course (layout, page, lists).
// Keyed by the request's own user object, so nothing outlives the request or crosses users.
const accessByRequest = new WeakMap<SessionUser, Map<string, Promise<CourseAccess | undefined>>>();

function findAccess(actor: SessionUser, courseId: string, executor: Executor) {
	return executor
		.select({
			course: courses,
			role: memberships.role,
			announcementsSeenAt: memberships.announcementsSeenAt
		})
		.from(courses)
		.innerJoin(memberships, eq(memberships.courseId, courses.id))
		.where(and(eq(courses.id, courseId), eq(memberships.userId, actor.id)))
		.then((rows) => rows[0]);
}

/**
 * The course as `actor` may see it. Anyone who is not a member gets the same 404 as
 * for a course that does not exist, so ids reveal nothing.
 */
export async function requireMember(
	actor: SessionUser | null,
	courseId: string,
	executor?: Executor
): Promise<CourseAccess> {
	if (!actor) error(404, 'Not found');
	let row: CourseAccess | undefined;
	if (executor) {
		// Inside a transaction the check must see the transaction's own view.
		row = await findAccess(actor, courseId, executor);
	} else {
		let cache = accessByRequest.get(actor);
		if (!cache) accessByRequest.set(actor, (cache = new Map()));
		let pending = cache.get(courseId);
		if (!pending) cache.set(courseId, (pending = findAccess(actor, courseId, db())));
		row = await pending;
	}
	if (!row) error(404, 'Not found');
	return row;
}

/** Forget what this request learnt about its actor's courses (after changing a membership). */
export function forgetAccess(actor: SessionUser): void {
	accessByRequest.delete(actor);
}

/** A member who is an instructor or TA; other members get 403 and nothing changes. */
export async function requireStaff(
	actor: SessionUser | null,
	courseId: string,
	executor?: Executor
): Promise<CourseAccess> {
	const access = await requireMember(actor, courseId, executor);
	if (!isStaff(access.role)) error(403, 'Only instructors and TAs can do this.');
	return access;
}

export async function requireInstructor(
	actor: SessionUser | null,
	courseId: string,
	executor?: Executor
): Promise<CourseAccess> {
	const access = await requireMember(actor, courseId, executor);
	if (access.role !== 'instructor') error(403, 'Only instructors can do this.');
	return access;
}
