import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { db } from '$lib/server/db';
import { activity, critiqueCitations, critiques, notifications } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { uploadPaper, type Paper } from '$lib/server/papers/service';
import { createAnnotation } from '$lib/server/annotations/service';
import {
	critiqueHistory,
	lectureCritiques,
	markAnswerRead,
	myCritique,
	replyToCritique,
	saveCritiqueDraft,
	setCritiqueFlag,
	setCritiqueForm,
	setCritiqueHelpful,
	setRevealRule,
	submitCritique
} from '$lib/server/critiques/service';
import { listNotifications, unreadCount } from '$lib/server/notifications/service';
import { DEFAULT_FORMS } from '$lib/critiques/forms';
import { samplePaperPdf } from '../fixtures/pdf';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	lectureInput,
	makeCourse,
	makeUser,
	nextRequest,
	paperDocument,
	passage
} from './helpers';

// The lecture starts 2026-12-09 16:00 in Berlin = 15:00 UTC.
const STARTS = new Date('2026-12-09T15:00:00Z');
const BEFORE = new Date('2026-12-08T10:00:00Z');
const AFTER_START = new Date('2026-12-09T15:30:00Z');
const AFTER_WINDOW = new Date('2026-12-11T15:00:01Z');

let course: Course;
let instructor: SessionUser;
let ta: SessionUser;
let presenter: SessionUser;
let alice: SessionUser;
let bob: SessionUser;
let carol: SessionUser;
let outsider: SessionUser;
let lecture: string;
let paper: Paper;

const paperAnswers = (over: Record<string, unknown> = {}) => ({
	summary: 'Shards optimizer state across ranks.',
	strengths: 'Memory per device falls with the number of ranks.',
	weaknesses: 'Stage three costs half again as much communication.',
	soundness: '3',
	significance: '4',
	clarity: '3',
	confidence: '4',
	...over
});

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course, await makeUser('Tariq TA'));
	presenter = await asStudentOf(course, await makeUser('Priya Presenter'));
	alice = await asStudentOf(course, await makeUser('Alice Anonymous'));
	bob = await asStudentOf(course, await makeUser('Bob Builder'));
	carol = await asStudentOf(course, await makeUser('Carol Critic'));
	outsider = await makeUser('Olga Outsider');
	lecture = await createLecture(instructor, course.id, lectureInput());
	await setPresenters(instructor, course.id, lecture, [presenter.id]);
	paper = await uploadPaper(instructor, course.id, lecture, {
		bytes: await samplePaperPdf(),
		name: 'paper.pdf'
	});
});

/** A fresh lecture of the same course, so tests do not see each other's critiques. */
async function freshLecture(number: number) {
	const id = await createLecture(instructor, course.id, lectureInput({ number }));
	await setPresenters(instructor, course.id, id, [presenter.id]);
	return id;
}

