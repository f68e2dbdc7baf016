/**
 * The gradebook: every student's presentation, mini-project and participation percentages
 * and the final grade by the course's weights. Staff read everyone's; a student reads only
 * their own; only instructors change the settings and export.
 */
import { and, asc, eq } from 'drizzle-orm';
import { rulesOf } from '$lib/server/participation/service';
import { DEFAULT_RUBRIC } from '$lib/grades/rubric';
import { db, type Executor } from '$lib/server/db';
import {
	gradeSettings,
	lecturePresenters,
	lectures,
	memberships,
	miniProjectGrades,
	miniProjects,
	presentationAdjustments,
	presentationGrades,
	users
} from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireInstructor, requireMember, requireStaff } from '$lib/server/courses/access';
import { InputError } from '$lib/server/forms';
import { toFieldErrors } from '$lib/validation';
import { participationSummary } from '$lib/server/participation/score';
import {
	DEFAULT_BEST_MINI_PROJECTS,
	DEFAULT_OF_MINI_PROJECTS,
	DEFAULT_WEIGHTS,
	finalGrade,
	gradebookCsv,
	gradeSettingsSchema,
	presentationPercent,
	type ExportFormat,
	type FinalGrade,
	type GradebookRow,
	type GradeWeights
} from '$lib/grades/final';
import { audit } from './audit';

export interface GradeSettings {
	weights: GradeWeights;
	bestMiniProjects: number;
	ofMiniProjects: number;
}

/** The course's weights and N of M, or the defaults (70/20/10, best 3 of 5). */
export async function gradeSettingsOf(
	courseId: string,
	executor: Executor = db()
): Promise<GradeSettings> {
	const [row] = await executor
		.select()
		.from(gradeSettings)
		.where(eq(gradeSettings.courseId, courseId));
	return row
		? {
				weights: row.weights,
				bestMiniProjects: row.bestMiniProjects,
				ofMiniProjects: row.ofMiniProjects
			}
		: {
				weights: DEFAULT_WEIGHTS,
				bestMiniProjects: DEFAULT_BEST_MINI_PROJECTS,
				ofMiniProjects: DEFAULT_OF_MINI_PROJECTS
			};
}

/** Saves the weights and N of M (instructors only), with an audit row of before and after. */
export async function setGradeSettings(
	actor: SessionUser,
	courseId: string,
	input: unknown
): Promise<void> {
	const parsed = gradeSettingsSchema.safeParse(input);
	if (!parsed.success) throw new InputError(toFieldErrors(parsed.error));
	const { bestMiniProjects, ofMiniProjects, ...weights } = parsed.data;
	await db().transaction(async (tx) => {
		await requireInstructor(actor, courseId, tx);
		const before = await gradeSettingsOf(courseId, tx);
		const after = { weights, bestMiniProjects, ofMiniProjects };
		const now = new Date();
		await tx
			.insert(gradeSettings)
			// The first save of the weights starts the course's talk rubric at the default.
			.values({ courseId, ...after, rubric: DEFAULT_RUBRIC, updatedBy: actor.id, updatedAt: now })
			.onConflictDoUpdate({
				target: gradeSettings.courseId,
				set: { ...after, updatedBy: actor.id, updatedAt: now }
			});
		await audit(tx, {
			courseId,
			actorId: actor.id,
			action: 'grade_settings_changed',
			subjectType: 'course',
			subjectId: courseId,
			before,
			after
		});
	});
}

export interface StudentGrades extends FinalGrade {
	userId: string;
	name: string;
	email: string;
	/** Null until a talk they presented is graded. */
	presentationPercent: number | null;
	/** Per mini-project of the course, in the order of `miniProjects`. */
	miniProjectPercents: (number | null)[];
}

export interface Gradebook {
	settings: GradeSettings;
	miniProjects: { id: string; title: string }[];
	students: StudentGrades[];
}

