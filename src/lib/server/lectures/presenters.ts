import { and, asc, eq, inArray } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db, type Executor } from '$lib/server/db';
import { lecturePresenters, lectures, memberships, users } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { InputError } from '$lib/server/forms';
import { requireMember, requireStaff } from '$lib/server/courses/access';
import { generateRotation } from '$lib/courses/rotation';

export interface Presenter {
	userId: string;
	name: string;
}

/** Presenters of every lecture of the course, by lecture id. Every member may see them. */
export async function presentersByLecture(
	actor: SessionUser,
	courseId: string
): Promise<Map<string, Presenter[]>> {
	await requireMember(actor, courseId);
	const rows = await db()
		.select({ lectureId: lecturePresenters.lectureId, userId: users.id, name: users.name })
		.from(lecturePresenters)
		.innerJoin(lectures, eq(lectures.id, lecturePresenters.lectureId))
		.innerJoin(users, eq(users.id, lecturePresenters.userId))
		.where(eq(lectures.courseId, courseId))
		.orderBy(asc(users.name));
	const byLecture = new Map<string, Presenter[]>();
	for (const { lectureId, ...p } of rows) {
		byLecture.set(lectureId, [...(byLecture.get(lectureId) ?? []), p]);
	}
	return byLecture;
}

/** Whether `userId` is a lead presenter of the lecture. */
export async function isPresenter(
	userId: string,
	lectureId: string,
	executor: Executor = db()
): Promise<boolean> {
	const [row] = await executor
		.select({ userId: lecturePresenters.userId })
		.from(lecturePresenters)
		.where(and(eq(lecturePresenters.lectureId, lectureId), eq(lecturePresenters.userId, userId)));
	return Boolean(row);
}

/** Replaces the presenters of one lecture (students of the course only). */
export async function setPresenters(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	userIds: string[]
): Promise<void> {
	await requireStaff(actor, courseId);
	await db().transaction(async (tx) => {
		const [lecture] = await tx
			.select({ id: lectures.id, givenByInstructors: lectures.givenByInstructors })
			.from(lectures)
			.where(and(eq(lectures.id, lectureId), eq(lectures.courseId, courseId)));
		if (!lecture) error(404, 'Not found');
		if (lecture.givenByInstructors && userIds.length > 0) {
			throw new InputError({ userIds: 'This lecture is given by the instructors.' });
		}
		await assertStudents(tx, courseId, userIds);
		await tx.delete(lecturePresenters).where(eq(lecturePresenters.lectureId, lectureId));
		if (userIds.length > 0) {
			await tx.insert(lecturePresenters).values(userIds.map((userId) => ({ lectureId, userId })));
		}
	});
}

async function assertStudents(tx: Executor, courseId: string, userIds: string[]) {
	if (userIds.length === 0) return;
	const found = await tx
		.select({ userId: memberships.userId })
		.from(memberships)
		.where(
			and(
				eq(memberships.courseId, courseId),
				eq(memberships.role, 'student'),
				inArray(memberships.userId, userIds)
			)
		);
	if (found.length !== userIds.length) {
		throw new InputError({ userIds: 'Presenters must be students of this course.' });
	}
}

export interface MyPresentation {
	courseId: string;
	lectureId: string;
	number: number;
	title: string;
	startsAt: Date;
	partners: string[];
}

/** The lectures the actor presents, in every course, with whom: for the dashboard. */
export async function myPresentations(actor: SessionUser): Promise<MyPresentation[]> {
	const mine = await db()
		.select({
			courseId: lectures.courseId,
			lectureId: lectures.id,
			number: lectures.number,
			title: lectures.title,
			startsAt: lectures.startsAt
		})
		.from(lecturePresenters)
		.innerJoin(lectures, eq(lectures.id, lecturePresenters.lectureId))
		// Only courses the actor still belongs to.
		.innerJoin(
			memberships,
			and(eq(memberships.courseId, lectures.courseId), eq(memberships.userId, actor.id))
		)
		.where(eq(lecturePresenters.userId, actor.id))
		.orderBy(asc(lectures.startsAt));
	if (mine.length === 0) return [];
	const others = await db()
		.select({ lectureId: lecturePresenters.lectureId, name: users.name, userId: users.id })
		.from(lecturePresenters)
		.innerJoin(users, eq(users.id, lecturePresenters.userId))
		.where(
			inArray(
				lecturePresenters.lectureId,
				mine.map((m) => m.lectureId)
			)
		);
	return mine.map((m) => ({
		...m,
		partners: others
			.filter((o) => o.lectureId === m.lectureId && o.userId !== actor.id)
			.map((o) => o.name)
	}));
}

/**
 * Assigns presenters to every future student-led lecture so that everyone presents about
 * equally often (past lectures keep their presenters and count). Another seed gives
 * another rotation. Returns the students left without a slot.
 */
export async function generatePresenterRotation(
	actor: SessionUser,
	courseId: string,
	options: { oddPolicy: 'trio' | 'solo'; seed: string }
): Promise<{ unassigned: Presenter[] }> {
	await requireStaff(actor, courseId);
	return db().transaction(async (tx) => {
		const students = await tx
			.select({ userId: users.id, name: users.name })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(and(eq(memberships.courseId, courseId), eq(memberships.role, 'student')))
			.orderBy(asc(users.name));
		const courseLectures = await tx
			.select({
				id: lectures.id,
				number: lectures.number,
				startsAt: lectures.startsAt,
				givenByInstructors: lectures.givenByInstructors
			})
			.from(lectures)
			.where(eq(lectures.courseId, courseId));
		const current = await tx
			.select({ lectureId: lecturePresenters.lectureId, userId: lecturePresenters.userId })
			.from(lecturePresenters)
			.where(inArray(lecturePresenters.lectureId, courseLectures.map((l) => l.id).concat([''])));
		const { assignments, unassigned } = generateRotation({
			students: students.map((s) => s.userId),
			lectures: courseLectures.map((l) => ({
				...l,
				startsAt: l.startsAt.toISOString(),
				presenters: current.filter((c) => c.lectureId === l.id).map((c) => c.userId)
			})),
			now: new Date(),
			oddPolicy: options.oddPolicy,
			seed: options.seed
		});
		for (const [lectureId, userIds] of Object.entries(assignments)) {
			await tx.delete(lecturePresenters).where(eq(lecturePresenters.lectureId, lectureId));
			if (userIds.length > 0) {
				await tx.insert(lecturePresenters).values(userIds.map((userId) => ({ lectureId, userId })));
			}
		}
		return { unassigned: students.filter((s) => unassigned.includes(s.userId)) };
	});
}