describe('writing a critique', () => {
	it('saves drafts with anything missing, and submits only complete ones', async () => {
		const id = await freshLecture(10);
		await saveCritiqueDraft(
			alice,
			course.id,
			id,
			'paper',
			{
				answers: { summary: 'Half done' },
				anonymous: false
			},
			BEFORE
		);
		const draft = await myCritique(alice, course.id, id, 'paper', BEFORE);
		expect(draft.critique).toMatchObject({ answers: { summary: 'Half done' }, submittedAt: null });

		const errors = await expectInputError(
			submitCritique(
				alice,
				course.id,
				id,
				'paper',
				{ answers: { summary: 'Half done' }, anonymous: false },
				BEFORE
			),
			'strengths'
		);
		expect(errors.soundness).toBe('Soundness: choose a score.');
		expect(
			(await myCritique(alice, course.id, id, 'paper', BEFORE)).critique?.submittedAt
		).toBeNull();

		const done = await submitCritique(
			alice,
			course.id,
			id,
			'paper',
			{ answers: paperAnswers(), anonymous: false },
			BEFORE
		);
		expect(done).toMatchObject({ version: 1, late: false });
		const rows = await db()
			.select()
			.from(activity)
			.where(and(eq(activity.subjectId, done.id), eq(activity.kind, 'critique_submitted')));
		expect(rows).toHaveLength(1);
		expect(rows[0].details).toMatchObject({ kind: 'paper', late: false, version: 1 });
	});

	it('accepts late critiques and marks them late; an edit keeps the earlier version', async () => {
		const id = await freshLecture(11);
		const late = new Date(STARTS.getTime() + 60_000);
		const first = await submitCritique(
			bob,
			course.id,
			id,
			'paper',
			{ answers: paperAnswers(), anonymous: false },
			late
		);
		expect(first.late).toBe(true);
		const second = await submitCritique(
			bob,
			course.id,
			id,
			'paper',
			{ answers: paperAnswers({ summary: 'A better summary.' }), anonymous: false },
			new Date(late.getTime() + 60_000)
		);
		expect(second).toMatchObject({ id: first.id, version: 2, late: true });
		const history = await critiqueHistory(bob, course.id, first.id);
		expect(history.map((v) => [v.version, v.answers.summary])).toEqual([
			[1, 'Shards optimizer state across ranks.'],
			[2, 'A better summary.']
		]);
		// Drafts cannot silently change a submitted critique.
		await expectInputError(
			saveCritiqueDraft(bob, course.id, id, 'paper', { answers: {}, anonymous: false }, late),
			'form'
		);
		const kinds = await db()
			.select({ kind: activity.kind })
			.from(activity)
			.where(eq(activity.subjectId, first.id));
		expect(kinds.map((k) => k.kind).sort()).toEqual(['critique_revised', 'critique_submitted']);
		// A classmate cannot read the history of someone else's critique.
		await expectHttpError(critiqueHistory(carol, course.id, first.id), 404);
	});

	it('refuses what does not belong, writing nothing', async () => {
		const id = await freshLecture(12);
		const { course: other, instructor: otherInstructor } = await makeCourse({ title: 'Other' });
		const otherLecture = await createLecture(otherInstructor, other.id, lectureInput());
		await expectNothingWritten(async () => {
			await expectHttpError(
				submitCritique(
					outsider,
					course.id,
					id,
					'paper',
					{ answers: paperAnswers(), anonymous: false },
					BEFORE
				),
				404
			);
			await expectInputError(
				submitCritique(
					ta,
					course.id,
					id,
					'paper',
					{ answers: paperAnswers(), anonymous: false },
					BEFORE
				),
				'form'
			);
			const presenting = await expectInputError(
				submitCritique(
					presenter,
					course.id,
					id,
					'presentation',
					{ answers: {}, anonymous: false },
					AFTER_START
				),
				'form'
			);
			expect(presenting.form).toBe('You gave this talk: answer its critiques instead.');
			const early = await expectInputError(
				submitCritique(
					alice,
					course.id,
					id,
					'presentation',
					{ answers: {}, anonymous: false },
					BEFORE
				),
				'form'
			);
			expect(early.form).toMatch(/once the talk has started/);
			const long = await expectInputError(
				submitCritique(
					alice,
					course.id,
					id,
					'paper',
					{ answers: paperAnswers({ summary: 'x'.repeat(10_001) }), anonymous: false },
					BEFORE
				),
				'summary'
			);
			expect(long.summary).toMatch(/at most 10,000 characters/);
			// A lecture of another course is not found, whatever the critique says.
			await expectHttpError(
				submitCritique(
					alice,
					course.id,
					otherLecture,
					'paper',
					{ answers: paperAnswers(), anonymous: false },
					BEFORE
				),
				404
			);
		});
	});
});

describe('evidence', () => {
	it('links annotations, passages and slides of this lecture, and refuses others', async () => {
		const id = await freshLecture(13);
		const lecturePaper = await uploadPaper(instructor, course.id, id, {
			bytes: await samplePaperPdf(),
			name: 'paper.pdf'
		});
		const doc = await paperDocument(instructor, course.id, lecturePaper.id);
		const note = await createAnnotation(carol, course.id, lecturePaper.id, {
			target: passage(doc, 'Sparse'),
			body: 'Key claim',
			tags: ['strength'],
			visibility: 'class'
		});
		const elsewhere = await createAnnotation(carol, course.id, paper.id, {
			target: passage(await paperDocument(instructor, course.id, paper.id), 'Sparse'),
			body: 'Another lecture',
			tags: [],
			visibility: 'class'
		});
		const strengths = `> Sparse adapters\n> — [Paper, p. 1](podium:passage/${lecturePaper.id}/1)\n\nAs [Carol says](podium:annotation/${note}), and [slide 3](podium:slide/3).`;
		const result = await submitCritique(
			alice,
			course.id,
			id,
			'paper',
			{ answers: paperAnswers({ strengths }), anonymous: false },
			BEFORE
		);
		const cited = await db()
			.select()
			.from(critiqueCitations)
			.where(eq(critiqueCitations.critiqueId, result.id));
		expect(
			cited.map((c) => [c.fieldKey, c.annotationId, c.paperId, c.page, c.slideH]).sort()
		).toEqual(
			[
				['strengths', null, lecturePaper.id, 1, null],
				['strengths', note, lecturePaper.id, 1, null],
				['strengths', null, null, null, 2]
			].sort()
		);
		const { critiques: shown } = await lectureCritiques(instructor, course.id, id, 'paper', BEFORE);
		const html = shown[0].answersHtml.strengths;
		expect(html).toContain(`href="/courses/${course.id}/papers/${lecturePaper.id}#page=1"`);
		expect(html).toContain(
			`href="/courses/${course.id}/papers/${lecturePaper.id}#annotation-${note}"`
		);
		expect(html).toContain(`href="/courses/${course.id}/lectures/${id}/deck?slide=3"`);

		for (const bad of [
			`[x](podium:annotation/${elsewhere})`,
			`[x](podium:passage/${lecturePaper.id}/99)`,
			`[x](podium:passage/${paper.id}/1)`
		]) {
			await expectInputError(
				submitCritique(
					bob,
					course.id,
					id,
					'paper',
					{ answers: paperAnswers({ weaknesses: bad }), anonymous: false },
					BEFORE
				),
				'weaknesses'
			);
		}
		const [none] = await db()
			.select()
			.from(critiques)
			.where(and(eq(critiques.lectureId, id), eq(critiques.authorId, bob.id)));
		expect(none).toBeUndefined();
	});
});

