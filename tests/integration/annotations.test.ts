import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeText } from '$lib/annotations/anchoring';
import { annotationSchema } from '$lib/annotations/schemas';
import type { AnnotationTarget, Visibility } from '$lib/annotations/types';
import type { DocumentText } from '$lib/papers/page-text';
import { db } from '$lib/server/db';
import { activity, annotationRevisions, annotations } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { uploadPaper, type Paper } from '$lib/server/papers/service';
import {
	annotationHistory,
	createAnnotation,
	deleteAnnotation,
	editAnnotation,
	getThread,
	listThreads,
	reply,
	setStaffFlag,
	setVote,
	type AnnotationInput
} from '$lib/server/annotations/service';
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
let alice: SessionUser;
let bob: SessionUser;
let carol: SessionUser;
let outsider: SessionUser;
let lecture: string;
let paper: Paper;
let doc: DocumentText;
let other: Course;
let otherInstructor: SessionUser;
let otherPaper: Paper;

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course, await makeUser('Tariq TA'));
	alice = await asStudentOf(course, await makeUser('Alice'));
	bob = await asStudentOf(course, await makeUser('Bob'));
	carol = await asStudentOf(course, await makeUser('Carol'));
	outsider = await makeUser('Olga Outsider');
	lecture = await createLecture(instructor, course.id, lectureInput());
	// Two pages, so that a passage can run across a page break.
	const bytes = await longPaperPdf(2);
	paper = await uploadPaper(instructor, course.id, lecture, { bytes, name: 'paper.pdf' });
	doc = await paperDocument(instructor, course.id, paper.id);

	({ course: other, instructor: otherInstructor } = await makeCourse({ title: 'Other seminar' }));
	const otherLecture = await createLecture(otherInstructor, other.id, lectureInput());
	otherPaper = await uploadPaper(otherInstructor, other.id, otherLecture, {
		bytes,
		name: 'paper.pdf'
	});

	// Lets a test make one write fail (inside the service's transaction) to prove that the
	// action and its activity row commit together or not at all.
	await db().execute(sql`create table test_refusals (tbl text not null, kind text)`);
	await db().execute(
		sql.raw(`create function test_refuse() returns trigger language plpgsql as $$
			declare
				r jsonb;
			begin
				if tg_op = 'DELETE' then r := to_jsonb(old); else r := to_jsonb(new); end if;
				if exists (select 1 from test_refusals
						where tbl = tg_table_name and (kind is null or kind = r->>'kind')) then
					raise exception 'refused by the test: % on %', tg_op, tg_table_name;
				end if;
				if tg_op = 'DELETE' then return old; end if;
				return new;
			end $$`)
	);
	for (const table of ['activity', 'annotations', 'annotation_votes']) {
		await db().execute(
			sql.raw(`create trigger test_refuse before insert or update or delete on ${table}
				for each row execute function test_refuse()`)
		);
	}
	// The same at COMMIT, after every statement of the transaction has run.
	await db().execute(
		sql.raw(`create function test_refuse_at_commit() returns trigger language plpgsql as $$
			begin
				if exists (select 1 from test_refusals where tbl = 'commit:' || tg_table_name) then
					raise exception 'refused by the test at commit on %', tg_table_name;
				end if;
				return null;
			end $$`)
	);
	for (const table of ['annotations', 'annotation_votes']) {
		await db().execute(
			sql.raw(`create constraint trigger test_refuse_at_commit
				after insert or update or delete on ${table} deferrable initially deferred
				for each row execute function test_refuse_at_commit()`)
		);
	}
});

afterEach(async () => {
	await db().execute(sql`delete from test_refusals`);
});

const TITLE = 'Sparse Adapters for Memory-Efficient Fine-Tuning';

function input(overrides: Partial<AnnotationInput> = {}): AnnotationInput {
	return {
		target: passage(doc, TITLE),
		body: 'A comment',
		tags: [],
		visibility: 'class',
		...overrides
	};
}

const annotate = (author: SessionUser, overrides: Partial<AnnotationInput> = {}) =>
	createAnnotation(author, course.id, paper.id, input(overrides));

async function row(id: string) {
	const [found] = await db().select().from(annotations).where(eq(annotations.id, id));
	return found;
}

