import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { quoteCitation } from '$lib/decks/dialect';
import { db } from '$lib/server/db';
import { activity, deckCitations, decks } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { uploadPaper, type Paper } from '$lib/server/papers/service';
import {
	createAnnotation,
	deleteAnnotation,
	editAnnotation,
	setStaffFlag,
	setVote
} from '$lib/server/annotations/service';
import { restoreRevision, saveDeck, setDeckPublication } from '$lib/server/decks/service';
import { citingSlides, listThreadsOfLecture } from '$lib/server/decks/citations';
import { longPaperPdf } from '../fixtures/pdf';
import {
	asStudentOf,
	asTaOf,
	lectureInput,
	makeCourse,
	makeUser,
	paperDocument,
	passage,
	sleep
} from './helpers';

const TITLE = 'Sparse Adapters for Memory-Efficient Fine-Tuning';

interface Setting {
	course: Course;
	instructor: SessionUser;
	ta: SessionUser;
	ada: SessionUser;
	ben: SessionUser;
	cleo: SessionUser;
	dan: SessionUser;
	lectureId: string;
	paper: Paper;
	/** Cleo's annotation, visible to the class. */
	cleoNote: string;
	/** Ada's own annotation. */
	adaNote: string;
	/** Dan's private annotation: the presenters cannot see it. */
	danPrivate: string;
	/** An annotation of another course. */
	foreign: string;
}

let s: Setting;
let bytes: Uint8Array;

beforeEach(async () => {
	bytes ??= await longPaperPdf(2);
	const { course, instructor } = await makeCourse();
	const ta = await asTaOf(course);
	const ada = await asStudentOf(course, await makeUser('Ada'));
	const ben = await asStudentOf(course, await makeUser('Ben'));
	const cleo = await asStudentOf(course, await makeUser('Cleo'));
	const dan = await asStudentOf(course, await makeUser('Dan'));
	const lectureId = await createLecture(instructor, course.id, lectureInput({ number: 4 }));
	await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
	const paper = await uploadPaper(instructor, course.id, lectureId, { bytes, name: 'paper.pdf' });
	const doc = await paperDocument(instructor, course.id, paper.id);
	const annotate = (who: SessionUser, visibility: 'class' | 'private' = 'class') =>
		createAnnotation(who, course.id, paper.id, {
			target: passage(doc, TITLE),
			body: `${who.name} thinks so`,
			tags: [],
			visibility
		});

	const other = await makeCourse({ title: 'Other seminar' });
	const otherLecture = await createLecture(other.instructor, other.course.id, lectureInput());
	const otherPaper = await uploadPaper(other.instructor, other.course.id, otherLecture, {
		bytes,
		name: 'paper.pdf'
	});
	const foreign = await createAnnotation(other.instructor, other.course.id, otherPaper.id, {
		target: passage(doc, TITLE),
		body: 'elsewhere',
		tags: [],
		visibility: 'class'
	});
	s = {
		course,
		instructor,
		ta,
		ada,
		ben,
		cleo,
		dan,
		lectureId,
		paper,
		cleoNote: await annotate(cleo),
		adaNote: await annotate(ada),
		danPrivate: await annotate(dan, 'private'),
		foreign
	};
});

const cite = (id: string) =>
	quoteCitation({ quote: TITLE, paperTitle: 'Sparse Adapters', page: 1, annotationId: id });

/** A deck of `slides`, each slide's lines joined; slides separated by `---`. */
const deckOf = (...slides: string[]) => slides.join('\n\n---\n\n') + '\n';

async function save(who: SessionUser, source: string, baseRevision: number) {
	const outcome = await saveDeck(who, s.course.id, s.lectureId, { source, baseRevision });
	expect(outcome.kind).toBe('saved');
	return outcome;
}

async function rows() {
	return db()
		.select({
			annotationId: deckCitations.annotationId,
			slides: deckCitations.slides,
			citedAt: deckCitations.citedAt
		})
		.from(deckCitations)
		.innerJoin(decks, eq(decks.id, deckCitations.deckId))
		.where(eq(decks.lectureId, s.lectureId))
		.orderBy(asc(deckCitations.annotationId));
}

