import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { activity, talkQuestions } from '$lib/server/db/schema';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { getDeck, saveDeck } from '$lib/server/decks/service';
import { startLiveBus, stopLiveBus, subscribe, type LiveEvent } from '$lib/server/live/bus';
import { eventStream } from '$lib/server/live/sse';
import {
	askQuestion,
	endTalk,
	getTalk,
	listQuestions,
	markAnswered,
	moveTalk,
	setQuestionVote,
	startTalk,
	talkChannel,
	talkPage
} from '$lib/server/talks/service';
import { questionSchema } from '$lib/talks/schemas';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	lectureInput,
	makeCourse,
	makeUser
} from './helpers';

// Three horizontal slides, the second with a vertical one below it.
const DECK = [
	'# Title',
	'',
	'---',
	'',
	'## Middle',
	'',
	'--',
	'',
	'## Below',
	'',
	'---',
	'',
	'## End'
].join('\n');

beforeAll(() => startLiveBus());
afterAll(() => stopLiveBus());

const unsubscribers: (() => void)[] = [];
afterEach(() => {
	for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
});

/** Lets events published so far reach their listeners (the bus delivers them a turn later). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Everything published on the lecture's talk channel from now on. */
async function tap(lectureId: string): Promise<LiveEvent[]> {
	await settle();
	const heard: LiveEvent[] = [];
	unsubscribers.push(subscribe(talkChannel(lectureId), (event) => heard.push(event)));
	return heard;
}

async function setting() {
	const { course, instructor } = await makeCourse();
	const ada = await asStudentOf(course, await makeUser('Ada'));
	const ben = await asStudentOf(course, await makeUser('Ben'));
	const cleo = await asStudentOf(course, await makeUser('Cleo'));
	const dan = await asStudentOf(course, await makeUser('Dan'));
	const ta = await asTaOf(course);
	const lectureId = await createLecture(instructor, course.id, lectureInput({ number: 2 }));
	await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
	return { courseId: course.id, instructor, ta, ada, ben, cleo, dan, lectureId };
}

async function started() {
	const s = await setting();
	await saveDeck(s.ada, s.courseId, s.lectureId, { source: DECK, baseRevision: 0 });
	await startTalk(s.ada, s.courseId, s.lectureId);
	return s;
}

const activityOf = (courseId: string, kind: string) =>
	db()
		.select()
		.from(activity)
		.where(and(eq(activity.courseId, courseId), eq(activity.kind, kind)));

