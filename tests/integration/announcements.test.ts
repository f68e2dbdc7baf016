import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { announcements } from '$lib/server/db/schema';
import {
	deleteAnnouncement,
	editAnnouncement,
	getAnnouncement,
	listAnnouncements,
	postAnnouncement,
	setPinned
} from '$lib/server/announcements/service';
import {
	asInstructorOf,
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectNothingWritten,
	makeCourse,
	nextRequest,
	sleep
} from './helpers';

const post = (title: string, pinned = false) => ({ title, body: `Body of ${title}`, pinned });

// Timestamps come back with millisecond precision: a short pause keeps "after" strict.
const tick = () => sleep(5);

describe('listAnnouncements', () => {
	it('puts pinned ones first, then the newest first', async () => {
		const { course, instructor } = await makeCourse();
		const student = await asStudentOf(course);
		const ids: Record<string, string> = {};
		for (const [title, pinned] of [
			['old', false],
			['old pinned', true],
			['middle', false],
			['new pinned', true],
			['newest', false]
		] as const) {
			ids[title] = await postAnnouncement(instructor, course.id, post(title, pinned));
			await tick();
		}
		const titles = async () => (await listAnnouncements(student, course.id)).map((a) => a.title);
		expect(await titles()).toEqual(['new pinned', 'old pinned', 'newest', 'middle', 'old']);

		await setPinned(instructor, course.id, ids['old'], true);
		await setPinned(instructor, course.id, ids['new pinned'], false);
		expect(await titles()).toEqual(['old pinned', 'old', 'newest', 'new pinned', 'middle']);
	});

	it('renders the Markdown body safely', async () => {
		const { course, instructor } = await makeCourse();
		await postAnnouncement(instructor, course.id, {
			title: 'Formatted',
			body: 'Read *this* <img src=x onerror="alert(1)">',
			pinned: false
		});
		const [a] = await listAnnouncements(instructor, course.id);
		expect(a.bodyHtml).toContain('<em>this</em>');
		expect(a.bodyHtml).not.toMatch(/onerror/i);
		expect(a.authorName).toBe(instructor.name);
	});

	it('marks others’ posts made since the member last looked as new, until markSeen', async () => {
		const { course, instructor } = await makeCourse();
		const ta = await asTaOf(course);
		const student = await asStudentOf(course);
		await tick();
		const fromInstructor = await postAnnouncement(instructor, course.id, post('From instructor'));
		const fromTa = await postAnnouncement(ta, course.id, post('From TA'));
		await tick();

		// Each look is a request of its own (a page load).
		const isNew = async (who: typeof student, opts = {}) =>
			Object.fromEntries(
				(await listAnnouncements(nextRequest(who), course.id, opts)).map((a) => [a.id, a.isNew])
			);

		// Looking without markSeen changes nothing.
		expect(await isNew(student)).toEqual({ [fromInstructor]: true, [fromTa]: true });
		expect(await isNew(student)).toEqual({ [fromInstructor]: true, [fromTa]: true });
		// Nobody's own post is new to them.
		expect(await isNew(ta)).toEqual({ [fromInstructor]: true, [fromTa]: false });
		expect(await isNew(instructor)).toEqual({ [fromInstructor]: false, [fromTa]: true });

		// The page that marks them seen still shows them as new this once...
		expect(await isNew(student, { markSeen: true })).toEqual({
			[fromInstructor]: true,
			[fromTa]: true
		});
		// ...and not afterwards; other members are unaffected.
		expect(await isNew(student)).toEqual({ [fromInstructor]: false, [fromTa]: false });
		expect(await isNew(ta)).toEqual({ [fromInstructor]: true, [fromTa]: false });

		await tick();
		const later = await postAnnouncement(instructor, course.id, post('Later'));
		expect(await isNew(student)).toEqual({
			[later]: true,
			[fromInstructor]: false,
			[fromTa]: false
		});
	});
});

describe('editing announcements', () => {
	it('lets staff edit, re-render and delete an announcement of their course', async () => {
		const { course, instructor } = await makeCourse();
		const ta = await asTaOf(course);
		const id = await postAnnouncement(instructor, course.id, post('Draft'));
		const created = await getAnnouncement(ta, course.id, id);
		await tick();
		await editAnnouncement(ta, course.id, id, { title: 'Final', body: '**bold**', pinned: true });
		const edited = await getAnnouncement(instructor, course.id, id);
		expect(edited).toMatchObject({ title: 'Final', body: '**bold**', pinned: true });
		expect(edited.bodyHtml).toContain('<strong>bold</strong>');
		expect(edited.authorId).toBe(instructor.id);
		expect(edited.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
		expect(edited.createdAt).toEqual(created.createdAt);

		await deleteAnnouncement(ta, course.id, id);
		expect(await db().select().from(announcements).where(eq(announcements.id, id))).toEqual([]);
	});

	it('answers 404 for an announcement of another course, even to staff of both', async () => {
		const { course: mine, instructor } = await makeCourse({ title: 'Mine' });
		const { course: theirs, instructor: theirInstructor } = await makeCourse({ title: 'Theirs' });
		await asInstructorOf(theirs, instructor);
		const foreign = await postAnnouncement(theirInstructor, theirs.id, post('Theirs'));
		await postAnnouncement(instructor, mine.id, post('Mine'));

		await expectNothingWritten(async () => {
			await expectHttpError(
				editAnnouncement(instructor, mine.id, foreign, post('Hijacked', true)),
				404
			);
			await expectHttpError(setPinned(instructor, mine.id, foreign, true), 404);
			await expectHttpError(deleteAnnouncement(instructor, mine.id, foreign), 404);
			await expectHttpError(getAnnouncement(instructor, mine.id, foreign), 404);
			await expectHttpError(deleteAnnouncement(instructor, mine.id, 'no-such-id'), 404);
		});
		const [row] = await db().select().from(announcements).where(eq(announcements.id, foreign));
		expect(row).toMatchObject({ title: 'Theirs', courseId: theirs.id, pinned: false });
	});
});