/** The ids of the threads `viewer` sees on the paper. */
async function threadIds(viewer: SessionUser): Promise<string[]> {
	return (await listThreads(viewer, course.id, paper.id)).map((t) => t.id);
}

const thread = (viewer: SessionUser, id: string) => getThread(viewer, course.id, paper.id, id);

/** Runs `act`, which must write exactly one activity row, and returns that row. */
async function oneActivity(act: () => Promise<unknown>) {
	const before = new Set((await db().select({ id: activity.id }).from(activity)).map((r) => r.id));
	await act();
	const added = (await db().select().from(activity)).filter((r) => !before.has(r.id));
	expect(added).toHaveLength(1);
	return added[0];
}

async function expectNoActivity(act: () => Promise<unknown>) {
	const [before] = await db()
		.select({ n: sql<number>`count(*)::int` })
		.from(activity);
	await act();
	const [after] = await db()
		.select({ n: sql<number>`count(*)::int` })
		.from(activity);
	expect(after.n).toBe(before.n);
}

describe('access', () => {
	it('answers 404 to non-members and writes nothing', async () => {
		const id = await annotate(alice);
		await expectNothingWritten(async () => {
			await expectHttpError(listThreads(outsider, course.id, paper.id), 404);
			await expectHttpError(thread(outsider, id), 404);
			await expectHttpError(createAnnotation(outsider, course.id, paper.id, input()), 404);
			await expectHttpError(reply(outsider, course.id, paper.id, id, 'Hi'), 404);
			await expectHttpError(setVote(outsider, course.id, paper.id, id, 'helpful', true), 404);
			await expectHttpError(
				editAnnotation(outsider, course.id, paper.id, id, { ...input(), body: 'x' }),
				404
			);
			await expectHttpError(deleteAnnotation(outsider, course.id, paper.id, id), 404);
		});
	});

	it('answers 404 for a paper of another course named through one´s own course', async () => {
		await expectNothingWritten(async () => {
			await expectHttpError(listThreads(instructor, course.id, otherPaper.id), 404);
			await expectHttpError(createAnnotation(instructor, course.id, otherPaper.id, input()), 404);
			await expectHttpError(listThreads(otherInstructor, other.id, paper.id), 404);
			await expectHttpError(createAnnotation(otherInstructor, other.id, paper.id, input()), 404);
		});
	});

	it('answers 404 for a thread of another paper', async () => {
		const elsewhere = await createAnnotation(otherInstructor, other.id, otherPaper.id, input());
		await expectNothingWritten(async () => {
			await expectHttpError(thread(instructor, elsewhere), 404);
			await expectHttpError(reply(instructor, course.id, paper.id, elsewhere, 'Hi'), 404);
			await expectHttpError(getThread(otherInstructor, other.id, paper.id, elsewhere), 404);
		});
		expect((await getThread(otherInstructor, other.id, otherPaper.id, elsewhere)).id).toBe(
			elsewhere
		);
	});
});

