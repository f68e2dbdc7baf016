/**
 * Participation as people see and change it: the course's rules, one student's score with
 * every item that made it (or did not), and the staff's adjustments. Every permission check
 * lives here; the scoring itself is score.ts.
 */
import { error } from '@sveltejs/kit';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { db, type Executor } from '$lib/server/db';
import {
	annotations,
	critiqueReplies,
	lectures,
	memberships,
	participationAdjustments,
	participationRules,
	users
} from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireInstructor, requireMember, requireStaff } from '$lib/server/courses/access';
import { isStaff } from '$lib/courses/roles';
import { createOnce, InputError } from '$lib/server/forms';
import { toFieldErrors } from '$lib/validation';
import { newId } from '$lib/server/ids';
import { audit } from '$lib/server/grades/audit';
import { dueCritiquesOf, dueText } from '$lib/server/critiques/due';
import { participationSummary, scoreCourse, type ScoredItem } from './score';
import {
	DEFAULT_RULES,
	ITEM_LABELS,
	describeRules,
	participationPercent,
	rulesSchema,
	type ParticipationRules
} from '$lib/participation/rules';
import { reasonText } from '$lib/participation/explain';
import { adjustmentSchema, type AdjustmentInput } from '$lib/participation/schemas';

/** The course's rules, or the defaults while the instructor has set none. */
export async function rulesOf(executor: Executor, courseId: string): Promise<ParticipationRules> {
	const [row] = await executor
		.select({ rules: participationRules.rules })
		.from(participationRules)
		.where(eq(participationRules.courseId, courseId));
	return row?.rules ?? DEFAULT_RULES;
}

/** The rules for the instructors' form, with the defaults to compare against. */
export async function getRules(actor: SessionUser, courseId: string) {
	await requireInstructor(actor, courseId);
	const rules = await rulesOf(db(), courseId);
	return { rules, description: describeRules(rules), defaults: DEFAULT_RULES };
}

/**
 * Replaces the course's rules (instructors only). Scores are computed on read, so everyone
 * is recomputed at once; the change is in the audit log with what the rules were before.
 */
export async function setRules(actor: SessionUser, courseId: string, input: unknown) {
	const parsed = rulesSchema.safeParse(input);
	if (!parsed.success) throw new InputError(toFieldErrors(parsed.error));
	const rules = parsed.data;
	await db().transaction(async (tx) => {
		await requireInstructor(actor, courseId, tx);
		const before = await rulesOf(tx, courseId);
		const values = { rules, updatedBy: actor.id, updatedAt: new Date() };
		await tx
			.insert(participationRules)
			.values({ courseId, ...values })
			.onConflictDoUpdate({ target: participationRules.courseId, set: values });
		await audit(tx, {
			courseId,
			actorId: actor.id,
			action: 'participation_rules_changed',
			subjectType: 'course',
			subjectId: courseId,
			before,
			after: rules
		});
	});
}

/** Whether `userId` is a student of the course. */
async function isStudent(executor: Executor, courseId: string, userId: string) {
	const [row] = await executor
		.select({ userId: memberships.userId })
		.from(memberships)
		.where(
			and(
				eq(memberships.courseId, courseId),
				eq(memberships.userId, userId),
				eq(memberships.role, 'student')
			)
		);
	return row !== undefined;
}

