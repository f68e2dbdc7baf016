import { and, count, eq, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createCourse } from '$lib/server/courses/service';
import { importRoster } from '$lib/server/courses/roster';
import { postAnnouncement } from '$lib/server/announcements/service';
import { addReading, createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { uploadPaper, type Paper } from '$lib/server/papers/service';
import { createAnnotation, reply } from '$lib/server/annotations/service';
import { exportAnnotations, importAnnotations } from '$lib/server/annotations/exchange';
import { replyToCritique, submitCritique } from '$lib/server/critiques/service';
import { saveDeck } from '$lib/server/decks/service';
import { askQuestion, startTalk } from '$lib/server/talks/service';
import { publishMiniProject, submitReport } from '$lib/server/grades/mini-projects';
import { addAdjustment } from '$lib/server/participation/service';
import { exportCourse, importCourse } from '$lib/server/transfer/service';
import { forgetOldSubmissions, SUBMISSION_MEMORY_MS } from '$lib/server/forms';
import { samplePaperPdf } from '../fixtures/pdf';
import {
	asStudentOf,
	courseInput,
	expectInputError,
	lectureInput,
	makeCourse,
	makeUser,
	paperDocument,
	passage
} from './helpers';

// Each create service gets the same submission key twice at once (a double click whose
// two requests race) and once more afterwards (a resend after a lost answer): one row,
// and every answer names it. Another key creates another row.

let course: Course;
let instructor: SessionUser;
let ada: SessionUser;
let ben: SessionUser;
let lecture: string;
let paper: Paper;
let keys = 0;
const newKey = () => `key-${++keys}`;

const BEFORE = new Date('2026-12-08T10:00:00Z');

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ada = await asStudentOf(course, await makeUser('Ada'));
	ben = await asStudentOf(course, await makeUser('Ben'));
	lecture = await createLecture(instructor, course.id, lectureInput());
	await setPresenters(instructor, course.id, lecture, [ada.id, ben.id]);
	paper = await uploadPaper(instructor, course.id, lecture, {
		bytes: await samplePaperPdf(),
		name: 'paper.pdf'
	});
});

async function rows(table: PgTable, where?: SQL): Promise<number> {
	const [{ n }] = await db().select({ n: count() }).from(table).where(where);
	return n;
}

/**
 * Sends `create` with one key twice at once and once more, then with a new key; counts
 * with `counted` after each step.
 */
async function expectOnce<T>(create: (key: string) => Promise<T>, counted: () => Promise<number>) {
	const before = await counted();
	const key = newKey();
	const [first, second] = await Promise.all([create(key), create(key)]);
	expect(second).toEqual(first);
	expect(await counted()).toBe(before + 1);
	expect(await create(key)).toEqual(first);
	expect(await counted()).toBe(before + 1);
	await create(newKey());
	expect(await counted()).toBe(before + 2);
	return first;
}