describe('reading others’ critiques', () => {
	it('waits for one’s own submission, or for the deadline under the stricter rule', async () => {
		const id = await freshLecture(14);
		await submitCritique(
			alice,
			course.id,
			id,
			'paper',
			{ answers: paperAnswers(), anonymous: false },
			BEFORE
		);

		const bobBefore = await lectureCritiques(bob, course.id, id, 'paper', BEFORE);
		expect(bobBefore).toMatchObject({ mayReadPeers: false, count: 1, critiques: [] });
		await expectHttpError(
			setCritiqueHelpful(
				bob,
				course.id,
				(await lectureCritiques(alice, course.id, id, 'paper', BEFORE)).critiques[0].id,
				true
			),
			404
		);

		await submitCritique(
			bob,
			course.id,
			id,
			'paper',
			{ answers: paperAnswers(), anonymous: false },
			new Date(BEFORE.getTime() + 60_000)
		);
		const bobAfter = await lectureCritiques(nextRequest(bob), course.id, id, 'paper', BEFORE);
		expect(bobAfter.critiques.map((c) => c.authorLabel)).toEqual(['Alice Anonymous', 'You']);

		await setRevealRule(instructor, course.id, 'after_deadline');
		try {
			expect(
				(await lectureCritiques(bob, course.id, id, 'paper', BEFORE)).critiques.map(
					(c) => c.authorLabel
				)
			).toEqual(['You']);
			expect(
				(await lectureCritiques(carol, course.id, id, 'paper', STARTS)).critiques
			).toHaveLength(2);
			expect((await lectureCritiques(ta, course.id, id, 'paper', BEFORE)).critiques).toHaveLength(
				2
			);
			expect(
				(await lectureCritiques(presenter, course.id, id, 'paper', BEFORE)).critiques
			).toHaveLength(2);
		} finally {
			await setRevealRule(instructor, course.id, 'after_own_or_deadline');
		}
		await expectHttpError(setRevealRule(alice, course.id, 'after_deadline'), 403);
		await expectHttpError(lectureCritiques(outsider, course.id, id, 'paper', BEFORE), 404);
	});

	it('keeps an anonymous critic anonymous to peers everywhere, but not to staff', async () => {
		const id = await freshLecture(15);
		const presentation = {
			strengths: 'Clear figures.',
			weaknesses: 'Rushed the last part.',
			explanation: '3',
			assessment: '2',
			delivery: '4'
		};
		const { id: critiqueId } = await submitCritique(
			alice,
			course.id,
			id,
			'presentation',
			{ answers: presentation, anonymous: true },
			AFTER_START
		);
		const answerId = await replyToCritique(presenter, course.id, {
			critiqueId,
			parentId: null,
			body: 'We ran out of time; the appendix has it.',
			asPresenters: true
		});
		await replyToCritique(alice, course.id, {
			critiqueId,
			parentId: answerId,
			body: 'Thanks, found it. @Bob Builder you asked the same.',
			asPresenters: false
		});

		const forBob = await lectureCritiques(bob, course.id, id, 'presentation', AFTER_WINDOW);
		const seen = JSON.stringify(forBob);
		expect(seen).not.toContain('Alice');
		expect(seen).not.toContain(alice.id);
		expect(forBob.critiques[0].authorLabel).toBe('Anonymous classmate');
		expect(forBob.critiques[0].anonymous).toBeNull();
		expect(forBob.critiques[0].replies.map((r) => r.authorLabel)).toEqual([
			'The presenters',
			'The critic'
		]);
		const bobsNotices = JSON.stringify(await listNotifications(bob));
		expect(bobsNotices).toContain('The critic mentioned you');
		expect(bobsNotices).not.toContain('Alice');
		const presenterNotices = JSON.stringify(await listNotifications(presenter));
		expect(presenterNotices).toContain('The critic replied to you');
		expect(presenterNotices).not.toContain('Alice');

		const forStaff = await lectureCritiques(ta, course.id, id, 'presentation', AFTER_START);
		expect(forStaff.critiques[0]).toMatchObject({
			authorLabel: 'Alice Anonymous',
			anonymous: true
		});

		// The critic is told of the presenters' answer, and marks it read; nobody else can.
		expect(await unreadCount(alice)).toBeGreaterThan(0);
		expect(JSON.stringify(await listNotifications(alice))).toContain(
			'The presenters answered your critique of Lecture 15.'
		);
		await expectHttpError(markAnswerRead(bob, course.id, answerId), 404);
		await markAnswerRead(alice, course.id, answerId);
		const again = await lectureCritiques(alice, course.id, id, 'presentation', AFTER_START);
		expect(again.critiques[0].replies[0]).toMatchObject({ readByCritic: true, asPresenters: true });

		// Only the lecture's presenters answer as the presenters.
		await expectInputError(
			replyToCritique(ta, course.id, {
				critiqueId,
				parentId: null,
				body: 'x',
				asPresenters: true
			}),
			'asPresenters'
		);
		expect(
			await db().select().from(notifications).where(eq(notifications.userId, alice.id))
		).toHaveLength(1);
	});
});