/** Every student's grades in one pass over the course; callers check permissions. */
async function computeGradebook(courseId: string, onlyUserId?: string): Promise<Gradebook> {
	const executor = db();
	const [settings, rules, studentRows, talkRows, adjustmentRows, projectRows, markRows] =
		await Promise.all([
			gradeSettingsOf(courseId),
			rulesOf(db(), courseId),
			executor
				.select({ userId: users.id, name: users.name, email: users.email })
				.from(memberships)
				.innerJoin(users, eq(users.id, memberships.userId))
				.where(and(eq(memberships.courseId, courseId), eq(memberships.role, 'student')))
				.orderBy(asc(users.name), asc(users.email)),
			executor
				.select({
					lectureId: presentationGrades.lectureId,
					userId: lecturePresenters.userId,
					rubric: presentationGrades.rubric,
					scores: presentationGrades.scores
				})
				.from(presentationGrades)
				.innerJoin(lecturePresenters, eq(lecturePresenters.lectureId, presentationGrades.lectureId))
				.where(eq(presentationGrades.courseId, courseId)),
			executor
				.select({
					lectureId: presentationAdjustments.lectureId,
					userId: presentationAdjustments.userId,
					points: presentationAdjustments.points
				})
				.from(presentationAdjustments)
				.innerJoin(lectures, eq(lectures.id, presentationAdjustments.lectureId))
				.where(eq(lectures.courseId, courseId)),
			executor
				.select({
					id: miniProjects.id,
					title: miniProjects.title,
					maxPoints: miniProjects.maxPoints
				})
				.from(miniProjects)
				.innerJoin(lectures, eq(lectures.id, miniProjects.lectureId))
				.where(eq(miniProjects.courseId, courseId))
				.orderBy(asc(lectures.number)),
			executor
				.select({
					miniProjectId: miniProjectGrades.miniProjectId,
					userId: miniProjectGrades.userId,
					points: miniProjectGrades.points
				})
				.from(miniProjectGrades)
				.innerJoin(miniProjects, eq(miniProjects.id, miniProjectGrades.miniProjectId))
				.where(eq(miniProjects.courseId, courseId))
		]);
	const participation = await participationSummary(executor, courseId, rules);
	const participationOf = new Map(participation.students.map((s) => [s.userId, s.percent]));
	const adjustmentOf = new Map(adjustmentRows.map((a) => [`${a.lectureId}/${a.userId}`, a.points]));
	const talksOf = new Map<string, number[]>();
	for (const t of talkRows) {
		const percent = presentationPercent(
			t.rubric,
			t.scores,
			adjustmentOf.get(`${t.lectureId}/${t.userId}`)
		);
		if (percent !== null) talksOf.set(t.userId, [...(talksOf.get(t.userId) ?? []), percent]);
	}
	const markOf = new Map(markRows.map((g) => [`${g.miniProjectId}/${g.userId}`, g.points]));
	const students = studentRows
		.filter((s) => !onlyUserId || s.userId === onlyUserId)
		.map((s): StudentGrades => {
			const talks = talksOf.get(s.userId) ?? [];
			// A student who presented more than once (a trio filling a gap) gets the mean.
			const presentation = talks.length
				? talks.reduce((sum, p) => sum + p, 0) / talks.length
				: null;
			const miniProjectPercents = projectRows.map((p) => {
				const points = markOf.get(`${p.id}/${s.userId}`);
				return points === undefined || p.maxPoints <= 0 ? null : (points / p.maxPoints) * 100;
			});
			const parts = {
				presentationPercent: presentation,
				miniProjectPercents,
				participationPercent: participationOf.get(s.userId) ?? 0
			};
			return {
				...s,
				...parts,
				...finalGrade(parts, settings.weights, settings.bestMiniProjects, settings.ofMiniProjects)
			};
		});
	return {
		settings,
		miniProjects: projectRows.map((p) => ({ id: p.id, title: p.title })),
		students
	};
}

/** The whole course's gradebook, for instructors and TAs. */
export async function gradebook(actor: SessionUser, courseId: string): Promise<Gradebook> {
	await requireStaff(actor, courseId);
	return computeGradebook(courseId);
}

/** A student's own grades and the course's settings; null for staff, who have none. */
export async function myGrades(actor: SessionUser, courseId: string) {
	const access = await requireMember(actor, courseId);
	if (access.role !== 'student') return null;
	const book = await computeGradebook(courseId, actor.id);
	return { settings: book.settings, miniProjects: book.miniProjects, grades: book.students[0] };
}

/** The gradebook as a file for a learning platform or for scripts; instructors only. */
export async function exportGradebook(actor: SessionUser, courseId: string, format: ExportFormat) {
	const { course } = await requireInstructor(actor, courseId);
	const book = await computeGradebook(courseId);
	const slug = course.title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'course';
	if (format === 'json') {
		return {
			fileName: `${slug}-grades.json`,
			contentType: 'application/json',
			body: JSON.stringify({ course: { id: course.id, title: course.title }, ...book }, null, 2)
		};
	}
	const titles = [
		'Presentation',
		...book.miniProjects.map((p) => `Mini-project: ${p.title}`),
		`Mini-projects (best ${book.settings.bestMiniProjects} of ${book.settings.ofMiniProjects})`,
		'Participation',
		'Final grade'
	];
	const rows: GradebookRow[] = book.students.map((s) => ({
		userId: s.userId,
		name: s.name,
		email: s.email,
		items: [
			s.presentationPercent,
			...s.miniProjectPercents,
			s.miniProjects,
			s.participation,
			s.final
		]
	}));
	return {
		fileName: `${slug}-grades-${format}.csv`,
		contentType: 'text/csv; charset=utf-8',
		body: gradebookCsv(rows, titles, format)
	};
}
