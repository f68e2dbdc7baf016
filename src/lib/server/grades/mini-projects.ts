import { and, asc, desc, eq, max } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import {
	memberships,
	miniProjectGrades,
	miniProjectSubmissions,
	miniProjects,
	users
} from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireMember, requireStaff } from '$lib/server/courses/access';
import { lectureOf, type Lecture } from '$lib/server/lectures/service';
import { fileStore } from '$lib/server/files/store';
import { inspectPdf, PdfRejectedError } from '$lib/server/papers/inspect';
import { renderMarkdown } from '$lib/server/markdown';
import { createOnce, InputError } from '$lib/server/forms';
import { newId } from '$lib/server/ids';
import { isStaff } from '$lib/courses/roles';
import { zonedLocalToUtc } from '$lib/time/zones';
import { reportPointsIssue } from '$lib/grades/schemas';
import { audit } from './audit';

export type MiniProject = typeof miniProjects.$inferSelect;
export type Submission = typeof miniProjectSubmissions.$inferSelect;

/** Reports are one or two pages; longer ones are accepted with this warning. */
export const MAX_REPORT_PAGES = 2;

/** When reports are due: the set date, else the lecture's start. */
export const dueOf = (
	miniProject: Pick<MiniProject, 'dueAt'>,
	lecture: Pick<Lecture, 'startsAt'>
) => miniProject.dueAt ?? lecture.startsAt;

async function miniProjectRow(lectureId: string): Promise<MiniProject | undefined> {
	const [row] = await db().select().from(miniProjects).where(eq(miniProjects.lectureId, lectureId));
	return row;
}

/** Publishes the lecture's mini-project, or edits it once published (staff only). */
export async function publishMiniProject(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	input: { title: string; description: string; dueAt: string; maxPoints: number }
): Promise<MiniProject> {
	const { course } = await requireStaff(actor, courseId);
	await lectureOf(courseId, lectureId);
	let dueAt: Date | null = null;
	if (input.dueAt) {
		dueAt = zonedLocalToUtc(input.dueAt, course.timeZone);
		if (!dueAt) throw new InputError({ dueAt: 'Due is not a valid date and time.' });
	}
	const fields = {
		title: input.title,
		description: input.description,
		descriptionHtml: renderMarkdown(input.description),
		dueAt,
		maxPoints: input.maxPoints
	};
	const [row] = await db()
		.insert(miniProjects)
		.values({ id: newId(), courseId, lectureId, publishedAt: new Date(), ...fields })
		.onConflictDoUpdate({ target: miniProjects.lectureId, set: fields })
		.returning();
	return row;
}

/**
 * The lecture's mini-project with its due time: members see it once published, staff always
 * (null when there is none yet). Students get 404 for one not published.
 */
export async function miniProjectOf(actor: SessionUser, courseId: string, lectureId: string) {
	const access = await requireMember(actor, courseId);
	const lecture = await lectureOf(courseId, lectureId);
	const staff = isStaff(access.role);
	const miniProject = await miniProjectRow(lectureId);
	if (!staff && !miniProject?.publishedAt) error(404, 'Not found');
	return {
		course: access.course,
		lecture,
		staff,
		miniProject: miniProject ?? null,
		due: miniProject ? dueOf(miniProject, lecture) : lecture.startsAt
	};
}

/** Whether the lecture has a mini-project the actor may open (for the lecture page's links). */
export async function hasMiniProject(actor: SessionUser, courseId: string, lectureId: string) {
	const access = await requireMember(actor, courseId);
	const row = await miniProjectRow(lectureId);
	return Boolean(row?.publishedAt && row.courseId === courseId) || isStaff(access.role);
}

/**
 * A student's report: checked like a paper (a file that is not a readable PDF is refused with
 * the same message), kept as a new version beside the earlier ones, marked late after the
 * due time. A report longer than two pages is accepted with a warning.
 */
