/**
 * Participation computed from the activity rows and the course's rules, in one SQL pass for
 * the whole course. Each scored item comes back with what it earned and, when that is less
 * than its points, why: so every number on the page is the sum of rows a person can read.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '$lib/server/db';
import { lectures, memberships, participationAdjustments } from '$lib/server/db/schema';
import {
	PARTICIPATION_ITEMS,
	participationPercent,
	type ParticipationRules
} from '$lib/participation/rules';

export type Reason =
	| 'not_counted'
	| 'deleted'
	| 'hidden'
	| 'too_short'
	/** Shorter than the full length: earned a share of its points. */
	| 'short'
	| 'duplicate'
	| 'over_cap'
	| 'late';

export interface ScoredItem {
	activityId: string;
	userId: string;
	lectureId: string | null;
	item: (typeof PARTICIPATION_ITEMS)[number];
	subjectType: string;
	subjectId: string;
	occurredAt: Date;
	/** Points before the cap (after length share and late penalty). */
	points: number;
	earned: number;
	/** Why it earned less than its item's points; null when it earned them all. */
	reason: Reason | null;
}

/** The scored items of a course's students, optionally of one student. */
function scoringQuery(courseId: string, rules: ParticipationRules, userId?: string): SQL {
	const only = userId ? sql`and a.user_id = ${userId}` : sql``;
	return sql`
with rules as (select ${JSON.stringify(rules)}::jsonb as r),
students as (
	select user_id from memberships where course_id = ${courseId} and role = 'student'
),
act as (
	select a.* from activity a
	join students s on s.user_id = a.user_id
	where a.course_id = ${courseId} ${only}
),
-- Staff flags and deletions in force now: the newest event of each kind per subject.
hidden as (
	select distinct on (subject_type, subject_id) subject_type, subject_id,
		kind = 'hidden_by_staff' as hidden
	from activity
	where course_id = ${courseId} and kind in ('hidden_by_staff', 'unhidden_by_staff')
	order by subject_type, subject_id, occurred_at desc, id desc
),
deleted as (
	select distinct subject_type, subject_id from activity
	where course_id = ${courseId} and kind = 'annotation_deleted'
),
-- A mark given and withdrawn nets out: the newest event per subject and giver decides.
marks as (
	select distinct on (kind_family, subject_type, subject_id, actor_id) *
	from (
		select a.*, case when a.kind like 'vote_%' then 'vote' else 'endorsement' end as kind_family
		from act a
		where a.kind in ('vote_received', 'vote_withdrawn', 'endorsement_received', 'endorsement_withdrawn')
			and coalesce(a.details->>'vote', 'helpful') = 'helpful'
	) m
	order by kind_family, subject_type, subject_id, actor_id, occurred_at desc, id desc
),
items as (
	select id, user_id, lecture_id, subject_type, subject_id, occurred_at, details,
		case kind
			when 'annotation_created' then 'annotation'
			when 'reply_created' then 'reply'
			when 'critique_reply_created' then 'reply'
			when 'critique_submitted' then 'critique'
			when 'critique_answered' then 'critique_answer'
			when 'question_asked' then 'live_question'
			when 'annotation_cited' then 'annotation_cited'
		end as item
	from act
	where kind in ('annotation_created', 'reply_created', 'critique_reply_created',
		'critique_submitted', 'critique_answered', 'question_asked', 'annotation_cited')
	union all
	select id, user_id, lecture_id, subject_type, subject_id, occurred_at, details,
		case kind_family when 'vote' then 'helpful_received' else 'endorsement_received' end
	from marks
	where kind in ('vote_received', 'endorsement_received')
),
judged as (
	select i.*,
		(rules.r->'items'->i.item->>'counts')::boolean as counts,
		(rules.r->'items'->i.item->>'points')::numeric as base,
		(i.details->>'length')::int as length,
		-- Other items record whether they came after the critique deadline too; only a
		-- late critique loses points.
		i.item = 'critique' and coalesce((i.details->>'late')::boolean, false) as late,
		d.subject_id is not null as is_deleted,
		coalesce(h.hidden, false) as is_hidden,
		case when i.details ? 'fingerprint' then
			row_number() over (
				partition by i.user_id, i.item in ('annotation', 'reply'), i.details->>'fingerprint'
				order by i.occurred_at, i.id
			)
		else 1 end as copy,
		rules.r as r
	from items i
	cross join rules
	left join deleted d on d.subject_type = i.subject_type and d.subject_id = i.subject_id
	left join hidden h on h.subject_type = i.subject_type and h.subject_id = i.subject_id
),
pointed as (
	select j.*,
		case
			when not counts or is_deleted or is_hidden or copy > 1 then 0
			when length is not null and length < (r->>'minLength')::int then 0
			else base
				* case when length is null then 1
					else least(1, length::numeric / (r->>'fullLength')::int) end
				* case when late then 1 - (r->>'latePenalty')::numeric / 100 else 1 end
		end as points
	from judged j
),
capped as (
	select p.*,
		least(points, greatest(0, (r->>'capPerLecture')::numeric - (
			sum(points) over (
				partition by user_id, lecture_id order by occurred_at, id
				rows between unbounded preceding and current row
			) - points
		))) as earned
	from pointed p
)
select id as "activityId", user_id as "userId", lecture_id as "lectureId", item,
	subject_type as "subjectType", subject_id as "subjectId", occurred_at as "occurredAt",
	points::float8 as points, earned::float8 as earned,
	case
		when not counts then 'not_counted'
		when is_deleted then 'deleted'
		when is_hidden then 'hidden'
		when copy > 1 then 'duplicate'
		when length is not null and length < (r->>'minLength')::int then 'too_short'
		when earned < points then 'over_cap'
		when late and (r->>'latePenalty')::numeric > 0 then 'late'
		when length is not null and length < (r->>'fullLength')::int then 'short'
		else null
	end as reason
from capped
order by user_id, occurred_at, id`;
}