describe('visibility', () => {
	let byVisibility: Record<Visibility, string>;

	beforeAll(async () => {
		byVisibility = {
			class: await annotate(alice, { body: 'For the class', visibility: 'class' }),
			staff: await annotate(alice, { body: 'For the staff', visibility: 'staff' }),
			private: await annotate(alice, { body: 'For me', visibility: 'private' })
		};
	});

	it.each([
		['the author', () => alice, ['class', 'staff', 'private']],
		['another student', () => bob, ['class']],
		['a TA', () => ta, ['class', 'staff']],
		['an instructor', () => instructor, ['class', 'staff']]
	] as const)('%s sees exactly what is shared with them', async (_, viewer, visible) => {
		const listed = await threadIds(viewer());
		for (const visibility of ['class', 'staff', 'private'] as const) {
			const id = byVisibility[visibility];
			if ((visible as readonly string[]).includes(visibility)) {
				expect(listed).toContain(id);
				expect((await thread(viewer(), id)).visibility).toBe(visibility);
			} else {
				expect(listed).not.toContain(id);
				await expectHttpError(thread(viewer(), id), 404);
			}
		}
	});

	it('shows what a member may see, with author and whether it is theirs', async () => {
		const mine = await thread(alice, byVisibility.class);
		expect(mine).toMatchObject({ authorName: 'Alice', isMine: true, body: 'For the class' });
		const theirs = await thread(bob, byVisibility.class);
		expect(theirs).toMatchObject({ authorName: 'Alice', isMine: false, replies: [] });
	});

	it('keeps a TA´s private note from the instructor', async () => {
		const note = await annotate(ta, { visibility: 'private', body: 'Ask about this' });
		await expectHttpError(thread(instructor, note), 404);
		expect(await threadIds(instructor)).not.toContain(note);
		expect((await thread(ta, note)).body).toBe('Ask about this');
	});

	it('gives replies the thread´s audience, and moves them when the thread´s changes', async () => {
		const root = await annotate(alice, { visibility: 'staff', body: 'Is this right?' });
		const answer = await reply(ta, course.id, paper.id, root, 'Yes, see section 3.');
		expect((await row(answer)).visibility).toBe('staff');
		// The student who asked the staff sees their answer; other students see nothing.
		expect((await thread(alice, root)).replies.map((r) => r.id)).toEqual([answer]);
		await expectHttpError(thread(bob, root), 404);
		// A student who cannot see the thread cannot answer in it.
		await expectNothingWritten(() =>
			expectHttpError(reply(bob, course.id, paper.id, root, 'Me too'), 404)
		);

		await editAnnotation(alice, course.id, paper.id, root, {
			body: 'Is this right?',
			tags: [],
			visibility: 'class'
		});
		expect((await row(answer)).visibility).toBe('class');
		expect((await thread(bob, root)).replies.map((r) => r.id)).toEqual([answer]);

		await editAnnotation(alice, course.id, paper.id, root, {
			body: 'Is this right?',
			tags: [],
			visibility: 'private'
		});
		expect((await row(answer)).visibility).toBe('private');
		await expectHttpError(thread(bob, root), 404);
		await expectHttpError(thread(instructor, root), 404);
		expect((await thread(alice, root)).replies.map((r) => r.id)).toEqual([answer]);
	});

	it('ignores a visibility chosen when editing a reply: the thread decides', async () => {
		const root = await annotate(alice);
		const answer = await reply(bob, course.id, paper.id, root, 'An answer');
		await editAnnotation(bob, course.id, paper.id, answer, {
			body: 'A better answer',
			tags: ['strength'],
			visibility: 'private'
		});
		expect(await row(answer)).toMatchObject({
			visibility: 'class',
			tags: [],
			body: 'A better answer'
		});
		expect((await thread(carol, root)).replies.map((r) => r.body)).toEqual(['A better answer']);
	});

	it('shows a hidden annotation only to staff and its author', async () => {
		const id = await annotate(bob, { body: 'Off-topic' });
		const answer = await reply(carol, course.id, paper.id, id, 'Indeed');
		await setStaffFlag(instructor, course.id, paper.id, id, 'hidden', true);

		expect(await threadIds(alice)).not.toContain(id);
		await expectHttpError(thread(alice, id), 404);
		expect(await thread(bob, id)).toMatchObject({ hidden: true, isMine: true });
		expect(await thread(ta, id)).toMatchObject({ hidden: true });
		expect(await threadIds(ta)).toContain(id);

		// Nobody else can act on it: not even the author of a reply in it.
		await expectNothingWritten(async () => {
			await expectHttpError(reply(alice, course.id, paper.id, id, 'What was it?'), 404);
			await expectHttpError(reply(alice, course.id, paper.id, answer, 'What was it?'), 404);
			await expectHttpError(setVote(alice, course.id, paper.id, id, 'helpful', true), 404);
			await expectHttpError(reply(carol, course.id, paper.id, id, 'Again'), 404);
		});

		await setStaffFlag(ta, course.id, paper.id, id, 'hidden', false);
		expect(await thread(alice, id)).toMatchObject({ hidden: false });
	});

	it('hides a hidden reply from other students while its thread stays', async () => {
		const root = await annotate(alice);
		const rude = await reply(bob, course.id, paper.id, root, 'Rude');
		const kind = await reply(carol, course.id, paper.id, root, 'Kind');
		await setStaffFlag(ta, course.id, paper.id, rude, 'hidden', true);
		expect((await thread(alice, root)).replies.map((r) => r.id)).toEqual([kind]);
		expect((await thread(bob, root)).replies.map((r) => r.id)).toEqual([rude, kind]);
		expect((await thread(instructor, root)).replies.map((r) => [r.id, r.hidden])).toEqual([
			[rude, true],
			[kind, false]
		]);
		await expectNothingWritten(() =>
			expectHttpError(setVote(alice, course.id, paper.id, rude, 'helpful', true), 404)
		);
	});
});

