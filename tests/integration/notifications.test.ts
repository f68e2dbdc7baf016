import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import type { Visibility } from '$lib/annotations/types';
import type { DocumentText } from '$lib/papers/page-text';
import { createLecture, updateLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { uploadPaper, type Paper } from '$lib/server/papers/service';
import { createAnnotation, reply } from '$lib/server/annotations/service';
import { postAnnouncement } from '$lib/server/announcements/service';
import { submitCritique } from '$lib/server/critiques/service';
import { myDueCritiques, sendDueReminders } from '$lib/server/critiques/due';
import {
	listNotifications,
	markRead,
	openNotification,
	unreadCount
} from '$lib/server/notifications/service';
import { samplePaperPdf } from '../fixtures/pdf';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
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
let paper: Paper;
let doc: DocumentText;

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course, await makeUser('Tariq Assistant'));
	alice = await asStudentOf(course, await makeUser('Alice Adams'));
	bob = await asStudentOf(course, await makeUser('Bob Brown'));
	carol = await asStudentOf(course, await makeUser('Carol Clark'));
	const lecture = await createLecture(instructor, course.id, lectureInput());
	paper = await uploadPaper(instructor, course.id, lecture, {
		bytes: await samplePaperPdf(),
		name: 'paper.pdf'
	});
	doc = await paperDocument(instructor, course.id, paper.id);
});

const annotate = (by: SessionUser, body: string, visibility: Visibility = 'class') =>
	createAnnotation(by, course.id, paper.id, {
		target: passage(doc, 'Sparse Adapters'),
		body,
		tags: [],
		visibility
	});

/** The texts of someone's notifications, newest first. */
const texts = async (user: SessionUser) => (await listNotifications(user)).map((n) => n.text);

describe('replies and mentions on annotations', () => {
	it('tells the thread’s author and the replied-to author, linking to the thread', async () => {
		const root = await annotate(alice, 'Why sparse?');
		const first = await reply(bob, course.id, paper.id, root, 'Because memory.');
		const before = await unreadCount(alice);
		await reply(carol, course.id, paper.id, first, 'Also speed.');

		expect(await unreadCount(alice)).toBe(before + 1);
		const [newest] = await listNotifications(alice);
		expect(newest).toMatchObject({
			kind: 'reply',
			read: false,
			url: `/courses/${course.id}/papers/${paper.id}#annotation-${root}`
		});
		expect(newest.text).toBe(`Carol Clark replied to your annotation on “${paper.title}”.`);
		expect((await texts(bob))[0]).toBe(`Carol Clark replied to you on “${paper.title}”.`);
		// Nobody is told of their own reply.
		expect(await texts(carol)).not.toContain(expect.stringContaining('Carol Clark replied'));
	});

	it('tells a member mentioned as @Full Name, once, in annotations and replies', async () => {
		const before = await unreadCount(carol);
		const root = await annotate(alice, 'What do you think, @carol clark? And @Carol Clark again.');
		expect(await unreadCount(carol)).toBe(before + 1);
		expect((await texts(carol))[0]).toBe(
			`Alice Adams mentioned you in an annotation on “${paper.title}”.`
		);
		await reply(bob, course.id, paper.id, root, 'Agreed with @Carol Clark.');
		expect((await texts(carol))[0]).toBe(`Bob Brown mentioned you in a reply on “${paper.title}”.`);
		// The thread's author mentioned in a reply hears of it once, as a reply.
		const aliceBefore = await unreadCount(alice);
		await reply(bob, course.id, paper.id, root, 'Right, @Alice Adams?');
		expect(await unreadCount(alice)).toBe(aliceBefore + 1);
	});

	it('tells only who may read a staff-only or private thread', async () => {
		const counts = async () =>
			Promise.all([alice, bob, carol, ta, instructor].map((u) => unreadCount(u)));
		const before = await counts();
		// Alice asks the staff and mentions Bob, who may not read the thread.
		const question = await annotate(
			alice,
			'For the staff (cc @Bob Brown, @Tariq Assistant).',
			'staff'
		);
		await reply(ta, course.id, paper.id, question, 'Answered; @Carol Clark cannot see this.');
		const after = await counts();
		// Alice: the TA's reply. Bob, Carol: nothing. TA: the mention. Instructor: nothing.
		expect(after.map((n, i) => n - before[i])).toEqual([1, 0, 0, 1, 0]);

		// A private note tells nobody, whoever it mentions.
		await annotate(alice, 'Note to self, ask @Tariq Assistant and @Bob Brown.', 'private');
		expect(await counts()).toEqual(after);
	});
});

describe('announcements', () => {
	it('tell every member of the course but the author', async () => {
		const outsider = await makeUser('Olga Outsider');
		const members = [instructor, ta, alice, bob, carol];
		const before = await Promise.all(members.map((u) => unreadCount(u)));
		const id = await postAnnouncement(ta, course.id, {
			title: 'Room change',
			body: 'We meet in HS 2.',
			pinned: false
		});
		const after = await Promise.all(members.map((u) => unreadCount(u)));
		expect(after.map((n, i) => n - before[i])).toEqual([1, 0, 1, 1, 1]);
		const [notice] = await listNotifications(bob);
		expect(notice).toMatchObject({
			kind: 'announcement',
			text: 'New announcement: Room change',
			url: `/courses/${course.id}#announcement-${id}`,
			courseTitle: course.title,
			timeZone: 'Europe/Berlin'
		});
		expect(await listNotifications(outsider)).toEqual([]);
	});
});