export async function submitReport(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	file: { bytes: Uint8Array; name: string },
	now = new Date(),
	submission?: string
): Promise<{ submission: Submission; warning: string | null }> {
	const { lecture, staff, miniProject } = await miniProjectOf(actor, courseId, lectureId);
	if (staff) error(403, 'Only students submit reports.');
	if (!miniProject) error(404, 'Not found');
	if (file.bytes.length === 0) throw new InputError({ file: 'Choose a PDF file to upload.' });
	let pageCount: number;
	try {
		({ pageCount } = await inspectPdf(file.bytes));
	} catch (e) {
		if (e instanceof PdfRejectedError) throw new InputError({ file: e.message });
		throw e;
	}
	const late = now > dueOf(miniProject, lecture);
	const id = await createOnce(actor, submission, async (tx) => {
		// Uploads to one mini-project take turns, so two at once get consecutive versions.
		await tx
			.select({ id: miniProjects.id })
			.from(miniProjects)
			.where(eq(miniProjects.id, miniProject.id))
			.for('update');
		const { sha256 } = await fileStore.put(file.bytes, 'application/pdf', tx);
		const [{ last }] = await tx
			.select({ last: max(miniProjectSubmissions.version) })
			.from(miniProjectSubmissions)
			.where(
				and(
					eq(miniProjectSubmissions.miniProjectId, miniProject.id),
					eq(miniProjectSubmissions.userId, actor.id)
				)
			);
		const id = newId();
		await tx.insert(miniProjectSubmissions).values({
			id,
			miniProjectId: miniProject.id,
			userId: actor.id,
			version: (last ?? 0) + 1,
			sha256,
			fileName: file.name.slice(0, 200) || 'report.pdf',
			pageCount,
			late,
			submittedAt: now
		});
		return id;
	});
	const [report] = await db()
		.select()
		.from(miniProjectSubmissions)
		.where(eq(miniProjectSubmissions.id, id));
	const warning =
		pageCount > MAX_REPORT_PAGES
			? `Your report has ${pageCount} pages; reports should be 1–2 pages. It was accepted.`
			: null;
	return { submission: report, warning };
}

const submissionColumns = {
	id: miniProjectSubmissions.id,
	userId: miniProjectSubmissions.userId,
	version: miniProjectSubmissions.version,
	fileName: miniProjectSubmissions.fileName,
	pageCount: miniProjectSubmissions.pageCount,
	late: miniProjectSubmissions.late,
	submittedAt: miniProjectSubmissions.submittedAt
};

/** The actor's own reports (newest first) and their grade. */
export async function mySubmissions(actor: SessionUser, courseId: string, lectureId: string) {
	const { miniProject } = await miniProjectOf(actor, courseId, lectureId);
	if (!miniProject) return { versions: [], grade: null };
	const mine = and(
		eq(miniProjectSubmissions.miniProjectId, miniProject.id),
		eq(miniProjectSubmissions.userId, actor.id)
	);
	const [versions, [grade]] = await Promise.all([
		db()
			.select(submissionColumns)
			.from(miniProjectSubmissions)
			.where(mine)
			.orderBy(desc(miniProjectSubmissions.version)),
		db()
			.select({ points: miniProjectGrades.points, feedbackHtml: miniProjectGrades.feedbackHtml })
			.from(miniProjectGrades)
			.where(
				and(
					eq(miniProjectGrades.miniProjectId, miniProject.id),
					eq(miniProjectGrades.userId, actor.id)
				)
			)
	]);
	return { versions, grade: grade ?? null };
}

