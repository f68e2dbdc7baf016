/**
 * The instructor dashboard: participation per student and lecture, the charts' data and
 * the items that may be padding, flagged for a person to look at (nothing acts on them).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { db } from '$lib/server/db';
import { annotations, memberships, papers, users } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireStaff } from '$lib/server/courses/access';
import { participationSummary, scoreCourse } from '$lib/server/participation/score';
import { bursts, distribution, weeklyCounts } from '$lib/grades/dashboard';
import { TEXT_ITEMS } from '$lib/participation/rules';
import { rulesOf } from '$lib/server/participation/service';

export interface PaddingFlag {
	userId: string;
	name: string;
	duplicates: number;
	tooShort: number;
	bursts: { start: Date; count: number }[];
}

/** Everything the dashboard shows, for instructors and TAs. */
export async function courseDashboard(actor: SessionUser, courseId: string) {
	await requireStaff(actor, courseId);
	const executor = db();
	const rules = await rulesOf(db(), courseId);
	const [summary, items, studentRows, paperRows] = await Promise.all([
		participationSummary(executor, courseId, rules),
		scoreCourse(executor, courseId, rules),
		executor
			.select({ userId: users.id, name: users.name })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(and(eq(memberships.courseId, courseId), eq(memberships.role, 'student'))),
		executor
			.select({
				id: papers.id,
				title: papers.title,
				annotations: sql<number>`count(${annotations.id})::int`,
				annotators: sql<number>`count(distinct ${annotations.authorId})::int`
			})
			.from(papers)
			.leftJoin(annotations, and(eq(annotations.paperId, papers.id), isNull(annotations.deletedAt)))
			.where(eq(papers.courseId, courseId))
			.groupBy(papers.id, papers.title)
			.orderBy(papers.title)
	]);
	const nameOf = new Map(studentRows.map((s) => [s.userId, s.name]));
	const rows = summary.students.map((s) => ({ ...s, name: nameOf.get(s.userId) ?? '' }));
	const perLecture = summary.lectures.map((l) => {
		const points = rows.map((r) => r.perLecture[l.id] ?? 0);
		return {
			id: l.id,
			number: l.number,
			points: points.reduce((a, b) => a + b, 0),
			active: points.filter((p) => p > 0).length
		};
	});
	const textItems = items.filter((i) => TEXT_ITEMS.includes(i.item));
	const flags: PaddingFlag[] = rows
		.map((r) => {
			const own = textItems.filter((i) => i.userId === r.userId);
			return {
				userId: r.userId,
				name: r.name,
				duplicates: own.filter((i) => i.reason === 'duplicate').length,
				tooShort: own.filter((i) => i.reason === 'too_short').length,
				bursts: bursts(own.map((i) => i.occurredAt))
			};
		})
		.filter((f) => f.duplicates || f.tooShort || f.bursts.length)
		.sort((a, b) => a.name.localeCompare(b.name));
	return {
		lectures: summary.lectures,
		rows,
		distribution: distribution(rows.map((r) => r.percent)),
		weekly: weeklyCounts(items.map((i) => i.occurredAt)),
		perLecture,
		perPaper: paperRows,
		flags
	};
}