describe('helpful marks and staff flags', () => {
	it('counts helpful marks from others only, and hides what staff hide', async () => {
		const id = await freshLecture(16);
		const { id: critiqueId } = await submitCritique(
			carol,
			course.id,
			id,
			'paper',
			{ answers: paperAnswers(), anonymous: false },
			BEFORE
		);
		await submitCritique(
			bob,
			course.id,
			id,
			'paper',
			{ answers: paperAnswers(), anonymous: false },
			BEFORE
		);
		await expectInputError(setCritiqueHelpful(carol, course.id, critiqueId, true), 'form');
		await setCritiqueHelpful(bob, course.id, critiqueId, true);
		await setCritiqueHelpful(bob, course.id, critiqueId, true);
		const votes = await db()
			.select({
				kind: activity.kind,
				userId: activity.userId,
				actorId: activity.actorId,
				late: sql<boolean>`(${activity.details}->>'late')::boolean`
			})
			.from(activity)
			.where(and(eq(activity.subjectId, critiqueId), eq(activity.kind, 'vote_received')));
		// Marked before the deadline (9 December): on time.
		expect(votes).toEqual([
			{ kind: 'vote_received', userId: carol.id, actorId: bob.id, late: false }
		]);
		expect(
			(await lectureCritiques(carol, course.id, id, 'paper', BEFORE)).critiques.find(
				(c) => c.isMine
			)?.helpful
		).toBe(1);

		await expectHttpError(
			setCritiqueFlag(bob, course.id, {
				target: 'critique',
				id: critiqueId,
				flag: 'hide',
				on: true
			}),
			403
		);
		await setCritiqueFlag(ta, course.id, {
			target: 'critique',
			id: critiqueId,
			flag: 'hide',
			on: true
		});
		expect(
			(await lectureCritiques(bob, course.id, id, 'paper', BEFORE)).critiques.map(
				(c) => c.authorLabel
			)
		).toEqual(['You']);
		expect(
			(await lectureCritiques(carol, course.id, id, 'paper', BEFORE)).critiques.find(
				(c) => c.isMine
			)?.hidden
		).toBe(true);
		await expectHttpError(setCritiqueHelpful(bob, course.id, critiqueId, false), 404);
		const hidden = await db()
			.select()
			.from(activity)
			.where(and(eq(activity.subjectId, critiqueId), eq(activity.kind, 'hidden_by_staff')));
		expect(hidden).toHaveLength(1);
	});
});

describe('course forms', () => {
	it('lets the instructor change the questions; submitted critiques keep theirs', async () => {
		const id = await freshLecture(17);
		await submitCritique(
			alice,
			course.id,
			id,
			'paper',
			{ answers: paperAnswers(), anonymous: false },
			BEFORE
		);
		const shorter = DEFAULT_FORMS.paper.filter((f) => f.key !== 'summary');
		await expectHttpError(setCritiqueForm(ta, course.id, 'paper', shorter), 403);
		await expectInputError(setCritiqueForm(instructor, course.id, 'paper', []), 'fields');
		await setCritiqueForm(instructor, course.id, 'paper', shorter);
		try {
			expect(
				(await myCritique(bob, course.id, id, 'paper', BEFORE)).fields.map((f) => f.key)
			).not.toContain('summary');
			expect(
				(await myCritique(alice, course.id, id, 'paper', BEFORE)).fields.map((f) => f.key)
			).toContain('summary');
		} finally {
			await setCritiqueForm(instructor, course.id, 'paper', DEFAULT_FORMS.paper);
		}
	});
});
