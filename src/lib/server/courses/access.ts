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
}

/**
 * The course as `actor` may see it. Anyone who is not a member gets the same 404 as
 * for a course that does not exist, so ids reveal nothing.
 */
export async function requireMember(
	actor: SessionUser | null,
	courseId: string,
	executor: Executor = db()
): Promise<CourseAccess> {
	if (!actor) error(404, 'Not found');
	const [row] = await executor
		.select({ course: courses, role: memberships.role })
		.from(courses)
		.innerJoin(memberships, eq(memberships.courseId, courses.id))
		.where(and(eq(courses.id, courseId), eq(memberships.userId, actor.id)));
	if (!row) error(404, 'Not found');
	return row;
}

/** A member who is an instructor or TA; other members get 403 and nothing changes. */
export async function requireStaff(
	actor: SessionUser | null,
	courseId: string,
	executor: Executor = db()
): Promise<CourseAccess> {
	const access = await requireMember(actor, courseId, executor);
	if (!isStaff(access.role)) error(403, 'Only instructors and TAs can do this.');
	return access;
}

export async function requireInstructor(
	actor: SessionUser | null,
	courseId: string,
	executor: Executor = db()
): Promise<CourseAccess> {
	const access = await requireMember(actor, courseId, executor);
	if (access.role !== 'instructor') error(403, 'Only instructors can do this.');
	return access;
}
