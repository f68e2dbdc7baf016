import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { courses, lectures, memberships } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { createOnce, InputError } from '$lib/server/forms';
import { newId, newJoinCode, newSecret } from '$lib/server/ids';
import { renderMarkdown } from '$lib/server/markdown';
import { forgetAccess, requireInstructor, requireMember, type Course } from './access';
import type { Role } from '$lib/courses/roles';

export interface CourseInput {
	title: string;
	description: string;
	logistics: string;
	contact: string;
	gradingPolicy: string;
	timeZone: string;
}

function rendered(input: CourseInput) {
	return {
		...input,
		descriptionHtml: renderMarkdown(input.description),
		logisticsHtml: renderMarkdown(input.logistics),
		contactHtml: renderMarkdown(input.contact),
		gradingPolicyHtml: renderMarkdown(input.gradingPolicy)
	};
}

/** Creates a course with `actor` as its first instructor. */
export async function createCourse(
	actor: SessionUser,
	input: CourseInput,
	submission?: string
): Promise<Course> {
	const id = await createOnce(actor, submission, async (tx) => {
		const id = newId();
		await tx.insert(courses).values({
			id,
			...rendered(input),
			joinCode: newJoinCode(),
			inviteToken: newSecret()
		});
		await tx.insert(memberships).values({
			courseId: id,
			userId: actor.id,
			role: 'instructor',
			calendarToken: newSecret()
		});
		return id;
	});
	const [course] = await db().select().from(courses).where(eq(courses.id, id));
	return course;
}

export async function updateCourse(
	actor: SessionUser,
	courseId: string,
	input: CourseInput
): Promise<void> {
	await requireInstructor(actor, courseId);
	await db().update(courses).set(rendered(input)).where(eq(courses.id, courseId));
	forgetAccess(actor);
}

export async function rotateJoinCode(actor: SessionUser, courseId: string): Promise<void> {
	await requireInstructor(actor, courseId);
	await db().update(courses).set({ joinCode: newJoinCode() }).where(eq(courses.id, courseId));
	forgetAccess(actor);
}

export async function resetInviteLink(actor: SessionUser, courseId: string): Promise<void> {
	await requireInstructor(actor, courseId);
	await db().update(courses).set({ inviteToken: newSecret() }).where(eq(courses.id, courseId));
	forgetAccess(actor);
}

async function join(actor: SessionUser, course: Course | undefined): Promise<Course | undefined> {
	if (!course) return undefined;
	await db()
		.insert(memberships)
		.values({
			courseId: course.id,
			userId: actor.id,
			role: 'student',
			calendarToken: newSecret(),
			// A newcomer has seen none of the course's announcements: all of them are new.
			announcementsSeenAt: new Date(0)
		})
		// Joining twice keeps the role one already has.
		.onConflictDoNothing();
	forgetAccess(actor);
	return course;
}

export async function joinWithCode(actor: SessionUser, code: string): Promise<Course> {
	const [course] = await db().select().from(courses).where(eq(courses.joinCode, code));
	const joined = await join(actor, course);
	if (!joined) {
		throw new InputError({ code: 'No course has this join code. Check it with your instructor.' });
	}
	return joined;
}

/** The course an invite link leads to, for the page that asks to confirm joining. */
export async function courseForInvite(token: string): Promise<Pick<Course, 'id' | 'title'>> {
	const [course] = await db()
		.select({ id: courses.id, title: courses.title })
		.from(courses)
		.where(eq(courses.inviteToken, token));
	if (!course)
		error(404, 'This invite link is not valid any more. Ask your instructor for a new one.');
	return course;
}

export async function joinWithInvite(actor: SessionUser, token: string): Promise<Course> {
	const [course] = await db().select().from(courses).where(eq(courses.inviteToken, token));
	const joined = await join(actor, course);
	if (!joined)
		error(404, 'This invite link is not valid any more. Ask your instructor for a new one.');
	return joined;
}

export async function getCourse(actor: SessionUser | null, courseId: string) {
	return requireMember(actor, courseId);
}

export interface MyCourse {
	id: string;
	title: string;
	timeZone: string;
	role: Role;
	nextLecture: { id: string; number: number; title: string; startsAt: Date; endsAt: Date } | null;
}

/** The dashboard: every course of the actor with its next lecture, in one query. */
export async function myCourses(actor: SessionUser): Promise<MyCourse[]> {
	const next = db()
		.select({
			courseId: lectures.courseId,
			id: lectures.id,
			number: lectures.number,
			title: lectures.title,
			startsAt: lectures.startsAt,
			endsAt: lectures.endsAt,
			rank: sql<number>`row_number() over (partition by ${lectures.courseId} order by ${lectures.startsAt})`.as(
				'rank'
			)
		})
		.from(lectures)
		.where(gt(lectures.endsAt, sql`now()`))
		.as('next');
	const rows = await db()
		.select({
			id: courses.id,
			title: courses.title,
			timeZone: courses.timeZone,
			role: memberships.role,
			lectureId: next.id,
			number: next.number,
			lectureTitle: next.title,
			startsAt: next.startsAt,
			endsAt: next.endsAt
		})
		.from(memberships)
		.innerJoin(courses, eq(courses.id, memberships.courseId))
		.leftJoin(next, and(eq(next.courseId, courses.id), eq(next.rank, 1)))
		.where(eq(memberships.userId, actor.id))
		.orderBy(asc(courses.title));
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		timeZone: r.timeZone,
		role: r.role,
		nextLecture:
			r.lectureId && r.startsAt && r.endsAt && r.number !== null && r.lectureTitle !== null
				? {
						id: r.lectureId,
						number: r.number,
						title: r.lectureTitle,
						startsAt: r.startsAt,
						endsAt: r.endsAt
					}
				: null
	}));
}