describe('reading notifications', () => {
	it('lists, opens and marks read only one’s own', async () => {
		await postAnnouncement(instructor, course.id, { title: 'Own', body: 'x', pinned: false });
		const [mine] = await listNotifications(alice);
		const [theirs] = await listNotifications(bob);
		expect(mine.id).not.toBe(theirs.id);

		// Bob cannot open (or learn the link of) Alice's notice, nor mark it read.
		await expectHttpError(openNotification(bob, mine.id), 404);
		await markRead(bob, [mine.id]);
		expect((await listNotifications(alice))[0].read).toBe(false);

		expect(await openNotification(alice, mine.id)).toBe(mine.url);
		expect((await listNotifications(alice))[0].read).toBe(true);
		expect((await listNotifications(bob))[0].read).toBe(false);

		await markRead(alice, 'all');
		expect(await unreadCount(alice)).toBe(0);
		expect(await unreadCount(bob)).toBeGreaterThan(0);
	});
});

describe('critique deadlines', () => {
	// Lecture 2026-12-09 16:00 Berlin = 15:00 UTC; the talk's critiques are due two days later.
	const DAY = 24 * 60 * 60 * 1000;
	const STARTS = new Date('2026-12-09T15:00:00Z');

	async function deadlineCourse() {
		const setup = await makeCourse({ title: 'Deadline seminar' });
		const [dana, eli, presenter] = await Promise.all(
			['Dana', 'Eli', 'Pia'].map(async (n) => asStudentOf(setup.course, await makeUser(n)))
		);
		const ta = await asTaOf(setup.course);
		const lecture = await createLecture(
			setup.instructor,
			setup.course.id,
			lectureInput({ number: 4 })
		);
		await setPresenters(setup.instructor, setup.course.id, lecture, [presenter.id]);
		return { ...setup, dana, eli, presenter, ta, lecture };
	}

	const answers = {
		summary: 'S',
		strengths: 'S',
		weaknesses: 'W',
		soundness: '3',
		significance: '3',
		clarity: '3',
		confidence: '3'
	};
	const dueKeys = async (user: SessionUser) =>
		(await listNotifications(user)).filter((n) => n.kind === 'deadline').map((n) => n.text);

	it('reminds students within 48 hours, once, and only of what they have not submitted', async () => {
		const { course, dana, eli, presenter, ta, lecture } = await deadlineCourse();
		await submitCritique(eli, course.id, lecture, 'paper', { answers, anonymous: false }, STARTS);

		// Three days before: nothing yet.
		await sendDueReminders(new Date(STARTS.getTime() - 3 * DAY));
		expect(await dueKeys(dana)).toEqual([]);

		const dayBefore = new Date(STARTS.getTime() - DAY);
		await sendDueReminders(dayBefore);
		await sendDueReminders(new Date(dayBefore.getTime() + 60_000));
		expect(await dueKeys(dana)).toEqual([
			'Paper critique for Lecture 4 due before Wednesday 16:00.'
		]);
		const [notice] = await listNotifications(dana);
		expect(notice.url).toBe(`/courses/${course.id}/lectures/${lecture}/critiques`);
		// Eli submitted; staff write no critiques.
		expect(await dueKeys(eli)).toEqual([]);
		expect(await dueKeys(ta)).toEqual([]);
		expect(await dueKeys(presenter)).toHaveLength(1);

		// After the talk: the presentation critique, not for its presenter.
		await sendDueReminders(new Date(STARTS.getTime() + DAY));
		expect(await dueKeys(dana)).toEqual([
			'Presentation critique for Lecture 4 due before Friday 16:00.',
			'Paper critique for Lecture 4 due before Wednesday 16:00.'
		]);
		expect(await dueKeys(eli)).toEqual([
			'Presentation critique for Lecture 4 due before Friday 16:00.'
		]);
		expect(await dueKeys(presenter)).toHaveLength(1);
	});

	it('lists a student’s own due critiques for the dashboard, within two weeks', async () => {
		const { course, instructor, dana, eli, ta, lecture } = await deadlineCourse();
		await updateLecture(
			instructor,
			course.id,
			lecture,
			lectureInput({ number: 4, paperCritiqueDueAt: '2026-12-08T12:00' })
		);
		const early = new Date(STARTS.getTime() - 20 * DAY);
		expect(await myDueCritiques(dana, early)).toEqual([]);

		const now = new Date(STARTS.getTime() - 10 * DAY);
		const due = await myDueCritiques(dana, now);
		expect(due.map((d) => [d.kind, d.due.toISOString(), d.lectureNumber])).toEqual([
			['paper', '2026-12-08T11:00:00.000Z', 4],
			['presentation', '2026-12-11T15:00:00.000Z', 4]
		]);
		await submitCritique(eli, course.id, lecture, 'paper', { answers, anonymous: false }, now);
		expect((await myDueCritiques(eli, now)).map((d) => d.kind)).toEqual(['presentation']);
		expect(await myDueCritiques(ta, now)).toEqual([]);
		expect(await myDueCritiques(dana, new Date(STARTS.getTime() + 3 * DAY))).toEqual([]);
	});
});
