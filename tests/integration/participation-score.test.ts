import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { recordActivity, type ActivityInput } from '$lib/server/activity/record';
import { scoreCourse, type ScoredItem } from '$lib/server/participation/score';
import { DEFAULT_RULES, type ParticipationRules } from '$lib/participation/rules';
import { textFingerprint } from '$lib/participation/fingerprint';
import { asStudentOf, lectureInput, makeCourse, makeUser } from './helpers';

let course: Course;
let instructor: SessionUser;
let ada: SessionUser;
let ben: SessionUser;
let first: string;
let second: string;

const RULES: ParticipationRules = {
	...DEFAULT_RULES,
	capPerLecture: 4,
	minLength: 30,
	fullLength: 200,
	latePenalty: 50
};

let clock = Date.parse('2026-12-01T10:00:00Z');
const tick = () => new Date((clock += 60_000));

function act(input: Omit<ActivityInput, 'courseId' | 'occurredAt'>) {
	return recordActivity(db(), { courseId: course.id, occurredAt: tick(), ...input });
}

const text = (n: number, seed = 'word') =>
	Array.from({ length: Math.ceil(n / (seed.length + 1)) }, () => seed)
		.join(' ')
		.slice(0, n);

function annotation(user: SessionUser, lectureId: string, id: string, body: string) {
	return act({
		userId: user.id,
		lectureId,
		kind: 'annotation_created',
		subjectType: 'annotation',
		subjectId: id,
		details: { length: body.length, fingerprint: textFingerprint(body) }
	});
}

const byUser = (items: ScoredItem[], user: SessionUser) =>
	items.filter((i) => i.userId === user.id);
const sum = (items: ScoredItem[]) => items.reduce((s, i) => s + i.earned, 0);

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ada = await asStudentOf(course, await makeUser('Ada'));
	ben = await asStudentOf(course, await makeUser('Ben'));
	first = await createLecture(instructor, course.id, lectureInput({ number: 1 }));
	second = await createLecture(
		instructor,
		course.id,
		lectureInput({ number: 2, startsAt: '2026-12-16T16:00', endsAt: '2026-12-16T18:00' })
	);

	// Ada: two substantial annotations, one too short, one near-duplicate, one hidden,
	// one deleted, a late critique, helpful marks given and withdrawn.
	await annotation(ada, first, 'a1', text(250, 'sharding'));
	await annotation(ada, first, 'a2', 'Too short to count.');
	await annotation(ada, first, 'a3', text(250, 'Sharding') + '!!');
	await annotation(ada, first, 'a4', text(100, 'memory'));
	await annotation(ada, first, 'a5', text(300, 'hidden'));
	await act({
		userId: ada.id,
		actorId: instructor.id,
		lectureId: first,
		kind: 'hidden_by_staff',
		subjectType: 'annotation',
		subjectId: 'a5'
	});
	await annotation(ada, first, 'a6', text(300, 'deleted'));
	await act({
		userId: ada.id,
		lectureId: first,
		kind: 'annotation_deleted',
		subjectType: 'annotation',
		subjectId: 'a6'
	});
	for (const [kind, actor] of [
		['vote_received', ben],
		['vote_received', instructor],
		['vote_withdrawn', instructor]
	] as const) {
		await act({
			userId: ada.id,
			actorId: actor.id,
			lectureId: first,
			kind,
			subjectType: 'annotation',
			subjectId: 'a1',
			details: { vote: 'helpful' }
		});
	}
	await act({
		userId: ada.id,
		lectureId: second,
		kind: 'critique_submitted',
		subjectType: 'critique',
		subjectId: 'c1',
		details: { length: 400, late: true, fingerprint: textFingerprint(text(400, 'critique')) }
	});
	// A reply after the critique deadline records it, but only critiques lose points for it.
	await act({
		userId: ada.id,
		lectureId: second,
		kind: 'reply_created',
		subjectType: 'annotation',
		subjectId: 'r1',
		details: { length: 200, late: true, fingerprint: textFingerprint(text(200, 'reply')) }
	});
	// Ben: a burst of ten minimal annotations in lecture 1 hits nothing like the cap.
	for (let i = 0; i < 10; i++) await annotation(ben, first, `b${i}`, text(30, `burst${i}`));
	// The instructor's own activity is never scored.
	await annotation(instructor, first, 'i1', text(250, 'staff'));
});