describe('createAnnotation', () => {
	it('stores a text annotation at its page and position, with rendered Markdown', async () => {
		const target = passage(doc, TITLE);
		const id = await annotate(alice, {
			target,
			body: 'Is **sparse** the right word?',
			tags: ['question']
		});
		expect(await row(id)).toMatchObject({
			courseId: course.id,
			paperId: paper.id,
			parentId: null,
			authorId: alice.id,
			target,
			page: 1,
			position: doc.text.indexOf(TITLE),
			body: 'Is **sparse** the right word?',
			tags: ['question'],
			visibility: 'class',
			deletedAt: null
		});
		const view = await thread(bob, id);
		expect(view.bodyHtml).toContain('<strong>sparse</strong>');
		expect(view.target).toEqual(target);
	});

	it('takes a passage that runs across a page break', async () => {
		const start = doc.pageStarts[1] - 12;
		const target = describeText(doc, start, doc.pageStarts[1] + 12);
		expect(target).toMatchObject({ page: 1, endPage: 2 });
		const id = await annotate(alice, { target });
		expect(await row(id)).toMatchObject({ page: 1, position: start });
		expect((await thread(bob, id)).target).toMatchObject({ page: 1, endPage: 2 });
	});

	it('takes a region (a figure) and places it in reading order on its page', async () => {
		const target: AnnotationTarget = {
			kind: 'region',
			page: 2,
			rect: { x: 54, y: 396, width: 250, height: 120 }
		};
		const id = await annotate(bob, { target, body: 'This figure' });
		const stored = await row(id);
		expect(stored).toMatchObject({ page: 2, target });
		// Halfway down page 2: after the start of page 2's text and before its end.
		expect(stored.position).toBeGreaterThan(doc.pageStarts[1]);
		expect(stored.position).toBeLessThan(doc.text.length);
	});

	it.each([
		[
			'a quote that differs from the text at its position',
			(): AnnotationTarget => {
				const t = passage(doc, TITLE);
				return { ...t, quote: { ...t.quote, exact: TITLE.replace('Sparse', 'Dense') } };
			}
		],
		[
			'a quote at a shifted position',
			(): AnnotationTarget => {
				const t = passage(doc, TITLE);
				const { start, end } = t.position;
				return { ...t, position: { ...t.position, start: start + 1, end: end + 1 } };
			}
		],
		[
			'a position past the end of the text',
			(): AnnotationTarget => {
				const t = passage(doc, TITLE);
				const start = doc.text.length + 10;
				return { ...t, position: { ...t.position, start, end: start + TITLE.length } };
			}
		],
		[
			'a passage said to be on another page than its text',
			(): AnnotationTarget => ({ ...passage(doc, TITLE), page: 2, endPage: 2 })
		],
		[
			'a passage said to end on another page than its text',
			(): AnnotationTarget => ({ ...passage(doc, TITLE), endPage: 2 })
		],
		[
			'a passage ending on a page the paper does not have',
			(): AnnotationTarget => ({ ...passage(doc, TITLE), endPage: 3 })
		],
		[
			'a region outside the page',
			(): AnnotationTarget => ({
				kind: 'region',
				page: 1,
				rect: { x: 500, y: 100, width: 200, height: 50 }
			})
		],
		[
			'a region below the page',
			(): AnnotationTarget => ({
				kind: 'region',
				page: 1,
				rect: { x: 10, y: 780, width: 20, height: 50 }
			})
		],
		[
			'a region on a page the paper does not have',
			(): AnnotationTarget => ({
				kind: 'region',
				page: 3,
				rect: { x: 10, y: 10, width: 20, height: 20 }
			})
		]
	])('refuses %s on `target` and writes nothing', async (_, target) => {
		await expectNothingWritten(() =>
			expectInputError(annotate(alice, { target: target() }), 'target')
		);
	});

	it('stores the tags and visibility as the form schema normalises them', async () => {
		const target = passage(doc, TITLE);
		const parsed = annotationSchema.parse({
			target: JSON.stringify(target),
			body: '  Why rows?  ',
			tags: ['Question, Weakness', 'my  idea!', 'question']
		});
		expect(parsed).toMatchObject({
			body: 'Why rows?',
			tags: ['question', 'weakness', 'my-idea'],
			visibility: 'class'
		});
		const id = await createAnnotation(alice, course.id, paper.id, parsed);
		expect(await row(id)).toMatchObject({
			body: 'Why rows?',
			tags: ['question', 'weakness', 'my-idea'],
			visibility: 'class'
		});
	});
});