/** Rows of a raw query, whichever driver ran it (postgres.js: an array; PGlite: { rows }). */
function rowsOf<T>(result: unknown): T[] {
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Every scored item of every student of the course (or of one student). Callers check
 * permissions: this reads the whole course.
 */
export async function scoreCourse(
	executor: Executor,
	courseId: string,
	rules: ParticipationRules,
	userId?: string
): Promise<ScoredItem[]> {
	const rows = rowsOf<ScoredItem & { occurredAt: Date | string }>(
		await executor.execute(scoringQuery(courseId, rules, userId))
	);
	return rows.map((row) => ({ ...row, occurredAt: new Date(row.occurredAt) }));
}

export interface LectureHeld {
	id: string;
	number: number;
	startsAt: Date;
}

export interface StudentParticipation {
	userId: string;
	/** Earned points per lecture id (capped), before adjustments. */
	perLecture: Record<string, number>;
	/** Sum of the instructor's adjustments (points). */
	adjustments: number;
	/** Capped points of lectures held so far plus adjustments, over cap × lectures held. */
	percent: number;
}

/**
 * Every student's participation from one scoring pass: points per lecture, adjustments,
 * and the percentage against full participation in the lectures held by `now`.
 */
export async function participationSummary(
	executor: Executor,
	courseId: string,
	rules: ParticipationRules,
	now = new Date()
): Promise<{ lectures: LectureHeld[]; students: StudentParticipation[] }> {
	const [items, lectureRows, studentRows, adjustmentRows] = await Promise.all([
		scoreCourse(executor, courseId, rules),
		executor
			.select({ id: lectures.id, number: lectures.number, startsAt: lectures.startsAt })
			.from(lectures)
			.where(eq(lectures.courseId, courseId))
			.orderBy(asc(lectures.number)),
		executor
			.select({ userId: memberships.userId })
			.from(memberships)
			.where(and(eq(memberships.courseId, courseId), eq(memberships.role, 'student'))),
		executor
			.select({ userId: participationAdjustments.userId, points: participationAdjustments.points })
			.from(participationAdjustments)
			.where(eq(participationAdjustments.courseId, courseId))
	]);
	const held = lectureRows.filter((l) => l.startsAt <= now);
	const students = new Map<string, StudentParticipation>(
		studentRows.map((s) => [
			s.userId,
			{ userId: s.userId, perLecture: {}, adjustments: 0, percent: 0 }
		])
	);
	for (const item of items) {
		const student = students.get(item.userId);
		if (!student || !item.lectureId) continue;
		student.perLecture[item.lectureId] = (student.perLecture[item.lectureId] ?? 0) + item.earned;
	}
	for (const a of adjustmentRows) {
		const student = students.get(a.userId);
		if (student) student.adjustments += a.points;
	}
	const heldIds = new Set(held.map((l) => l.id));
	for (const student of students.values()) {
		const earned = Object.entries(student.perLecture)
			.filter(([id]) => heldIds.has(id))
			.map(([, points]) => points);
		student.percent = participationPercent(
			earned,
			held.length,
			rules.capPerLecture,
			student.adjustments
		);
	}
	return { lectures: lectureRows, students: [...students.values()] };
}
