import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { uploadPaper, type Paper } from '$lib/server/papers/service';
import { createAnnotation } from '$lib/server/annotations/service';
import { critiquesCiting, setCritiqueFlag, submitCritique } from '$lib/server/critiques/service';
import { samplePaperPdf } from '../fixtures/pdf';
import {
	asStudentOf,
	expectHttpError,
	lectureInput,
	makeCourse,
	makeUser,
	paperDocument,
	passage
} from './helpers';

// The lecture starts 2026-12-09 16:00 in Berlin; the paper critique is due then.
const BEFORE = new Date('2026-12-08T10:00:00Z');
const AFTER_START = new Date('2026-12-09T15:30:00Z');
const AFTER_WINDOW = new Date('2026-12-11T15:00:01Z');

let course: Course;
let instructor: SessionUser;
let presenter: SessionUser;
let alice: SessionUser;
let bob: SessionUser;
let lecture: string;
let paper: Paper;
let note: string;

const paperAnswers = (strengths: string) => ({
	summary: 'Shards optimizer state across ranks.',
	strengths,
	weaknesses: 'Communication grows.',
	soundness: '3',
	significance: '4',
	clarity: '3',
	confidence: '4'
});

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	presenter = await asStudentOf(course, await makeUser('Priya Presenter'));
	alice = await asStudentOf(course, await makeUser('Alice Anonymous'));
	bob = await asStudentOf(course, await makeUser('Bob Builder'));
	lecture = await createLecture(instructor, course.id, lectureInput());
	await setPresenters(instructor, course.id, lecture, [presenter.id]);
	paper = await uploadPaper(instructor, course.id, lecture, {
		bytes: await samplePaperPdf(),
		name: 'paper.pdf'
	});
	note = await createAnnotation(bob, course.id, paper.id, {
		target: passage(await paperDocument(instructor, course.id, paper.id), 'Sparse'),
		body: 'Key claim',
		tags: [],
		visibility: 'class'
	});
});

describe('critiques citing a paper or a deck', () => {
	it('lists the citations the reader may read, with the reveal rule, anonymity and hiding', async () => {
		const { id: paperCritique } = await submitCritique(
			alice,
			course.id,
			lecture,
			'paper',
			{
				answers: paperAnswers(
					`> Sparse\n> — [Paper, p. 1](podium:passage/${paper.id}/1)\n\nAs [Bob notes](podium:annotation/${note}).`
				),
				anonymous: true
			},
			BEFORE
		);
		const { id: talkCritique } = await submitCritique(
			alice,
			course.id,
			lecture,
			'presentation',
			{
				answers: {
					strengths: 'The memory figure on [slide 3](podium:slide/3) and [this](podium:slide/4.2).',
					weaknesses: 'Rushed.',
					explanation: '3',
					assessment: '2',
					delivery: '4'
				},
				anonymous: false
			},
			AFTER_START
		);

		// Bob has not written his critique and the deadline has not passed: nothing yet.
		expect(await critiquesCiting(bob, course.id, { paperId: paper.id }, BEFORE)).toEqual([]);

		const onPaper = await critiquesCiting(bob, course.id, { paperId: paper.id }, AFTER_WINDOW);
		expect(onPaper.map((c) => [c.critiqueId, c.page, c.annotationId]).sort()).toEqual(
			[
				[paperCritique, 1, null],
				[paperCritique, 1, note]
			].sort()
		);
		expect(new Set(onPaper.map((c) => c.authorLabel))).toEqual(new Set(['Anonymous classmate']));
		expect(onPaper[0].href).toBe(
			`/courses/${course.id}/lectures/${lecture}/critiques#critique-${paperCritique}`
		);

		// The presenters read them at once; the author sees "You".
		expect(
			(await critiquesCiting(presenter, course.id, { paperId: paper.id }, BEFORE)).map(
				(c) => c.authorLabel
			)
		).toEqual(['Anonymous classmate', 'Anonymous classmate']);
		expect(
			(await critiquesCiting(alice, course.id, { paperId: paper.id }, BEFORE))[0].authorLabel
		).toBe('You');

		const onDeck = await critiquesCiting(bob, course.id, { lectureId: lecture }, AFTER_WINDOW);
		expect(onDeck.map((c) => [c.critiqueId, c.slide, c.authorLabel])).toEqual([
			[talkCritique, { h: 2, v: 0 }, 'Alice Anonymous'],
			[talkCritique, { h: 3, v: 1 }, 'Alice Anonymous']
		]);

		// Hidden by staff: gone for classmates, still there for staff.
		await setCritiqueFlag(instructor, course.id, {
			target: 'critique',
			id: talkCritique,
			flag: 'hide',
			on: true
		});
		expect(await critiquesCiting(bob, course.id, { lectureId: lecture }, AFTER_WINDOW)).toEqual([]);
		expect(
			(await critiquesCiting(instructor, course.id, { lectureId: lecture }, AFTER_WINDOW)).length
		).toBe(2);

		const outsider = await makeUser('Olga Outsider');
		await expectHttpError(critiquesCiting(outsider, course.id, { paperId: paper.id }), 404);
		await expectHttpError(critiquesCiting(bob, course.id, { paperId: 'nope' }), 404);
	});
});