describe('scoring in SQL', () => {
	it('explains every item: earned points and why it earned less', async () => {
		const items = await scoreCourse(db(), course.id, RULES);
		const ada1 = byUser(items, ada).map((i) => [i.subjectId, i.item, i.earned, i.reason]);
		expect(ada1).toEqual([
			['a1', 'annotation', 1, null],
			['a2', 'annotation', 0, 'too_short'],
			['a3', 'annotation', 0, 'duplicate'],
			['a4', 'annotation', 0.5, 'short'],
			['a5', 'annotation', 0, 'hidden'],
			['a6', 'annotation', 0, 'deleted'],
			['a1', 'helpful_received', 0.25, null],
			['c1', 'critique', 1.5, 'late'],
			['r1', 'reply', 0.5, null]
		]);
		expect(items.some((i) => i.userId === instructor.id)).toBe(false);
	});

	it('caps each lecture, and a burst of short items stays below a few substantial ones', async () => {
		const items = await scoreCourse(db(), course.id, { ...RULES, capPerLecture: 1.2 });
		const adaFirst = byUser(items, ada).filter((i) => i.lectureId === first);
		expect(sum(adaFirst)).toBeCloseTo(1.2);
		expect(adaFirst.find((i) => i.subjectId === 'a4')).toMatchObject({
			earned: 0.2,
			reason: 'over_cap'
		});
		const benFirst = byUser(await scoreCourse(db(), course.id, RULES), ben);
		expect(sum(benFirst)).toBeCloseTo(10 * (30 / 200));
		expect(sum(benFirst)).toBeLessThan(2 * 1);
	});

	it('recomputing gives the same numbers, and one student alone matches the course pass', async () => {
		const whole = await scoreCourse(db(), course.id, RULES);
		expect(await scoreCourse(db(), course.id, RULES)).toEqual(whole);
		expect(await scoreCourse(db(), course.id, RULES, ada.id)).toEqual(byUser(whole, ada));
	});

	it('follows the rules: items switched off earn nothing and say so', async () => {
		const rules = {
			...RULES,
			items: { ...RULES.items, annotation: { counts: false, points: 1 } }
		};
		const items = byUser(await scoreCourse(db(), course.id, rules), ada);
		expect(items.filter((i) => i.item === 'annotation').every((i) => i.earned === 0)).toBe(true);
		expect(items.find((i) => i.subjectId === 'a1' && i.item === 'annotation')?.reason).toBe(
			'not_counted'
		);
	});
});

describe('participationSummary', () => {
	it('sums each student’s capped points over the lectures held, with adjustments', async () => {
		const { participationSummary } = await import('$lib/server/participation/score');
		const { participationAdjustments } = await import('$lib/server/db/schema');
		await db().insert(participationAdjustments).values({
			id: 'adj1',
			courseId: course.id,
			userId: ben.id,
			points: 1,
			reason: 'Led the discussion',
			createdBy: instructor.id
		});
		// Only the first lecture (9 Dec) has been held on 10 Dec.
		const { students } = await participationSummary(
			db(),
			course.id,
			RULES,
			new Date('2026-12-10T00:00:00Z')
		);
		const ada1 = students.find((s) => s.userId === ada.id)!;
		expect(ada1.perLecture[first]).toBeCloseTo(1.75);
		expect(ada1.perLecture[second]).toBeCloseTo(2);
		expect(ada1.percent).toBeCloseTo((100 * 1.75) / 4);
		const ben1 = students.find((s) => s.userId === ben.id)!;
		expect(ben1.percent).toBeCloseTo((100 * (1.5 + 1)) / 4);
		expect(students.map((s) => s.userId)).not.toContain(instructor.id);
	});
});