describe('threads', () => {
	it('are one level deep: a reply to a reply joins the thread', async () => {
		const root = await annotate(alice, { body: 'Root' });
		const first = await reply(bob, course.id, paper.id, root, 'First');
		const second = await reply(carol, course.id, paper.id, first, 'Second');
		expect((await row(first)).parentId).toBe(root);
		expect((await row(second)).parentId).toBe(root);
		const view = await thread(alice, root);
		expect(view.replies.map((r) => [r.id, r.parentId, r.body, r.authorName])).toEqual([
			[first, root, 'First', 'Bob'],
			[second, root, 'Second', 'Carol']
		]);
		// A reply is not a thread of its own.
		expect(await threadIds(alice)).not.toContain(first);
		await expectHttpError(thread(alice, first), 404);
		// It sits where its thread sits.
		expect(await row(second)).toMatchObject({
			page: (await row(root)).page,
			position: (await row(root)).position,
			target: null
		});
	});

	it('keeps earlier versions when the author edits', async () => {
		const id = await annotate(alice, { body: 'Version 1', tags: ['strength'] });
		await editAnnotation(alice, course.id, paper.id, id, {
			body: 'Version 2',
			tags: ['weakness'],
			visibility: 'class'
		});
		await editAnnotation(alice, course.id, paper.id, id, {
			body: 'Version *3*',
			tags: ['weakness', 'question'],
			visibility: 'staff'
		});
		const view = await thread(alice, id);
		expect(view).toMatchObject({
			body: 'Version *3*',
			tags: ['weakness', 'question'],
			visibility: 'staff'
		});
		expect(view.bodyHtml).toContain('<em>3</em>');
		const history = await annotationHistory(alice, course.id, paper.id, id);
		expect(history.map((h) => h.body)).toEqual(['Version 1', 'Version 2']);
		const revisions = await db()
			.select()
			.from(annotationRevisions)
			.where(eq(annotationRevisions.annotationId, id));
		expect(revisions.map((r) => [r.body, r.tags, r.visibility]).sort()).toEqual([
			['Version 1', ['strength'], 'class'],
			['Version 2', ['weakness'], 'class']
		]);
		// Staff may read the history; other students may not.
		expect(await annotationHistory(ta, course.id, paper.id, id)).toHaveLength(2);
		await expectHttpError(annotationHistory(bob, course.id, paper.id, id), 404);
	});

	it('lets nobody but the author edit (403), and writes nothing', async () => {
		const id = await annotate(alice, { body: 'Mine' });
		const edit = { body: 'Not yours', tags: [], visibility: 'class' as const };
		await expectNothingWritten(async () => {
			await expectHttpError(editAnnotation(bob, course.id, paper.id, id, edit), 403);
			await expectHttpError(editAnnotation(instructor, course.id, paper.id, id, edit), 403);
		});
	});

	it('keeps a deleted annotation as the parent of its replies', async () => {
		const root = await annotate(alice, { body: 'Soon gone', tags: ['question'] });
		const answer = await reply(bob, course.id, paper.id, root, 'Still here');
		await deleteAnnotation(alice, course.id, paper.id, root);

		const stored = await row(root);
		expect(stored.deletedAt).toBeInstanceOf(Date);
		expect(stored.body).toBe('Soon gone');
		const view = await thread(carol, root);
		expect(view).toMatchObject({
			deleted: true,
			body: '',
			bodyHtml: '',
			authorName: null,
			tags: [],
			isMine: false
		});
		expect(view.replies.map((r) => [r.id, r.body])).toEqual([[answer, 'Still here']]);
		expect(await threadIds(carol)).toContain(root);

		// A deleted thread takes no new replies or edits.
		await expectNothingWritten(async () => {
			await expectInputError(reply(carol, course.id, paper.id, root, 'Late'), 'body');
			await expectHttpError(
				editAnnotation(alice, course.id, paper.id, root, {
					body: 'Back',
					tags: [],
					visibility: 'class'
				}),
				403
			);
		});
	});

	it('drops a deleted annotation without replies, and a deleted reply, from the threads', async () => {
		const lonely = await annotate(alice, { body: 'Alone' });
		const root = await annotate(alice, { body: 'Root' });
		const answer = await reply(bob, course.id, paper.id, root, 'Oops');
		await deleteAnnotation(alice, course.id, paper.id, lonely);
		await deleteAnnotation(bob, course.id, paper.id, answer);

		expect((await row(lonely)).deletedAt).not.toBeNull();
		expect(await threadIds(alice)).not.toContain(lonely);
		await expectHttpError(thread(alice, lonely), 404);
		expect((await thread(alice, root)).replies).toEqual([]);
		// Deleting again changes nothing.
		await expectNothingWritten(() => deleteAnnotation(alice, course.id, paper.id, lonely));
	});

	it('lets nobody but the author delete (403), and writes nothing', async () => {
		const id = await annotate(alice);
		await expectNothingWritten(async () => {
			await expectHttpError(deleteAnnotation(bob, course.id, paper.id, id), 403);
			await expectHttpError(deleteAnnotation(ta, course.id, paper.id, id), 403);
			await expectHttpError(deleteAnnotation(instructor, course.id, paper.id, id), 403);
		});
		expect((await row(id)).deletedAt).toBeNull();
	});
});