/** Every student with their percentage, for the staff (others get 403). */
export async function participationOverview(
	actor: SessionUser,
	courseId: string,
	now = new Date()
) {
	await requireStaff(actor, courseId);
	const rules = await rulesOf(db(), courseId);
	const [{ students }, names] = await Promise.all([
		participationSummary(db(), courseId, rules, now),
		db()
			.select({ id: users.id, name: users.name })
			.from(users)
			.innerJoin(memberships, eq(memberships.userId, users.id))
			.where(and(eq(memberships.courseId, courseId), eq(memberships.role, 'student')))
	]);
	const nameOf = new Map(names.map((n) => [n.id, n.name]));
	return students
		.map((s) => ({ id: s.userId, name: nameOf.get(s.userId) ?? '', percent: s.percent }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Where each scored item can be read: its thread, critique or the talk's questions. */
async function itemLinks(courseId: string, items: ScoredItem[]): Promise<Map<string, string>> {
	const ids = (type: string) => [
		...new Set(items.filter((i) => i.subjectType === type).map((i) => i.subjectId))
	];
	const annotationIds = ids('annotation');
	const replyIds = ids('critique_reply');
	const [annotationRows, replyRows] = await Promise.all([
		annotationIds.length
			? db()
					.select({
						id: annotations.id,
						paperId: annotations.paperId,
						parentId: annotations.parentId
					})
					.from(annotations)
					.where(and(eq(annotations.courseId, courseId), inArray(annotations.id, annotationIds)))
			: [],
		replyIds.length
			? db()
					.select({ id: critiqueReplies.id, critiqueId: critiqueReplies.critiqueId })
					.from(critiqueReplies)
					.where(inArray(critiqueReplies.id, replyIds))
			: []
	]);
	const base = `/courses/${courseId}`;
	const links = new Map<string, string>();
	for (const a of annotationRows) {
		links.set(`annotation:${a.id}`, `${base}/papers/${a.paperId}#annotation-${a.parentId ?? a.id}`);
	}
	const critiquesPage = (lectureId: string | null) => `${base}/lectures/${lectureId}/critiques`;
	for (const item of items) {
		const key = `${item.subjectType}:${item.subjectId}`;
		if (item.subjectType === 'critique') {
			links.set(key, `${critiquesPage(item.lectureId)}#critique-${item.subjectId}`);
		} else if (item.subjectType === 'question') {
			links.set(key, `${base}/lectures/${item.lectureId}/live`);
		}
	}
	const critiqueOf = new Map(replyRows.map((r) => [r.id, r.critiqueId]));
	for (const item of items.filter((i) => i.subjectType === 'critique_reply')) {
		const critiqueId = critiqueOf.get(item.subjectId);
		if (critiqueId) {
			links.set(
				`critique_reply:${item.subjectId}`,
				`${critiquesPage(item.lectureId)}#critique-${critiqueId}`
			);
		}
	}
	return links;
}

/**
 * One student's participation with every item that made it: per lecture the points and
 * the items (earned, or nothing and why), the adjustments with who and when, the percent,
 * and the critiques still to write. The student themself or the staff; anyone else 404.
 */
export async function explainedScore(
	actor: SessionUser,
	courseId: string,
	studentId: string,
	now = new Date()
) {
	const access = await requireMember(actor, courseId);
	if (actor.id !== studentId && !isStaff(access.role)) error(404, 'Not found');
	if (!(await isStudent(db(), courseId, studentId))) error(404, 'Not found');
	const rules = await rulesOf(db(), courseId);
	const [items, lectureRows, adjustmentRows, [student], due] = await Promise.all([
		scoreCourse(db(), courseId, rules, studentId),
		db()
			.select({
				id: lectures.id,
				number: lectures.number,
				title: lectures.title,
				startsAt: lectures.startsAt
			})
			.from(lectures)
			.where(eq(lectures.courseId, courseId))
			.orderBy(asc(lectures.number)),
		db()
			.select({
				id: participationAdjustments.id,
				lectureId: participationAdjustments.lectureId,
				points: participationAdjustments.points,
				reason: participationAdjustments.reason,
				createdAt: participationAdjustments.createdAt,
				by: users.name
			})
			.from(participationAdjustments)
			.leftJoin(users, eq(users.id, participationAdjustments.createdBy))
			.where(
				and(
					eq(participationAdjustments.courseId, courseId),
					eq(participationAdjustments.userId, studentId)
				)
			)
			.orderBy(asc(participationAdjustments.createdAt)),
		db().select({ id: users.id, name: users.name }).from(users).where(eq(users.id, studentId)),
		dueCritiquesOf(db(), courseId, studentId, now)
	]);
	const links = await itemLinks(courseId, items);
	const perLecture = lectureRows
		.map((lecture) => {
			const mine = items.filter((i) => i.lectureId === lecture.id);
			return {
				id: lecture.id,
				number: lecture.number,
				title: lecture.title,
				held: lecture.startsAt <= now,
				earned: mine.reduce((sum, i) => sum + i.earned, 0),
				items: mine.map((i) => ({
					id: i.activityId,
					label: ITEM_LABELS[i.item],
					occurredAt: i.occurredAt,
					points: i.points,
					earned: i.earned,
					reason: i.reason ? reasonText(i.reason, rules) : null,
					href: links.get(`${i.subjectType}:${i.subjectId}`) ?? null
				}))
			};
		})
		.filter((l) => l.held || l.items.length > 0);
	const lectureNumber = new Map(lectureRows.map((l) => [l.id, l.number]));
	const adjustmentTotal = adjustmentRows.reduce((sum, a) => sum + a.points, 0);
	const held = perLecture.filter((l) => l.held);
	return {
		student: student!,
		rules: describeRules(rules),
		cap: rules.capPerLecture,
		lectures: perLecture,
		adjustments: adjustmentRows.map((a) => ({
			...a,
			lectureNumber: a.lectureId ? (lectureNumber.get(a.lectureId) ?? null) : null
		})),
		adjustmentTotal,
		total: perLecture.reduce((sum, l) => sum + l.earned, 0) + adjustmentTotal,
		/** Lectures held so far: only their points (and adjustments) make the percentage. */
		lecturesHeld: held.length,
		heldPoints: held.reduce((sum, l) => sum + l.earned, 0),
		percent: participationPercent(
			held.map((l) => l.earned),
			held.length,
			rules.capPerLecture,
			adjustmentTotal
		),
		open: due.map((d) => ({ text: dueText(d, now), url: d.url })),
		lectureChoices: lectureRows.map((l) => ({ id: l.id, number: l.number, title: l.title }))
	};
}

/**
 * Adds points to (or takes them from) a student's participation with a reason: instructors
 * and TAs, who grade participation day to day. The student sees it; the audit log keeps it.
 */
export async function addAdjustment(
	actor: SessionUser,
	courseId: string,
	studentId: string,
	input: AdjustmentInput,
	submission?: string
): Promise<string> {
	const parsed = adjustmentSchema.safeParse(input);
	if (!parsed.success) throw new InputError(toFieldErrors(parsed.error));
	const { points, reason, lectureId } = parsed.data;
	return createOnce(actor, submission, async (tx) => {
		await requireStaff(actor, courseId, tx);
		if (!(await isStudent(tx, courseId, studentId))) error(404, 'Not found');
		if (lectureId) {
			const [lecture] = await tx
				.select({ id: lectures.id })
				.from(lectures)
				.where(and(eq(lectures.id, lectureId), eq(lectures.courseId, courseId)));
			if (!lecture) throw new InputError({ lectureId: 'Choose a lecture of this course.' });
		}
		const id = newId();
		const row = { id, courseId, userId: studentId, lectureId: lectureId ?? null, points, reason };
		await tx.insert(participationAdjustments).values({ ...row, createdBy: actor.id });
		await audit(tx, {
			courseId,
			actorId: actor.id,
			action: 'participation_adjusted',
			subjectType: 'participation_adjustment',
			subjectId: id,
			after: row
		});
		return id;
	});
}
