import { and, asc, eq } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db, type Executor } from '$lib/server/db';
import {
	gradeSettings,
	lecturePresenters,
	presentationAdjustments,
	presentationGrades,
	users
} from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireInstructor, requireMember, requireStaff } from '$lib/server/courses/access';
import { lectureOf } from '$lib/server/lectures/service';
import { isPresenter } from '$lib/server/lectures/presenters';
import { renderMarkdown } from '$lib/server/markdown';
import { InputError } from '$lib/server/forms';
import { isStaff } from '$lib/courses/roles';
import {
	DEFAULT_RUBRIC,
	adjustmentIssue,
	memberPercent,
	rubricSchema,
	scoreField,
	scoreIssue,
	talkPercent,
	type RubricCriterion
} from '$lib/grades/rubric';
import { criterionField } from '$lib/grades/rubric-editor';
import { rowMessages } from '$lib/forms/row-editor';
import { audit } from './audit';
import { gradeSettingsOf } from './gradebook';

async function rubricOf(executor: Executor, courseId: string): Promise<RubricCriterion[]> {
	const [row] = await executor
		.select({ rubric: gradeSettings.rubric })
		.from(gradeSettings)
		.where(eq(gradeSettings.courseId, courseId));
	return row?.rubric.length ? row.rubric : DEFAULT_RUBRIC;
}

/** The course's talk rubric, for the grade form (staff only). */
export async function courseRubric(actor: SessionUser, courseId: string) {
	await requireStaff(actor, courseId);
	return rubricOf(db(), courseId);
}

/**
 * Replaces the course's talk rubric (instructors only), with an audit row of before and
 * after. Talks already graded keep the rubric stored with their grade.
 */
export async function setRubric(
	actor: SessionUser,
	courseId: string,
	criteria: unknown
): Promise<void> {
	await requireInstructor(actor, courseId);
	const parsed = rubricSchema.safeParse(criteria);
	if (!parsed.success) {
		// A row's message goes next to that row's input; the rest above the rows.
		const errors: Record<string, string> = {};
		for (const issue of parsed.error.issues) {
			const [index, part] = issue.path;
			const field =
				typeof index === 'number'
					? criterionField(index, part === 'max' ? 'max' : 'label')
					: 'rubric';
			errors[field] ??= rowMessages([issue], 'Criterion');
		}
		throw new InputError(errors);
	}
	const rubric = parsed.data;
	await db().transaction(async (tx) => {
		const before = await rubricOf(tx, courseId);
		const now = new Date();
		await tx
			.insert(gradeSettings)
			// Without a row the course had the default weights and N of M; they go in with it.
			.values({
				courseId,
				...(await gradeSettingsOf(courseId, tx)),
				rubric,
				updatedBy: actor.id,
				updatedAt: now
			})
			.onConflictDoUpdate({
				target: gradeSettings.courseId,
				set: { rubric, updatedBy: actor.id, updatedAt: now }
			});
		await audit(tx, {
			courseId,
			actorId: actor.id,
			action: 'rubric_changed',
			subjectType: 'course',
			subjectId: courseId,
			before,
			after: rubric
		});
	});
}

/** A lecture whose talk is graded: one given by a pair of students, not the instructors. */
async function gradedLecture(courseId: string, lectureId: string) {
	const lecture = await lectureOf(courseId, lectureId);
	if (lecture.givenByInstructors) error(404, 'Not found');
	return lecture;
}

/**
 * Grades the pair's talk against the course's rubric (staff only). The rubric is stored with
 * the grade, so later changes to the rubric do not change a given grade.
 */
export async function gradeTalk(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	input: { scores: Record<string, number>; feedback: string }
): Promise<void> {
	await requireStaff(actor, courseId);
	await gradedLecture(courseId, lectureId);
	const rubric = await rubricOf(db(), courseId);
	const errors: Record<string, string> = {};
	for (const c of rubric) {
		const issue = scoreIssue(c, input.scores[c.key]);
		if (issue) errors[scoreField(c.key)] = issue;
	}
	if (Object.keys(errors).length > 0) throw new InputError(errors);
	const scores = Object.fromEntries(rubric.map((c) => [c.key, input.scores[c.key]]));
	const feedback = input.feedback.trim();
	const row = {
		courseId,
		scores,
		rubric,
		feedback,
		feedbackHtml: renderMarkdown(feedback),
		gradedBy: actor.id,
		updatedAt: new Date()
	};
	await db().transaction(async (tx) => {
		const [before] = await tx
			.select({ scores: presentationGrades.scores, feedback: presentationGrades.feedback })
			.from(presentationGrades)
			.where(eq(presentationGrades.lectureId, lectureId));
		await tx
			.insert(presentationGrades)
			.values({ lectureId, ...row })
			.onConflictDoUpdate({ target: presentationGrades.lectureId, set: row });
		await audit(tx, {
			courseId,
			actorId: actor.id,
			action: 'talk_graded',
			subjectType: 'presentation',
			subjectId: lectureId,
			before: before ?? null,
			after: { scores, feedback }
		});
	});
}