describe('votes', () => {
	const vote = (voter: SessionUser, id: string, kind: 'helpful' | 'same_question', on = true) =>
		setVote(voter, course.id, paper.id, id, kind, on);

	it('cannot be cast on one´s own annotation', async () => {
		const id = await annotate(alice);
		await expectNothingWritten(() => expectInputError(vote(alice, id, 'helpful'), 'form'));
	});

	it('seconds only questions', async () => {
		const remark = await annotate(alice, { tags: ['strength'] });
		await expectNothingWritten(() => expectInputError(vote(bob, remark, 'same_question'), 'form'));
		const question = await annotate(alice, { tags: ['question'] });
		await vote(bob, question, 'same_question');
		expect((await thread(carol, question)).votes).toEqual({ helpful: 0, same_question: 1 });
	});

	it('counts a vote once, shows it as mine, and takes it back', async () => {
		const id = await annotate(alice, { tags: ['question'] });
		await vote(bob, id, 'helpful');
		await expectNothingWritten(() => vote(bob, id, 'helpful'));
		await vote(carol, id, 'helpful');
		await vote(carol, id, 'same_question');

		expect(await thread(bob, id)).toMatchObject({
			votes: { helpful: 2, same_question: 1 },
			myVotes: ['helpful']
		});
		expect((await thread(carol, id)).myVotes.sort()).toEqual(['helpful', 'same_question']);
		expect((await thread(alice, id)).myVotes).toEqual([]);

		await vote(bob, id, 'helpful', false);
		expect(await thread(bob, id)).toMatchObject({
			votes: { helpful: 1, same_question: 1 },
			myVotes: []
		});
		// Taking back a vote one has not cast changes nothing.
		await expectNothingWritten(() => vote(bob, id, 'helpful', false));
	});

	it('works on replies, not on deleted annotations', async () => {
		const root = await annotate(alice);
		const answer = await reply(bob, course.id, paper.id, root, 'Good point');
		await vote(alice, answer, 'helpful');
		expect((await thread(carol, root)).replies[0].votes.helpful).toBe(1);
		await deleteAnnotation(alice, course.id, paper.id, root);
		await expectNothingWritten(() => expectHttpError(vote(carol, root, 'helpful'), 404));
	});
});

