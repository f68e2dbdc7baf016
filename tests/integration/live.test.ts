import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Visibility } from '$lib/annotations/types';
import { isStaff } from '$lib/courses/roles';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { getPaper, uploadPaper, type Paper } from '$lib/server/papers/service';
import {
	createAnnotation,
	deleteAnnotation,
	editAnnotation,
	reply,
	setStaffFlag,
	setVote
} from '$lib/server/annotations/service';
import {
	mayHear,
	startLiveBus,
	stopLiveBus,
	subscribe,
	type LiveEvent
} from '$lib/server/live/bus';
import { eventStream } from '$lib/server/live/sse';
import { samplePaperPdf } from '../fixtures/pdf';
import {
	asStudentOf,
	asTaOf,
	expectInputError,
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
let paper: Paper;
let otherPaper: Paper;
let target: ReturnType<typeof passage>;

beforeAll(async () => {
	await startLiveBus();
	({ course, instructor } = await makeCourse({}, await makeUser('Ines Instructor')));
	ta = await asTaOf(course, await makeUser('Tariq TA'));
	alice = await asStudentOf(course, await makeUser('Alice'));
	bob = await asStudentOf(course, await makeUser('Bob'));
	const lecture = await createLecture(instructor, course.id, lectureInput());
	const bytes = await samplePaperPdf();
	paper = await uploadPaper(instructor, course.id, lecture, { bytes, name: 'a.pdf' });
	otherPaper = await uploadPaper(instructor, course.id, lecture, { bytes, name: 'b.pdf' });
	target = passage(await paperDocument(instructor, course.id, paper.id), 'Abstract');
});

afterAll(async () => {
	await stopLiveBus();
});

const unsubscribers: (() => void)[] = [];
afterEach(() => {
	for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
});

/** Lets events published so far reach their listeners (the bus delivers them a turn later). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Everything published on a paper's channel from now on, heard without any filter. */
async function tap(paperId = paper.id): Promise<LiveEvent[]> {
	await settle();
	const heard: LiveEvent[] = [];
	unsubscribers.push(subscribe(`paper:${paperId}`, (event) => heard.push(event)));
	return heard;
}

/**
 * What each member's event stream would forward: subscribe and filter with `mayHear`, as the
 * SSE endpoint does for a member of the course.
 */
async function listen(...members: SessionUser[]): Promise<Map<SessionUser, LiveEvent[]>> {
	await settle();
	const heard = new Map<SessionUser, LiveEvent[]>();
	for (const member of members) {
		const { role } = await getPaper(member, course.id, paper.id);
		const filter = { userId: member.id, isStaff: isStaff(role) };
		const events: LiveEvent[] = [];
		heard.set(member, events);
		unsubscribers.push(
			subscribe(`paper:${paper.id}`, (event) => {
				if (mayHear(event, filter)) events.push(event);
			})
		);
	}
	return heard;
}

/** Waits until the unfiltered tap has `n` events (delivery is asynchronous). */
async function delivered(all: LiveEvent[], n: number): Promise<void> {
	await expect.poll(() => all.length, { timeout: 2000, interval: 5 }).toBe(n);
	// Every listener of the channel is called in the same turn, so the filtered ones are done.
}

const annotate = (author: SessionUser, visibility: Visibility, tags: string[] = []) =>
	createAnnotation(author, course.id, paper.id, {
		target,
		body: `A ${visibility} comment`,
		tags,
		visibility
	});

const everyone = () => [alice, bob, ta, instructor];

/** The members (by name) who heard an event about `id`. */
function hearers(heard: Map<SessionUser, LiveEvent[]>, id: string): string[] {
	return [...heard]
		.filter(([, events]) => events.some((e) => e.id === id))
		.map(([member]) => member.name)
		.sort();
}

describe('creating an annotation', () => {
	it('publishes its id on the paper´s channel', async () => {
		const all = await tap();
		const id = await annotate(alice, 'class');
		await delivered(all, 1);
		expect(all).toEqual([
			{ channel: `paper:${paper.id}`, type: 'thread', id, audience: 'class', authorId: alice.id }
		]);
	});

	it.each([
		['class', ['Alice', 'Bob', 'Ines Instructor', 'Tariq TA']],
		['staff', ['Alice', 'Ines Instructor', 'Tariq TA']],
		['private', ['Alice']]
	] as const)('reaches exactly who may see it: %s', async (visibility, expected) => {
		const all = await tap();
		const heard = await listen(...everyone());
		const id = await annotate(alice, visibility);
		await delivered(all, 1);
		expect(hearers(heard, id)).toEqual(expected);
	});

	it('is not heard on another paper´s channel', async () => {
		const elsewhere = await tap(otherPaper.id);
		const all = await tap();
		await annotate(alice, 'class');
		await delivered(all, 1);
		expect(elsewhere).toEqual([]);
	});

	it('publishes nothing when it is refused', async () => {
		const all = await tap();
		await expectInputError(
			createAnnotation(alice, course.id, paper.id, {
				target: { ...target, quote: { ...target.quote, exact: 'Not in the paper' } },
				body: 'x',
				tags: [],
				visibility: 'class'
			}),
			'target'
		);
		const id = await annotate(bob, 'class');
		await delivered(all, 1);
		expect(all.map((e) => e.id)).toEqual([id]);
	});
});

describe('changes in a thread', () => {
	it('a reply publishes the thread´s id to the thread´s audience', async () => {
		const root = await annotate(alice, 'staff');
		const all = await tap();
		const heard = await listen(...everyone());
		await reply(ta, course.id, paper.id, root, 'Answer');
		await delivered(all, 1);
		expect(all[0]).toMatchObject({ id: root, audience: 'staff' });
		expect(hearers(heard, root)).toEqual(['Alice', 'Ines Instructor', 'Tariq TA']);
	});

	it('a vote publishes the thread´s id, also for a vote on a reply', async () => {
		const root = await annotate(alice, 'class', ['question']);
		const answer = await reply(bob, course.id, paper.id, root, 'Answer');
		const all = await tap();
		const heard = await listen(...everyone());
		await setVote(bob, course.id, paper.id, root, 'same_question', true);
		await setVote(alice, course.id, paper.id, answer, 'helpful', true);
		await delivered(all, 2);
		expect(all.map((e) => [e.id, e.audience])).toEqual([
			[root, 'class'],
			[root, 'class']
		]);
		expect(hearers(heard, root)).toEqual(['Alice', 'Bob', 'Ines Instructor', 'Tariq TA']);
	});

	it('a refused vote publishes nothing', async () => {
		const root = await annotate(alice, 'class');
		const all = await tap();
		await expectInputError(setVote(alice, course.id, paper.id, root, 'helpful', true), 'form');
		await setVote(bob, course.id, paper.id, root, 'helpful', true);
		await delivered(all, 1);
		expect(all.map((e) => e.id)).toEqual([root]);
		expect(all).toHaveLength(1);
	});

	it.each([
		['class', 'private', ['Alice', 'Bob', 'Ines Instructor', 'Tariq TA']],
		['private', 'class', ['Alice', 'Bob', 'Ines Instructor', 'Tariq TA']],
		['staff', 'private', ['Alice', 'Ines Instructor', 'Tariq TA']],
		['private', 'staff', ['Alice', 'Ines Instructor', 'Tariq TA']],
		['private', 'private', ['Alice']]
	] as const)(
		'an edit from %s to %s reaches everyone who could see it before or after',
		async (before, after, expected) => {
			const root = await annotate(alice, before);
			const all = await tap();
			const heard = await listen(...everyone());
			await editAnnotation(alice, course.id, paper.id, root, {
				body: 'Edited',
				tags: [],
				visibility: after
			});
			await delivered(all, 1);
			expect(all[0]).toMatchObject({ id: root, type: 'thread', authorId: alice.id });
			expect(hearers(heard, root)).toEqual(expected);
		}
	);

	it('an edit, a vote, a flag or a delete of a staff´s reply reaches the student who asked', async () => {
		const root = await annotate(alice, 'staff');
		const answer = await reply(ta, course.id, paper.id, root, 'Answer');
		const all = await tap();
		const heard = await listen(alice, bob);
		await editAnnotation(ta, course.id, paper.id, answer, {
			body: 'Better answer',
			tags: [],
			visibility: 'staff'
		});
		await setVote(instructor, course.id, paper.id, answer, 'helpful', true);
		await setStaffFlag(instructor, course.id, paper.id, answer, 'endorsed', true);
		await deleteAnnotation(ta, course.id, paper.id, answer);
		await delivered(all, 4);
		expect(all.map((e) => e.id)).toEqual([root, root, root, root]);
		expect(heard.get(alice)).toHaveLength(4);
		expect(heard.get(bob)).toEqual([]);
	});

	it('deleting, endorsing and hiding publish the thread´s id too', async () => {
		const root = await annotate(bob, 'class');
		const all = await tap();
		await setStaffFlag(ta, course.id, paper.id, root, 'endorsed', true);
		await setStaffFlag(ta, course.id, paper.id, root, 'hidden', true);
		await deleteAnnotation(bob, course.id, paper.id, root);
		await delivered(all, 3);
		expect(all.map((e) => [e.id, e.audience, e.authorId])).toEqual([
			[root, 'class', bob.id],
			[root, 'class', bob.id],
			[root, 'class', bob.id]
		]);
	});
});

describe('the event stream of a member', () => {
	async function readUntil(
		reader: ReadableStreamDefaultReader<Uint8Array>,
		done: (text: string) => boolean
	): Promise<string> {
		const decoder = new TextDecoder();
		let text = '';
		while (!done(text)) {
			let timer: ReturnType<typeof setTimeout> | undefined;
			const chunk = await Promise.race([
				reader.read(),
				new Promise<never>((_, reject) => {
					timer = setTimeout(() => reject(new Error(`stream stalled after: ${text}`)), 2000);
				})
			]).finally(() => clearTimeout(timer));
			if (chunk.done) break;
			text += decoder.decode(chunk.value, { stream: true });
		}
		return text;
	}

	it('forwards only the events that member may hear', async () => {
		const streams = [alice, bob].map((member) => {
			const abort = new AbortController();
			const response = eventStream(
				`paper:${paper.id}`,
				(event) => mayHear(event, { userId: member.id, isStaff: false }),
				abort.signal
			);
			return { abort, reader: response.body!.getReader() };
		});
		try {
			const [forAlice, forBob] = streams;
			await readUntil(forAlice.reader, (t) => t.includes(': connected'));
			await readUntil(forBob.reader, (t) => t.includes(': connected'));
			const secret = await annotate(alice, 'private');
			const open = await annotate(alice, 'class');
			const aliceText = await readUntil(forAlice.reader, (t) => t.includes(open));
			const bobText = await readUntil(forBob.reader, (t) => t.includes(open));
			expect(aliceText).toContain(`event: thread\ndata: ${JSON.stringify({ id: secret })}\n\n`);
			expect(aliceText).toContain(`event: thread\ndata: ${JSON.stringify({ id: open })}\n\n`);
			expect(bobText).toContain(`data: ${JSON.stringify({ id: open })}`);
			expect(bobText).not.toContain(secret);
		} finally {
			for (const { abort } of streams) abort.abort();
		}
	});
});

describe.runIf(process.env.DATABASE_URL)('across app instances (LISTEN/NOTIFY)', () => {
	afterAll(async () => {
		await stopLiveBus();
		await startLiveBus();
	});

	it('delivers events through PostgreSQL', async () => {
		await stopLiveBus();
		await startLiveBus(process.env.DATABASE_URL);
		const all = await tap();
		const heard = await listen(alice, bob);
		const id = await annotate(alice, 'private');
		await delivered(all, 1);
		expect(all[0]).toEqual({
			channel: `paper:${paper.id}`,
			type: 'thread',
			id,
			audience: 'private',
			authorId: alice.id
		});
		expect(hearers(heard, id)).toEqual(['Alice']);
	});
});