/** Every student's reports (newest version first) with their grade, for staff. */
export async function allSubmissions(actor: SessionUser, courseId: string, lectureId: string) {
	await requireStaff(actor, courseId);
	const miniProject = await miniProjectRow(lectureId);
	if (!miniProject || miniProject.courseId !== courseId) return [];
	const [rows, grades] = await Promise.all([
		db()
			.select({ ...submissionColumns, name: users.name })
			.from(miniProjectSubmissions)
			.innerJoin(users, eq(users.id, miniProjectSubmissions.userId))
			.where(eq(miniProjectSubmissions.miniProjectId, miniProject.id))
			.orderBy(
				asc(users.name),
				asc(miniProjectSubmissions.userId),
				desc(miniProjectSubmissions.version)
			),
		db().select().from(miniProjectGrades).where(eq(miniProjectGrades.miniProjectId, miniProject.id))
	]);
	const gradeOf = new Map(grades.map((g) => [g.userId, g]));
	const students = new Map<string, { userId: string; name: string; versions: typeof rows }>();
	for (const row of rows) {
		const student = students.get(row.userId) ?? {
			userId: row.userId,
			name: row.name,
			versions: []
		};
		student.versions.push(row);
		students.set(row.userId, student);
	}
	return [...students.values()].map((s) => {
		const grade = gradeOf.get(s.userId);
		return {
			...s,
			grade: grade ? { points: grade.points, feedback: grade.feedback } : null
		};
	});
}

/** Grades a student's report, 0 to the mini-project's points, with feedback (staff only). */
export async function gradeReport(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	studentId: string,
	input: { points: number; feedback: string }
): Promise<void> {
	await requireStaff(actor, courseId);
	await lectureOf(courseId, lectureId);
	const miniProject = await miniProjectRow(lectureId);
	if (!miniProject) error(404, 'Not found');
	const issue = reportPointsIssue(input.points, miniProject.maxPoints);
	if (issue) throw new InputError({ points: issue });
	const [student] = await db()
		.select({ userId: memberships.userId })
		.from(memberships)
		.where(
			and(
				eq(memberships.courseId, courseId),
				eq(memberships.userId, studentId),
				eq(memberships.role, 'student')
			)
		);
	if (!student) throw new InputError({ studentId: 'Choose a student of this course.' });
	const feedback = input.feedback.trim();
	const row = {
		points: input.points,
		feedback,
		feedbackHtml: renderMarkdown(feedback),
		gradedBy: actor.id,
		updatedAt: new Date()
	};
	await db().transaction(async (tx) => {
		const key = and(
			eq(miniProjectGrades.miniProjectId, miniProject.id),
			eq(miniProjectGrades.userId, studentId)
		);
		const [before] = await tx
			.select({ points: miniProjectGrades.points, feedback: miniProjectGrades.feedback })
			.from(miniProjectGrades)
			.where(key);
		await tx
			.insert(miniProjectGrades)
			.values({ miniProjectId: miniProject.id, userId: studentId, ...row })
			.onConflictDoUpdate({
				target: [miniProjectGrades.miniProjectId, miniProjectGrades.userId],
				set: row
			});
		await audit(tx, {
			courseId,
			actorId: actor.id,
			action: 'report_graded',
			subjectType: 'mini_project',
			subjectId: miniProject.id,
			before: before ? { userId: studentId, ...before } : null,
			after: { userId: studentId, points: row.points, feedback }
		});
	});
}

/** A report's PDF, for the student who submitted it and for staff; 404 for anyone else. */
export async function reportFile(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	submissionId: string
) {
	const access = await requireMember(actor, courseId);
	const [row] = await db()
		.select({
			userId: miniProjectSubmissions.userId,
			sha256: miniProjectSubmissions.sha256,
			fileName: miniProjectSubmissions.fileName
		})
		.from(miniProjectSubmissions)
		.innerJoin(miniProjects, eq(miniProjects.id, miniProjectSubmissions.miniProjectId))
		.where(
			and(
				eq(miniProjectSubmissions.id, submissionId),
				eq(miniProjects.courseId, courseId),
				eq(miniProjects.lectureId, lectureId)
			)
		);
	if (!row || (!isStaff(access.role) && row.userId !== actor.id)) error(404, 'Not found');
	const file = await fileStore.get(row.sha256);
	if (!file) error(404, 'Not found');
	return { fileName: row.fileName, file };
}