describe('staff flags', () => {
	it('endorse and hide by staff, undone by staff', async () => {
		const id = await annotate(alice);
		await setStaffFlag(ta, course.id, paper.id, id, 'endorsed', true);
		expect(await row(id)).toMatchObject({ endorsedBy: ta.id, hiddenAt: null });
		expect((await thread(bob, id)).endorsed).toBe(true);
		await setStaffFlag(instructor, course.id, paper.id, id, 'hidden', true);
		expect(await row(id)).toMatchObject({ hiddenBy: instructor.id });
		expect((await row(id)).hiddenAt).toBeInstanceOf(Date);

		await setStaffFlag(instructor, course.id, paper.id, id, 'endorsed', false);
		await setStaffFlag(instructor, course.id, paper.id, id, 'hidden', false);
		expect(await row(id)).toMatchObject({
			endorsedBy: null,
			endorsedAt: null,
			hiddenBy: null,
			hiddenAt: null
		});
	});

	it('refuses students (403) and writes nothing', async () => {
		const id = await annotate(alice);
		await expectNothingWritten(async () => {
			await expectHttpError(setStaffFlag(bob, course.id, paper.id, id, 'endorsed', true), 403);
			await expectHttpError(setStaffFlag(bob, course.id, paper.id, id, 'hidden', true), 403);
			await expectHttpError(setStaffFlag(alice, course.id, paper.id, id, 'endorsed', true), 403);
		});
	});
});