const slidesById = async () =>
	Object.fromEntries((await rows()).map((r) => [r.annotationId, r.slides]));

async function citedActivity() {
	return db()
		.select()
		.from(activity)
		.where(and(eq(activity.courseId, s.course.id), eq(activity.kind, 'annotation_cited')))
		.orderBy(asc(activity.occurredAt));
}

const changedOf = async (viewer: SessionUser, id: string) =>
	(await listThreadsOfLecture(viewer, s.course.id, s.lectureId)).find((c) => c.annotationId === id)
		?.changed;

describe('deck citations', () => {
	it('records what a saved deck cites, on which slides, ignoring ids it may not cite', async () => {
		await save(
			s.ada,
			deckOf(
				'# Title',
				cite(s.cleoNote),
				`${cite(s.adaNote)}\n\nAgain: [here](podium:annotation/${s.cleoNote})`,
				[
					cite('unknownannotationid'),
					cite(s.foreign),
					cite(s.danPrivate),
					'```\n' + cite(s.cleoNote) + '\n```'
				].join('\n\n')
			),
			0
		);
		expect(await slidesById()).toEqual({
			[s.cleoNote]: [
				[1, 0],
				[2, 0]
			],
			[s.adaNote]: [[2, 0]]
		});
		// Cleo earns a citation; Ada citing herself earns nothing.
		const [deck] = await db().select().from(decks).where(eq(decks.lectureId, s.lectureId));
		const earned = await citedActivity();
		expect(earned).toHaveLength(1);
		expect(earned[0]).toMatchObject({
			userId: s.cleo.id,
			actorId: s.ada.id,
			lectureId: s.lectureId,
			subjectType: 'annotation',
			subjectId: s.cleoNote,
			details: {
				deckId: deck.id,
				slides: [
					[1, 0],
					[2, 0]
				]
			}
		});
	});

	it('moves, removes and re-adds citations with the text, crediting the author once', async () => {
		await save(s.ada, deckOf('# Title', cite(s.cleoNote)), 0);
		const [first] = await rows();
		await save(s.ada, deckOf('# Title', 'Intro', cite(s.cleoNote)), 1);
		const [moved] = await rows();
		expect(moved.slides).toEqual([[2, 0]]);
		expect(moved.citedAt).toEqual(first.citedAt);

		await save(s.ada, deckOf('# Title', 'Intro'), 2);
		expect(await rows()).toEqual([]);
		await sleep(5);
		await save(s.ben, deckOf('# Title', 'Intro', cite(s.cleoNote)), 3);
		const [again] = await rows();
		expect(again.citedAt.getTime()).toBeGreaterThan(first.citedAt.getTime());
		expect(await citedActivity()).toHaveLength(1);
	});

	it('syncs a merged save with the merged text', async () => {
		await save(s.ada, deckOf('# Title', 'Middle', 'End'), 0);
		// Both start from revision 1: Ada cites on slide 2, Ben on slide 3.
		await save(s.ada, deckOf('# Title', cite(s.cleoNote), 'End'), 1);
		const merged = await save(s.ben, deckOf('# Title', 'Middle', cite(s.adaNote)), 1);
		expect(merged).toMatchObject({ merged: true });
		expect(await slidesById()).toEqual({
			[s.cleoNote]: [[1, 0]],
			[s.adaNote]: [[2, 0]]
		});
		// Ben cited Ada's annotation: Ada earns it, from Ben.
		expect((await citedActivity()).map((a) => [a.userId, a.actorId])).toEqual([
			[s.cleo.id, s.ada.id],
			[s.ada.id, s.ben.id]
		]);
	});

	it('syncs a restored revision', async () => {
		await save(s.ada, deckOf('# Title', cite(s.cleoNote)), 0);
		await save(s.ada, deckOf('# Title', 'No citation'), 1);
		expect(await rows()).toEqual([]);
		await restoreRevision(s.ben, s.course.id, s.lectureId, 1);
		expect(await slidesById()).toEqual({ [s.cleoNote]: [[1, 0]] });
		await restoreRevision(s.ben, s.course.id, s.lectureId, 2);
		expect(await rows()).toEqual([]);
	});

	it('writes the citation and its activity row together or not at all', async () => {
		await db().execute(
			sql.raw(`create function test_refuse_cited() returns trigger language plpgsql as $$
				begin
					if new.kind = 'annotation_cited' then raise exception 'refused by the test'; end if;
					return new;
				end $$`)
		);
		await db().execute(
			sql.raw(`create trigger test_refuse_cited before insert on activity
				for each row execute function test_refuse_cited()`)
		);
		try {
			await expect(
				saveDeck(s.ada, s.course.id, s.lectureId, {
					source: deckOf('# Title', cite(s.cleoNote)),
					baseRevision: 0
				})
			).rejects.toThrow();
			expect(await rows()).toEqual([]);
			expect(await db().select().from(decks).where(eq(decks.lectureId, s.lectureId))).toEqual([]);
		} finally {
			await db().execute(sql`drop trigger test_refuse_cited on activity`);
			await db().execute(sql`drop function test_refuse_cited`);
		}
	});

	it('says the source changed once the annotation is edited after it was cited', async () => {
		// Edited before the citation: not a change the slide missed.
		await editAnnotation(s.cleo, s.course.id, s.paper.id, s.cleoNote, {
			body: 'First thoughts, revised',
			tags: [],
			visibility: 'class'
		});
		await sleep(5);
		await save(s.ada, deckOf('# Title', cite(s.cleoNote), cite(s.adaNote)), 0);
		expect(await changedOf(s.ada, s.cleoNote)).toBe(false);
		// Votes and staff flags are not edits.
		await setVote(s.dan, s.course.id, s.paper.id, s.cleoNote, 'helpful', true);
		await setStaffFlag(s.instructor, s.course.id, s.paper.id, s.cleoNote, 'endorsed', true);
		expect(await changedOf(s.ada, s.cleoNote)).toBe(false);

		await sleep(5);
		await editAnnotation(s.cleo, s.course.id, s.paper.id, s.cleoNote, {
			body: 'I changed my mind',
			tags: ['weakness'],
			visibility: 'class'
		});
		expect(await changedOf(s.ada, s.cleoNote)).toBe(true);
		expect(await changedOf(s.cleo, s.cleoNote)).toBe(true);
		expect(await changedOf(s.ada, s.adaNote)).toBe(false);

		// Deleted: no longer citable, so the slide shows it as unavailable; the row stays.
		await deleteAnnotation(s.cleo, s.course.id, s.paper.id, s.cleoNote);
		expect(await changedOf(s.ada, s.cleoNote)).toBeUndefined();
		expect(Object.keys(await slidesById())).toContain(s.cleoNote);
	});

	it('lists the slides citing each annotation: drafts to the pair and staff only', async () => {
		await save(s.ada, deckOf('# Title', cite(s.cleoNote), cite(s.cleoNote)), 0);
		const seen = async (viewer: SessionUser) =>
			(await citingSlides(viewer, s.course.id, s.paper.id)).get(s.cleoNote) ?? [];
		const draft = [
			{ lectureId: s.lectureId, lectureNumber: 4, draft: true, h: 1, v: 0 },
			{ lectureId: s.lectureId, lectureNumber: 4, draft: true, h: 2, v: 0 }
		];
		for (const editor of [s.ada, s.ben, s.ta, s.instructor]) {
			expect(await seen(editor)).toEqual(draft);
		}
		expect(await seen(s.cleo)).toEqual([]);
		expect(await seen(s.dan)).toEqual([]);

		// Published at the lecture's start (December 2026): still hidden from classmates.
		await setDeckPublication(s.ada, s.course.id, s.lectureId, 'lecture');
		expect(await seen(s.cleo)).toEqual([]);
		await setDeckPublication(s.ada, s.course.id, s.lectureId, 'now');
		const published = draft.map((d) => ({ ...d, draft: false }));
		expect(await seen(s.cleo)).toEqual(published);
		expect(await seen(s.ada)).toEqual(published);
		expect((await citingSlides(s.cleo, s.course.id, s.paper.id)).has(s.adaNote)).toBe(false);
	});
});
