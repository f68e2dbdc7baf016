import { and, eq, gt, inArray, isNotNull, lte, or, type Column } from 'drizzle-orm';
import { db, type Executor } from '$lib/server/db';
import {
	courses,
	critiques,
	lecturePresenters,
	lectures,
	memberships
} from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { notify } from '$lib/server/notifications/service';
import {
	DEFAULT_PRESENTATION_WINDOW_MS,
	upcomingDeadlines,
	type DueCritique
} from '$lib/critiques/deadlines';
import { CRITIQUE_KIND_LABELS } from '$lib/critiques/forms';
import { formatDeadline } from '$lib/time/zones';

const HOUR_MS = 60 * 60 * 1000;

export const critiquesUrl = (courseId: string, lectureId: string) =>
	`/courses/${courseId}/lectures/${lectureId}/critiques`;
/** How far ahead the dashboard lists a student's critiques to write. */
export const DASHBOARD_HORIZON_MS = 14 * 24 * HOUR_MS;
/** How soon before a deadline a student who has not submitted is told. */
export const REMINDER_HORIZON_MS = 48 * HOUR_MS;

export interface StudentDue extends DueCritique {
	userId: string;
	courseId: string;
	timeZone: string;
	lectureNumber: number;
	lectureTitle: string;
	/** The lecture's critiques page. */
	url: string;
}

/**
 * Critiques that students (one, or every student of every course) have not submitted and
 * that fall due within `horizonMs` of `now`.
 */
async function unsubmittedDue(
	executor: Executor,
	now: Date,
	horizonMs: number,
	userId?: string
): Promise<StudentDue[]> {
	const until = new Date(now.getTime() + horizonMs);
	const within = (column: Column) => and(gt(column, now), lte(column, until));
	// A coarse filter that SQL can use; upcomingDeadlines applies the exact rule.
	const rows = await executor
		.select({
			userId: memberships.userId,
			courseId: courses.id,
			timeZone: courses.timeZone,
			lecture: {
				id: lectures.id,
				number: lectures.number,
				title: lectures.title,
				startsAt: lectures.startsAt,
				paperCritiqueDueAt: lectures.paperCritiqueDueAt,
				presentationCritiqueDueAt: lectures.presentationCritiqueDueAt
			},
			presenter: lecturePresenters.userId
		})
		.from(memberships)
		.innerJoin(courses, eq(courses.id, memberships.courseId))
		.innerJoin(lectures, eq(lectures.courseId, memberships.courseId))
		.leftJoin(
			lecturePresenters,
			and(
				eq(lecturePresenters.lectureId, lectures.id),
				eq(lecturePresenters.userId, memberships.userId)
			)
		)
		.where(
			and(
				eq(memberships.role, 'student'),
				userId ? eq(memberships.userId, userId) : undefined,
				or(
					and(
						gt(lectures.startsAt, new Date(now.getTime() - DEFAULT_PRESENTATION_WINDOW_MS)),
						lte(lectures.startsAt, until)
					),
					within(lectures.paperCritiqueDueAt),
					within(lectures.presentationCritiqueDueAt)
				)
			)
		);
	if (rows.length === 0) return [];
	const submitted = await executor
		.select({ userId: critiques.authorId, lectureId: critiques.lectureId, kind: critiques.kind })
		.from(critiques)
		.where(
			and(
				inArray(critiques.lectureId, [...new Set(rows.map((r) => r.lecture.id))]),
				userId ? eq(critiques.authorId, userId) : undefined,
				isNotNull(critiques.submittedAt)
			)
		);
	const done = new Set(submitted.map((c) => `${c.userId}:${c.lectureId}:${c.kind}`));
	return rows.flatMap(({ lecture, presenter, ...row }) =>
		upcomingDeadlines([{ ...lecture, presenter: presenter !== null }], now, horizonMs)
			.filter((d) => !done.has(`${row.userId}:${d.lectureId}:${d.kind}`))
			.map((d) => ({
				...d,
				...row,
				lectureNumber: lecture.number,
				lectureTitle: lecture.title,
				url: critiquesUrl(row.courseId, d.lectureId)
			}))
	);
}

/** The actor's critiques still to write in the next two weeks, soonest first: the dashboard. */
export async function myDueCritiques(actor: SessionUser, now = new Date()) {
	const due = await unsubmittedDue(db(), now, DASHBOARD_HORIZON_MS, actor.id);
	return due.sort((a, b) => a.due.getTime() - b.due.getTime());
}

/** A student's critiques still to write in one course in the next two weeks, soonest first. */
export async function dueCritiquesOf(
	executor: Executor,
	courseId: string,
	userId: string,
	now = new Date()
) {
	const due = await unsubmittedDue(executor, now, DASHBOARD_HORIZON_MS, userId);
	return due
		.filter((d) => d.courseId === courseId)
		.sort((a, b) => a.due.getTime() - b.due.getTime());
}

/** "Paper critique for Lecture 4 due before Thursday 16:00" in the course's zone. */
export const dueText = (d: StudentDue, now: Date) =>
	`${CRITIQUE_KIND_LABELS[d.kind]} for Lecture ${d.lectureNumber} due before ${formatDeadline(d.due, d.timeZone, now)}`;

/**
 * Tells every student of every course about critiques due within 48 hours that they have
 * not submitted. Idempotent: one notice per student, lecture and kind, whenever it runs.
 */
export async function sendDueReminders(now = new Date()): Promise<void> {
	await db().transaction(async (tx) => {
		const due = await unsubmittedDue(tx, now, REMINDER_HORIZON_MS);
		await notify(
			tx,
			null,
			due.map((d) => ({
				userId: d.userId,
				courseId: d.courseId,
				kind: 'deadline',
				key: `due:${d.kind}:${d.lectureId}`,
				text: `${dueText(d, now)}.`,
				url: d.url
			}))
		);
	});
}

const REMINDER_PERIOD_MS = 10 * 60 * 1000;
let reminderTimer: ReturnType<typeof setInterval> | undefined;

/**
 * Runs sendDueReminders now and every ten minutes. One set-based pass over the whole
 * database costs the same however many people use the app, and a reminder is never more
 * than ten minutes late on a 48-hour horizon; several instances may each run it, as the
 * notices' keys make a repeat a no-op.
 */
export function startDueReminders(): void {
	const run = () =>
		sendDueReminders().catch((error) => console.error('critique reminders failed', error));
	void run();
	reminderTimer = setInterval(run, REMINDER_PERIOD_MS);
	reminderTimer.unref();
}

export function stopDueReminders(): void {
	clearInterval(reminderTimer);
	reminderTimer = undefined;
}