describe('talks', () => {
	it('needs a saved deck; starting publishes a draft, so the class can follow from then on', async () => {
		const { courseId, ada, cleo, lectureId } = await setting();
		await expectNothingWritten(() => expectInputError(startTalk(ada, courseId, lectureId), 'form'));
		await saveDeck(ada, courseId, lectureId, { source: DECK, baseRevision: 0 });
		// A draft: the classmate does not learn that a talk page exists.
		await expectHttpError(getTalk(cleo, courseId, lectureId), 404);
		await expectHttpError(talkPage(cleo, courseId, lectureId, 'audience'), 404);
		await expectHttpError(askQuestion(cleo, courseId, lectureId, { body: 'Hm?', h: 0, v: 0 }), 404);

		const heard = await tap(lectureId);
		await startTalk(ada, courseId, lectureId);
		const { talk } = await getTalk(cleo, courseId, lectureId);
		expect(talk).toMatchObject({ running: true, position: { h: 0, v: 0, f: -1 } });
		expect((await getDeck(cleo, courseId, lectureId)).deck.status).toBe('published');
		const rows = await activityOf(courseId, 'talk_started');
		expect(rows).toMatchObject([{ userId: ada.id, subjectType: 'talk', subjectId: talk!.id }]);
		await settle();
		expect(heard.map((e) => [e.type, e.id])).toEqual([['started', talk!.id]]);

		// An outsider gets 404 whatever the state; so does the presenter page for a classmate.
		const outsider = await makeUser('Out');
		await expectHttpError(getTalk(outsider, courseId, lectureId), 404);
		await expectHttpError(talkPage(cleo, courseId, lectureId, 'presenter'), 403);
	});

	it('lets only editors move, end and restart the talk; moves are checked and announced', async () => {
		const { courseId, instructor, ta, ben, cleo, lectureId } = await started();
		const heard = await tap(lectureId);
		await expectNothingWritten(async () => {
			await expectHttpError(startTalk(cleo, courseId, lectureId), 403);
			await expectHttpError(moveTalk(cleo, courseId, lectureId, { h: 1, v: 0, f: -1 }), 403);
			await expectHttpError(endTalk(cleo, courseId, lectureId), 403);
			await expectInputError(moveTalk(ben, courseId, lectureId, { h: 1, v: 2, f: -1 }), 'h');
			await expectInputError(moveTalk(ben, courseId, lectureId, { h: 3, v: 0, f: -1 }), 'h');
		});

		await moveTalk(ben, courseId, lectureId, { h: 1, v: 1, f: 2 });
		await moveTalk(ta, courseId, lectureId, { h: 2, v: 0, f: -1 });
		await settle();
		expect(heard.map((e) => [e.type, e.data?.h, e.data?.v, e.data?.f])).toEqual([
			['moved', 1, 1, 2],
			['moved', 2, 0, -1]
		]);
		expect(heard.every((e) => e.audience === 'class' && typeof e.data?.t === 'number')).toBe(true);
		// Small: the position only, nothing anybody wrote.
		expect(Object.keys(heard[0].data ?? {}).sort()).toEqual(['f', 'h', 't', 'v']);
		expect((await getTalk(cleo, courseId, lectureId)).talk?.position).toMatchObject({
			h: 2,
			v: 0,
			f: -1
		});

		await endTalk(instructor, courseId, lectureId);
		await expectInputError(endTalk(instructor, courseId, lectureId), 'form');
		await expectInputError(moveTalk(ben, courseId, lectureId, { h: 0, v: 0, f: -1 }), 'form');
		expect((await getTalk(cleo, courseId, lectureId)).talk?.running).toBe(false);

		// Starting again resets the position.
		await startTalk(ben, courseId, lectureId);
		expect((await getTalk(cleo, courseId, lectureId)).talk).toMatchObject({
			running: true,
			endedAt: null,
			position: { h: 0, v: 0, f: -1 }
		});
		await settle();
		expect(heard.map((e) => e.type)).toEqual(['moved', 'moved', 'ended', 'started']);
	});

	it('takes questions while the talk runs, about an existing slide, with an activity row', async () => {
		const { courseId, ada, cleo, lectureId } = await started();
		const heard = await tap(lectureId);
		await expectNothingWritten(async () => {
			await expectInputError(
				askQuestion(cleo, courseId, lectureId, { body: 'Why?', h: 1, v: 2 }),
				'body'
			);
		});
		const id = await askQuestion(cleo, courseId, lectureId, {
			body: 'Why the square root?',
			h: 1,
			v: 1
		});
		const [row] = await activityOf(courseId, 'question_asked');
		expect(row).toMatchObject({
			userId: cleo.id,
			subjectType: 'question',
			subjectId: id,
			lectureId
		});
		await settle();
		expect(heard.map((e) => [e.type, e.id])).toEqual([['question', id]]);
		expect(await listQuestions(ada, courseId, lectureId)).toMatchObject([
			{ id, body: 'Why the square root?', askerName: 'Cleo', slide: { h: 1, v: 1 }, votes: 0 }
		]);

		await endTalk(ada, courseId, lectureId);
		await expectNothingWritten(() =>
			expectInputError(
				askQuestion(cleo, courseId, lectureId, { body: 'Late?', h: 0, v: 0 }),
				'form'
			)
		);
	});

	it('trims questions and explains bad input', () => {
		expect(questionSchema.safeParse({ body: '  Why?  ', h: '1', v: '0' }).data).toEqual({
			body: 'Why?',
			h: 1,
			v: 0
		});
		const messages = (input: Record<string, string>) =>
			questionSchema.safeParse(input).error?.issues.map((i) => i.message);
		expect(messages({ body: '   ', h: '0', v: '0' })).toEqual(['Your question is required.']);
		expect(messages({ body: 'x'.repeat(501), h: '0', v: '0' })).toEqual([
			'Your question must be at most 500 characters.'
		]);
		expect(messages({ body: 'Ok', h: '-1', v: '0' })).toEqual([
			'The horizontal slide position cannot be negative.'
		]);
	});

	it('counts upvotes once per person, never one’s own, and credits the asker', async () => {
		const { courseId, instructor, ada, cleo, dan, ben, lectureId } = await started();
		const id = await askQuestion(cleo, courseId, lectureId, {
			body: 'What about MoE?',
			h: 0,
			v: 0
		});
		const other = await askQuestion(ben, courseId, lectureId, { body: 'And latency?', h: 2, v: 0 });
		await expectNothingWritten(() =>
			expectInputError(setQuestionVote(cleo, courseId, lectureId, id, true), 'form')
		);
		await setQuestionVote(dan, courseId, lectureId, id, true);
		await setQuestionVote(dan, courseId, lectureId, id, true);
		await setQuestionVote(ada, courseId, lectureId, id, true);
		const list = await listQuestions(dan, courseId, lectureId);
		expect(list.map((q) => [q.id, q.votes, q.voted, q.mine])).toEqual([
			[id, 2, true, false],
			[other, 0, false, false]
		]);
		expect((await listQuestions(cleo, courseId, lectureId))[0]).toMatchObject({
			mine: true,
			voted: false
		});

		await setQuestionVote(dan, courseId, lectureId, id, false);
		const rows = await db()
			.select()
			.from(activity)
			.where(
				and(
					eq(activity.courseId, courseId),
					eq(activity.subjectType, 'question'),
					eq(activity.subjectId, id)
				)
			);
		expect(rows.map((r) => [r.kind, r.userId, r.actorId]).sort()).toEqual(
			[
				['question_asked', cleo.id, null],
				['vote_received', cleo.id, dan.id],
				['vote_received', cleo.id, ada.id],
				['vote_withdrawn', cleo.id, dan.id]
			].sort()
		);
		// A question of another lecture is not found through that lecture's talk.
		const second = await createLecture(instructor, courseId, lectureInput({ number: 3 }));
		await saveDeck(instructor, courseId, second, { source: DECK, baseRevision: 0 });
		await startTalk(instructor, courseId, second);
		await expectHttpError(setQuestionVote(dan, courseId, second, id, true), 404);
	});

	it('lets editors mark a question answered once, crediting the presenter', async () => {
		const { courseId, ben, cleo, dan, lectureId } = await started();
		const id = await askQuestion(cleo, courseId, lectureId, { body: 'Is it exact?', h: 0, v: 0 });
		await expectNothingWritten(() =>
			expectHttpError(markAnswered(dan, courseId, lectureId, id), 403)
		);
		const heard = await tap(lectureId);
		await markAnswered(ben, courseId, lectureId, id);
		await markAnswered(ben, courseId, lectureId, id);
		expect((await listQuestions(dan, courseId, lectureId))[0].answered).toBe(true);
		expect(await activityOf(courseId, 'question_answered')).toMatchObject([
			{ userId: ben.id, subjectType: 'question', subjectId: id, details: { askerId: cleo.id } }
		]);
		await settle();
		expect(heard.map((e) => [e.type, e.id])).toEqual([['question', id]]);
	});

	it('writes a question and its activity row together or not at all', async () => {
		const { courseId, cleo, lectureId } = await started();
		// The activity insert fails: the question must not stay behind.
		await db().execute(sql`
			create function podium_test_refuse() returns trigger language plpgsql as $$
			begin raise exception 'activity refused'; end $$`);
		await db().execute(sql`
			create trigger podium_test_refuse before insert on activity
			for each row when (new.kind = 'question_asked') execute function podium_test_refuse()`);
		try {
			await expect(
				askQuestion(cleo, courseId, lectureId, { body: 'Lost?', h: 0, v: 0 })
			).rejects.toThrow();
			expect(
				await db().select().from(talkQuestions).where(eq(talkQuestions.lectureId, lectureId))
			).toEqual([]);
		} finally {
			await db().execute(sql`drop trigger podium_test_refuse on activity`);
			await db().execute(sql`drop function podium_test_refuse`);
		}
		expect(await activityOf(courseId, 'question_asked')).toEqual([]);
	});

	it('sends followers the position in the event itself', async () => {
		const { courseId, ben, lectureId } = await started();
		const abort = new AbortController();
		const reader = eventStream(talkChannel(lectureId), () => true, abort.signal).body!.getReader();
		const decoder = new TextDecoder();
		let text = '';
		const readUntil = async (pattern: RegExp) => {
			const until = Date.now() + 2000;
			while (!pattern.test(text) && Date.now() < until) {
				const chunk = await reader.read();
				if (chunk.done) break;
				text += decoder.decode(chunk.value, { stream: true });
			}
			return pattern.exec(text);
		};
		try {
			await readUntil(/: connected/);
			await moveTalk(ben, courseId, lectureId, { h: 1, v: 1, f: 0 });
			const moved = await readUntil(/event: moved\ndata: (.*)\n\n/);
			expect(moved).not.toBeNull();
			const { id, data } = JSON.parse(moved![1]);
			expect(id).toBe((await getTalk(ben, courseId, lectureId)).talk?.id);
			expect(data).toMatchObject({ h: 1, v: 1, f: 0 });
		} finally {
			abort.abort();
		}
	});
});
