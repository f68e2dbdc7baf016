import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { activity, auditLog } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { uploadPaper, type Paper } from '$lib/server/papers/service';
import { createAnnotation, reply, setVote } from '$lib/server/annotations/service';
import {
	addAdjustment,
	explainedScore,
	participationOverview,
	rulesOf,
	setRules
} from '$lib/server/participation/service';
import { DEFAULT_RULES } from '$lib/participation/rules';
import { textFingerprint } from '$lib/participation/fingerprint';
import type { DocumentText } from '$lib/papers/page-text';
import { longPaperPdf } from '../fixtures/pdf';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	lectureInput,
	makeCourse,
	makeUser,
	paperDocument,
	passage
} from './helpers';

let course: Course;
let instructor: SessionUser;
let ta: SessionUser;
let ada: SessionUser;
let ben: SessionUser;
let outsider: SessionUser;
let lecture: string;
let paper: Paper;
let doc: DocumentText;
let substantial: string;
let short: string;
let copy: string;

/** After every lecture of the test: all of them count as held. */
const LATER = new Date('2030-01-01T00:00:00Z');
const LONG =
	'The memory saving is real, but the paper never says which model size and sequence length the 20 to 35 percent overhead was measured on; with a different setup the trade-off could look very different.';

const annotate = (who: SessionUser, body: string, phrase = 'the') =>
	createAnnotation(who, course.id, paper.id, {
		target: passage(doc, phrase),
		body,
		tags: [],
		visibility: 'class'
	});

const explain = (actor: SessionUser, student = ada) =>
	explainedScore(actor, course.id, student.id, LATER);

const auditRows = (action: string) =>
	db()
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.courseId, course.id), eq(auditLog.action, action)));

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course, await makeUser('Tariq TA'));
	ada = await asStudentOf(course, await makeUser('Ada'));
	ben = await asStudentOf(course, await makeUser('Ben'));
	outsider = await makeUser('Olga Outsider');
	lecture = await createLecture(instructor, course.id, lectureInput());
	paper = await uploadPaper(instructor, course.id, lecture, {
		bytes: await longPaperPdf(1),
		name: 'paper.pdf'
	});
	doc = await paperDocument(instructor, course.id, paper.id);
	substantial = await annotate(ada, LONG);
	short = await annotate(ada, 'Nice point.');
	// The same words in another case and punctuation: a near-duplicate.
	copy = await annotate(ada, LONG.toUpperCase().replaceAll(',', ';'));
	await reply(
		ben,
		course.id,
		paper.id,
		substantial,
		'Agreed: the overhead depends heavily on sequence length.'
	);
	await setVote(ben, course.id, paper.id, substantial, 'helpful', true);
});

describe('written items', () => {
	it('record their length and fingerprint, so scoring never reads the items', async () => {
		const [row] = await db()
			.select({ details: activity.details })
			.from(activity)
			.where(and(eq(activity.subjectId, substantial), eq(activity.kind, 'annotation_created')));
		expect(row.details).toMatchObject({ length: LONG.length, fingerprint: textFingerprint(LONG) });
	});

	it('cannot be marked helpful by their own author', async () => {
		await expectInputError(setVote(ada, course.id, paper.id, substantial, 'helpful', true), 'form');
		const own = await db()
			.select()
			.from(activity)
			.where(and(eq(activity.kind, 'vote_received'), eq(activity.actorId, ada.id)));
		expect(own).toEqual([]);
	});
});