describe('activity', () => {
	it('writes one row per action, to whom it counts for, naming who caused it', async () => {
		let id = '';
		const created = await oneActivity(async () => {
			id = await annotate(alice, { body: 'Twelve chars', tags: ['question'] });
		});
		expect(created).toMatchObject({
			courseId: course.id,
			userId: alice.id,
			actorId: null,
			lectureId: lecture,
			kind: 'annotation_created',
			subjectType: 'annotation',
			subjectId: id,
			details: { length: 12, tags: ['question'], visibility: 'class' }
		});

		let answer = '';
		const replied = await oneActivity(async () => {
			answer = await reply(bob, course.id, paper.id, id, 'An answer');
		});
		expect(replied).toMatchObject({
			userId: bob.id,
			lectureId: lecture,
			kind: 'reply_created',
			subjectId: answer,
			details: { parentId: id, length: 9 }
		});

		const voted = await oneActivity(() =>
			setVote(carol, course.id, paper.id, id, 'same_question', true)
		);
		expect(voted).toMatchObject({
			userId: alice.id,
			actorId: carol.id,
			kind: 'vote_received',
			subjectId: id,
			details: { vote: 'same_question' }
		});
		const unvoted = await oneActivity(() =>
			setVote(carol, course.id, paper.id, id, 'same_question', false)
		);
		expect(unvoted).toMatchObject({ userId: alice.id, actorId: carol.id, kind: 'vote_withdrawn' });

		const endorsed = await oneActivity(() =>
			setStaffFlag(ta, course.id, paper.id, answer, 'endorsed', true)
		);
		expect(endorsed).toMatchObject({
			userId: bob.id,
			actorId: ta.id,
			kind: 'endorsement_received',
			subjectId: answer
		});
		const unendorsed = await oneActivity(() =>
			setStaffFlag(ta, course.id, paper.id, answer, 'endorsed', false)
		);
		expect(unendorsed).toMatchObject({ userId: bob.id, kind: 'endorsement_withdrawn' });

		const hidden = await oneActivity(() =>
			setStaffFlag(instructor, course.id, paper.id, id, 'hidden', true)
		);
		expect(hidden).toMatchObject({
			userId: alice.id,
			actorId: instructor.id,
			kind: 'hidden_by_staff'
		});
		const unhidden = await oneActivity(() =>
			setStaffFlag(instructor, course.id, paper.id, id, 'hidden', false)
		);
		expect(unhidden).toMatchObject({ userId: alice.id, kind: 'unhidden_by_staff' });

		const deleted = await oneActivity(() => deleteAnnotation(bob, course.id, paper.id, answer));
		expect(deleted).toMatchObject({
			userId: bob.id,
			actorId: null,
			kind: 'annotation_deleted',
			subjectId: answer
		});
	});

	it('writes nothing for what changes nothing: a repeated vote, flag or delete, an edit', async () => {
		const id = await annotate(alice, { tags: ['question'] });
		await setVote(bob, course.id, paper.id, id, 'helpful', true);
		await setStaffFlag(ta, course.id, paper.id, id, 'endorsed', true);
		await expectNoActivity(async () => {
			await setVote(bob, course.id, paper.id, id, 'helpful', true);
			await setVote(carol, course.id, paper.id, id, 'helpful', false);
			await setStaffFlag(instructor, course.id, paper.id, id, 'endorsed', true);
			await setStaffFlag(instructor, course.id, paper.id, id, 'hidden', false);
			await editAnnotation(alice, course.id, paper.id, id, {
				body: 'Edited',
				tags: ['question'],
				visibility: 'class'
			});
		});
		await deleteAnnotation(alice, course.id, paper.id, id);
		await expectNoActivity(() => deleteAnnotation(alice, course.id, paper.id, id));
	});

	/** Makes every write to `table` (of `kind`, when given) fail inside the transaction. */
	const refuse = (table: string, kind: string | null = null) =>
		db().execute(sql`insert into test_refusals (tbl, kind) values (${table}, ${kind})`);

	async function expectRefused(promise: Promise<unknown>) {
		const e = await promise.then(
			() => undefined,
			(e: unknown) => e
		);
		expect(e, 'expected the refused write to fail the action').toBeInstanceOf(Error);
		const messages: string[] = [];
		for (let cause: unknown = e; cause instanceof Error; cause = cause.cause) {
			messages.push(cause.message);
		}
		expect(messages.join(' | ')).toContain('refused by the test');
	}

	interface Case {
		/** Builds what the action needs (before any write is refused). */
		prepare: () => Promise<string>;
		act: (id: string) => Promise<unknown>;
		/** The action's own table and the kind of activity it writes. */
		table: 'annotations' | 'annotation_votes';
		kind: string;
	}
	const cases: [string, Case][] = [
		[
			'creating',
			{
				prepare: async () => '',
				act: () => annotate(alice),
				table: 'annotations',
				kind: 'annotation_created'
			}
		],
		[
			'replying',
			{
				prepare: () => annotate(alice),
				act: (id) => reply(bob, course.id, paper.id, id, 'Answer'),
				table: 'annotations',
				kind: 'reply_created'
			}
		],
		[
			'deleting',
			{
				prepare: () => annotate(alice),
				act: (id) => deleteAnnotation(alice, course.id, paper.id, id),
				table: 'annotations',
				kind: 'annotation_deleted'
			}
		],
		[
			'voting',
			{
				prepare: () => annotate(alice),
				act: (id) => setVote(bob, course.id, paper.id, id, 'helpful', true),
				table: 'annotation_votes',
				kind: 'vote_received'
			}
		],
		[
			'unvoting',
			{
				prepare: async () => {
					const id = await annotate(alice);
					await setVote(bob, course.id, paper.id, id, 'helpful', true);
					return id;
				},
				act: (id) => setVote(bob, course.id, paper.id, id, 'helpful', false),
				table: 'annotation_votes',
				kind: 'vote_withdrawn'
			}
		],
		[
			'endorsing',
			{
				prepare: () => annotate(alice),
				act: (id) => setStaffFlag(ta, course.id, paper.id, id, 'endorsed', true),
				table: 'annotations',
				kind: 'endorsement_received'
			}
		],
		[
			'hiding',
			{
				prepare: () => annotate(alice),
				act: (id) => setStaffFlag(ta, course.id, paper.id, id, 'hidden', true),
				table: 'annotations',
				kind: 'hidden_by_staff'
			}
		]
	];

	it.each(cases)(
		'%s: when its activity row cannot be written, the action is undone too',
		async (_, { prepare, act, kind }) => {
			const id = await prepare();
			await refuse('activity', kind);
			await expectNothingWritten(() => expectRefused(act(id)));
		}
	);

	it.each(cases)(
		'%s: when the action cannot be written, no activity row is either',
		async (_, { prepare, act, table }) => {
			const id = await prepare();
			await refuse(table);
			await expectNothingWritten(() => expectRefused(act(id)));
		}
	);

	it.each(cases)(
		'%s: when the transaction fails at commit, after both writes, neither stays',
		async (_, { prepare, act, table }) => {
			const id = await prepare();
			await refuse(`commit:${table}`);
			await expectNothingWritten(() => expectRefused(act(id)));
		}
	);

	it('a refused vote writes neither the vote nor its activity', async () => {
		const id = await annotate(alice, { tags: ['strength'] });
		await expectNothingWritten(async () => {
			await expectInputError(setVote(alice, course.id, paper.id, id, 'helpful', true), 'form');
			await expectInputError(setVote(bob, course.id, paper.id, id, 'same_question', true), 'form');
		});
	});
});