/** Sets one presenter's adjustment of the pair's grade, in percentage points (staff only). */
export async function adjustPresenter(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	userId: string,
	input: { points: number; reason: string }
): Promise<void> {
	await requireStaff(actor, courseId);
	await gradedLecture(courseId, lectureId);
	const pointsIssue = adjustmentIssue(input.points);
	if (pointsIssue) throw new InputError({ points: pointsIssue });
	const reason = input.reason.trim();
	if (!reason) throw new InputError({ reason: 'Say why the grade is adjusted.' });
	if (!(await isPresenter(userId, lectureId))) {
		throw new InputError({ userId: "Choose one of the lecture's presenters." });
	}
	const row = { points: input.points, reason, updatedAt: new Date() };
	await db().transaction(async (tx) => {
		const [before] = await tx
			.select({ points: presentationAdjustments.points, reason: presentationAdjustments.reason })
			.from(presentationAdjustments)
			.where(
				and(
					eq(presentationAdjustments.lectureId, lectureId),
					eq(presentationAdjustments.userId, userId)
				)
			);
		await tx
			.insert(presentationAdjustments)
			.values({ lectureId, userId, ...row })
			.onConflictDoUpdate({
				target: [presentationAdjustments.lectureId, presentationAdjustments.userId],
				set: row
			});
		await audit(tx, {
			courseId,
			actorId: actor.id,
			action: 'presenter_adjusted',
			subjectType: 'presentation',
			subjectId: lectureId,
			before: before ? { userId, ...before } : null,
			after: { userId, points: row.points, reason }
		});
	});
}

/**
 * The talk's grade as the actor may see it: staff see the pair and every member's
 * adjustment; a presenter sees the pair's grade and only their own adjustment; anyone else
 * gets 404.
 */
export async function talkGrade(actor: SessionUser, courseId: string, lectureId: string) {
	const access = await requireMember(actor, courseId);
	const lecture = await gradedLecture(courseId, lectureId);
	const staff = isStaff(access.role);
	if (!staff && !(await isPresenter(actor.id, lectureId))) error(404, 'Not found');
	const [[grade], presenters, currentRubric] = await Promise.all([
		db().select().from(presentationGrades).where(eq(presentationGrades.lectureId, lectureId)),
		db()
			.select({
				userId: lecturePresenters.userId,
				name: users.name,
				points: presentationAdjustments.points,
				reason: presentationAdjustments.reason
			})
			.from(lecturePresenters)
			.innerJoin(users, eq(users.id, lecturePresenters.userId))
			.leftJoin(
				presentationAdjustments,
				and(
					eq(presentationAdjustments.lectureId, lecturePresenters.lectureId),
					eq(presentationAdjustments.userId, lecturePresenters.userId)
				)
			)
			.where(eq(lecturePresenters.lectureId, lectureId))
			.orderBy(asc(users.name)),
		rubricOf(db(), courseId)
	]);
	const rubric = grade?.rubric ?? currentRubric;
	const percent = grade ? talkPercent(grade.scores, rubric) : null;
	return {
		lecture,
		staff,
		rubric,
		/** The rubric a new grade is given with. */
		formRubric: currentRubric,
		grade: grade
			? {
					scores: grade.scores,
					feedback: grade.feedback,
					feedbackHtml: grade.feedbackHtml,
					percent
				}
			: null,
		presenters: presenters
			.filter((p) => staff || p.userId === actor.id)
			.map((p) => ({
				userId: p.userId,
				name: p.name,
				adjustment: p.points === null ? null : { points: p.points, reason: p.reason ?? '' },
				percent: percent === null ? null : memberPercent(percent, p.points ?? 0)
			}))
	};
}