describe('the explained score', () => {
	it('traces every point to an item or an adjustment', async () => {
		const score = await explain(ada);
		const [first] = score.lectures;
		const itemSum = first.items.reduce((s, i) => s + i.earned, 0);
		expect(first.earned).toBeCloseTo(itemSum);
		expect(score.total).toBeCloseTo(
			score.lectures.reduce((s, l) => s + l.items.reduce((t, i) => t + i.earned, 0), 0) +
				score.adjustments.reduce((s, a) => s + a.points, 0)
		);
		const link = `/courses/${course.id}/papers/${paper.id}#annotation-${substantial}`;
		const earning = first.items.filter((i) => i.href === link && i.earned > 0);
		// The annotation itself and ben's helpful mark on it.
		expect(earning.map((i) => i.label).sort()).toEqual([
			'a “helpful” mark from a classmate',
			'an annotation on a paper'
		]);
		const tooShort = first.items.find((i) => i.href?.endsWith(`#annotation-${short}`));
		expect(tooShort).toMatchObject({
			earned: 0,
			reason: expect.stringContaining('shorter than 30')
		});
		const duplicate = first.items.find((i) => i.href?.endsWith(`#annotation-${copy}`));
		expect(duplicate).toMatchObject({ earned: 0, reason: expect.stringContaining('same text') });
		expect(score.percent).toBeCloseTo((100 * first.earned) / DEFAULT_RULES.capPerLecture);
	});

	it('is the same when recomputed from scratch', async () => {
		expect(await explain(ada)).toEqual(await explain(ada));
		const overview = await participationOverview(instructor, course.id, LATER);
		expect(overview.find((s) => s.id === ada.id)?.percent).toBeCloseTo(
			(await explain(ada)).percent
		);
	});

	it('is shown to the student themself and to the staff only', async () => {
		expect((await explain(ada)).student.name).toBe('Ada');
		expect((await explain(ta)).student.id).toBe(ada.id);
		expect((await explain(instructor)).student.id).toBe(ada.id);
		await expectHttpError(explain(ben), 404);
		await expectHttpError(explain(outsider), 404);
		// Only students have a participation score.
		await expectHttpError(explain(instructor, ta), 404);
		await expectHttpError(participationOverview(ada, course.id), 403);
	});
});

describe('rules', () => {
	it('are changed by instructors only', async () => {
		const rules = { ...DEFAULT_RULES, capPerLecture: 3 };
		await expectNothingWritten(async () => {
			await expectHttpError(setRules(ta, course.id, rules), 403);
			await expectHttpError(setRules(ada, course.id, rules), 403);
			await expectHttpError(setRules(outsider, course.id, rules), 404);
		});
	});

	it('refuse bad input with a clear message and save nothing', async () => {
		await expectNothingWritten(async () => {
			const cap = await expectInputError(
				setRules(instructor, course.id, { ...DEFAULT_RULES, capPerLecture: -1 }),
				'capPerLecture'
			);
			expect(cap.capPerLecture).toBe('The cap per lecture must be above zero.');
			await expectInputError(
				setRules(instructor, course.id, { ...DEFAULT_RULES, minLength: 300, fullLength: 200 }),
				'fullLength'
			);
		});
	});

	it('recompute everyone at once and are logged with before and after', async () => {
		const rules = {
			...DEFAULT_RULES,
			items: { ...DEFAULT_RULES.items, annotation: { counts: false, points: 1 } }
		};
		await setRules(instructor, course.id, rules);
		expect(await rulesOf(db(), course.id)).toEqual(rules);
		const [row] = await auditRows('participation_rules_changed');
		expect(row).toMatchObject({ actorId: instructor.id, before: DEFAULT_RULES, after: rules });
		const item = (await explain(ada)).lectures[0].items.find((i) =>
			i.href?.endsWith(`#annotation-${substantial}`)
		);
		expect(item?.reason).toContain('does not count');
		await setRules(instructor, course.id, DEFAULT_RULES);
		expect(await auditRows('participation_rules_changed')).toHaveLength(2);
	});
});

describe('adjustments', () => {
	it('are made by staff with a reason, shown to the student and audited', async () => {
		const before = await explain(ada);
		const id = await addAdjustment(ta, course.id, ada.id, {
			points: 1.5,
			reason: 'Led the discussion in class.',
			lectureId: lecture
		});
		const after = await explain(ada);
		expect(after.total).toBeCloseTo(before.total + 1.5);
		expect(after.adjustments).toEqual([
			expect.objectContaining({
				id,
				points: 1.5,
				reason: 'Led the discussion in class.',
				by: 'Tariq TA',
				lectureNumber: 1
			})
		]);
		const [row] = await auditRows('participation_adjusted');
		expect(row).toMatchObject({ actorId: ta.id, subjectId: id, after: { points: 1.5 } });
	});

	it('refuse students, bad points and a missing reason, saving nothing', async () => {
		await expectNothingWritten(async () => {
			await expectHttpError(
				addAdjustment(ben, course.id, ada.id, { points: 1, reason: 'Friendly.' }),
				403
			);
			await expectInputError(
				addAdjustment(instructor, course.id, ada.id, { points: 150, reason: 'Too much.' }),
				'points'
			);
			await expectInputError(
				addAdjustment(instructor, course.id, ada.id, { points: 1, reason: '  ' }),
				'reason'
			);
			await expectHttpError(
				addAdjustment(instructor, course.id, ta.id, { points: 1, reason: 'Not a student.' }),
				404
			);
		});
	});
});