describe('a create form sent twice creates one item', () => {
	it('course', async () => {
		const owner = await makeUser('Owner');
		const create = (key: string) =>
			createCourse(owner, courseInput({ title: 'Seminar' }), key).then((c) => c.id);
		await expectOnce(create, () =>
			rows(schema.memberships, eq(schema.memberships.userId, owner.id))
		);
	});

	it('course import', async () => {
		const owner = await makeUser('Importer');
		const file = await exportCourse(instructor, course.id);
		await expectOnce(
			(key) => importCourse(owner, file.body, key),
			() => rows(schema.memberships, eq(schema.memberships.userId, owner.id))
		);
	});

	it('announcement', async () => {
		await expectOnce(
			(key) =>
				postAnnouncement(
					instructor,
					course.id,
					{ title: 'Hi', body: 'Room change', pinned: false },
					key
				),
			() => rows(schema.announcements, eq(schema.announcements.courseId, course.id))
		);
	});

	it('lecture, without "lecture 7 already exists" for the repeat', async () => {
		const create = (key: string) =>
			createLecture(instructor, course.id, lectureInput({ number: 7 + keys }), key);
		await expectOnce(create, () => rows(schema.lectures, eq(schema.lectures.courseId, course.id)));
	});

	it('reading', async () => {
		const reading = {
			title: 'Blog',
			url: 'https://example.org',
			kind: 'blog_post',
			required: false
		} as const;
		await expectOnce(
			(key) => addReading(instructor, course.id, lecture, reading, key),
			() => rows(schema.readings, eq(schema.readings.lectureId, lecture))
		);
	});

	it('paper upload', async () => {
		const bytes = await samplePaperPdf();
		await expectOnce(
			(key) =>
				uploadPaper(instructor, course.id, lecture, { bytes, name: 'p.pdf' }, key).then(
					(p) => p.id
				),
			() => rows(schema.papers, eq(schema.papers.lectureId, lecture))
		);
	});

	it('annotation and reply', async () => {
		const doc = await paperDocument(ada, course.id, paper.id);
		const input = {
			target: passage(doc, 'Sparse Adapters'),
			body: 'Why sparse?',
			tags: [],
			visibility: 'class' as const
		};
		const byAda = eq(schema.annotations.authorId, ada.id);
		const root = await expectOnce(
			(key) => createAnnotation(ada, course.id, paper.id, input, key),
			() => rows(schema.annotations, byAda)
		);
		const byBen = eq(schema.annotations.authorId, ben.id);
		await expectOnce(
			(key) => reply(ben, course.id, paper.id, root, 'Memory.', key),
			() => rows(schema.annotations, byBen)
		);
		// The repeat wrote no second activity row either.
		expect(await rows(schema.activity, eq(schema.activity.userId, ben.id))).toBe(2);
	});

	it('annotation import', async () => {
		const exported = JSON.stringify(
			await exportAnnotations(ada, course.id, paper.id, 'http://localhost')
		);
		// Every annotation on the paper so far is the class's, so the file holds them all.
		const perImport = await rows(schema.annotations, eq(schema.annotations.paperId, paper.id));
		const imported = and(
			eq(schema.annotations.authorId, ben.id),
			eq(schema.annotations.visibility, 'private')
		);
		const outcome = await expectOnce(
			(key) => importAnnotations(ben, course.id, paper.id, exported, 'private', key),
			async () => {
				const n = await rows(schema.annotations, imported);
				return n === 0 ? 0 : n / perImport;
			}
		);
		expect(outcome).toMatchObject({ ok: true });
	});

	it('critique submit and critique reply', async () => {
		const answers = {
			summary: 'Adapters.',
			strengths: 'Memory.',
			weaknesses: 'Few benchmarks.',
			soundness: '3',
			significance: '3',
			clarity: '3',
			confidence: '3'
		};
		const submit = (key: string) =>
			submitCritique(ada, course.id, lecture, 'paper', { answers, anonymous: false }, BEFORE, key);
		const key = newKey();
		const [first, second] = await Promise.all([submit(key), submit(key)]);
		expect(second).toEqual(first);
		expect(await submit(key)).toEqual(first);
		expect(first.version).toBe(1);
		expect(
			await rows(schema.critiqueVersions, eq(schema.critiqueVersions.critiqueId, first.id))
		).toBe(1);
		// Submitting again from a new page view is an edit: version 2.
		expect((await submit(newKey())).version).toBe(2);

		await expectOnce(
			(key) =>
				replyToCritique(
					ben,
					course.id,
					{ critiqueId: first.id, parentId: null, body: 'Agreed.', asPresenters: false },
					key
				),
			() => rows(schema.critiqueReplies, eq(schema.critiqueReplies.critiqueId, first.id))
		);
	});

	it('live question', async () => {
		const talkLecture = await createLecture(instructor, course.id, lectureInput({ number: 40 }));
		await setPresenters(instructor, course.id, talkLecture, [ada.id]);
		await saveDeck(ada, course.id, talkLecture, { source: '# One\n', baseRevision: 0 });
		await startTalk(ada, course.id, talkLecture);
		await expectOnce(
			(key) => askQuestion(ben, course.id, talkLecture, { body: 'Why?', h: 0, v: 0 }, key),
			() => rows(schema.talkQuestions, eq(schema.talkQuestions.lectureId, talkLecture))
		);
	});

	it('mini-project report', async () => {
		await publishMiniProject(instructor, course.id, lecture, {
			title: 'Reproduce',
			description: '',
			dueAt: '2099-01-01T12:00',
			maxPoints: 10
		});
		const bytes = await samplePaperPdf();
		await expectOnce(
			(key) =>
				submitReport(ben, course.id, lecture, { bytes, name: 'r.pdf' }, BEFORE, key).then(
					(r) => r.submission.id
				),
			() => rows(schema.miniProjectSubmissions, eq(schema.miniProjectSubmissions.userId, ben.id))
		);
	});

	it('participation adjustment', async () => {
		await expectOnce(
			(key) => addAdjustment(instructor, course.id, ada.id, { points: 1, reason: 'Led it.' }, key),
			() =>
				rows(schema.participationAdjustments, eq(schema.participationAdjustments.userId, ada.id))
		);
	});

	it('roster import answers the repeat with the first counts', async () => {
		const csv = 'email,name\nnew.one@example.org,New One\n';
		const key = newKey();
		const first = await importRoster(
			instructor,
			course.id,
			{ csv, role: 'student', onlyValid: false },
			key
		);
		expect(first).toEqual({ enrolled: 0, pending: 1, alreadyMembers: 0 });
		expect(
			await importRoster(instructor, course.id, { csv, role: 'student', onlyValid: false }, key)
		).toEqual(first);
	});

	it('a refused submission leaves its key free: fixing the input and sending it works', async () => {
		const key = newKey();
		await expectInputError(
			createLecture(instructor, course.id, lectureInput({ number: 1 }), key),
			'number'
		);
		const id = await createLecture(instructor, course.id, lectureInput({ number: 99 }), key);
		expect(await rows(schema.lectures, eq(schema.lectures.id, id))).toBe(1);
	});

	it('submissions are remembered for a day, then forgotten', async () => {
		const post = (key: string) =>
			postAnnouncement(instructor, course.id, { title: 'Old', body: 'x', pinned: false }, key);
		const key = newKey();
		const first = await post(key);
		const mine = and(
			eq(schema.formSubmissions.userId, instructor.id),
			eq(schema.formSubmissions.key, key)
		);
		const now = Date.now();
		await forgetOldSubmissions(new Date(now + SUBMISSION_MEMORY_MS - 60_000));
		expect(await rows(schema.formSubmissions, mine)).toBe(1);
		expect(await post(key)).toEqual(first);

		await forgetOldSubmissions(new Date(now + SUBMISSION_MEMORY_MS + 60_000));
		expect(await rows(schema.formSubmissions, mine)).toBe(0);
		expect(await post(key)).not.toEqual(first);
	});
});
