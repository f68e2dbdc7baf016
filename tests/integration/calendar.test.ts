import { describe, expect, it } from 'vitest';
import { calendarFeed, calendarToken, resetCalendarToken } from '$lib/server/calendar/service';
import { createLecture, updateLecture } from '$lib/server/lectures/service';
import {
	asStudentOf,
	expectHttpError,
	expectNothingWritten,
	lectureInput,
	makeCourse
} from './helpers';

const ORIGIN = 'https://podium.example.org';

/** The value of every `NAME` property of the feed (lines unfolded, parameters dropped). */
function fields(feed: string, name: string): string[] {
	return feed
		.replace(/\r?\n[ \t]/g, '')
		.split(/\r?\n/)
		.map((line) => /^([A-Z-]+)(?:;[^:]*)?:(.*)$/.exec(line))
		.filter((m): m is RegExpExecArray => m !== null && m[1] === name)
		.map((m) => m[2]);
}

/** The events of the feed whose UID starts with `prefix`, as one text. */
function events(feed: string, prefix: string): string {
	return feed
		.split('BEGIN:VEVENT')
		.slice(1)
		.filter((event) => fields(event, 'UID')[0]?.startsWith(prefix))
		.join('BEGIN:VEVENT');
}

const lectureEvents = (feed: string) => events(feed, 'lecture-');

describe('calendarFeed', () => {
	it('lists every lecture of the course with its start and end in UTC', async () => {
		const { course, instructor } = await makeCourse({
			title: 'Feed course',
			timeZone: 'Europe/Berlin'
		});
		const student = await asStudentOf(course);
		const winter = await createLecture(
			instructor,
			course.id,
			lectureInput({
				number: 1,
				title: 'Winter',
				startsAt: '2026-12-09T16:00',
				endsAt: '2026-12-09T18:00'
			})
		);
		await createLecture(
			instructor,
			course.id,
			lectureInput({
				number: 2,
				title: 'Summer',
				startsAt: '2026-06-10T16:00',
				endsAt: '2026-06-10T17:30',
				room: 'Room 2'
			})
		);
		// A lecture of another course must not leak into this feed.
		const other = await makeCourse();
		await createLecture(other.instructor, other.course.id, lectureInput({ title: 'Elsewhere' }));

		const feed = await calendarFeed(await calendarToken(student, course.id), ORIGIN);
		expect(feed).toMatch(/^BEGIN:VCALENDAR/);
		expect(fields(lectureEvents(feed), 'DTSTART')).toEqual([
			'20260610T140000Z',
			'20261209T150000Z'
		]);
		expect(fields(lectureEvents(feed), 'DTEND')).toEqual(['20260610T153000Z', '20261209T170000Z']);
		expect(fields(lectureEvents(feed), 'SUMMARY')).toEqual([
			'Lecture 2: Summer',
			'Lecture 1: Winter'
		]);
		expect(fields(feed, 'LOCATION')).toContain('Room 2');
		expect(fields(feed, 'URL')).toContain(`${ORIGIN}/courses/${course.id}/lectures/${winter}`);
		expect(feed).toContain('Feed course');
		expect(feed).not.toContain('Elsewhere');

		// Moving a lecture moves it in the feed.
		await updateLecture(
			instructor,
			course.id,
			winter,
			lectureInput({
				number: 1,
				title: 'Winter',
				startsAt: '2026-12-09T10:00',
				endsAt: '2026-12-09T11:00'
			})
		);
		const moved = await calendarFeed(await calendarToken(student, course.id), ORIGIN);
		expect(fields(lectureEvents(moved), 'DTSTART')).toEqual([
			'20260610T140000Z',
			'20261209T090000Z'
		]);
	});

	it('has each critique deadline as an instant, the default or the one set', async () => {
		const { course, instructor } = await makeCourse({ timeZone: 'Europe/Berlin' });
		const student = await asStudentOf(course);
		const lecture = await createLecture(instructor, course.id, lectureInput({ number: 4 }));
		const feed = async () => calendarFeed(await calendarToken(student, course.id), ORIGIN);

		const paper = events(await feed(), 'paper-critique-due-');
		// Default: the lecture's start (16:00 in Berlin).
		expect(fields(paper, 'DTSTART')).toEqual(['20261209T150000Z']);
		expect(fields(paper, 'DTEND')).toEqual([]);
		expect(fields(paper, 'SUMMARY')).toEqual(['Paper critique due: Lecture 4']);
		expect(fields(paper, 'URL')).toEqual([
			`${ORIGIN}/courses/${course.id}/lectures/${lecture}/critiques`
		]);
		// Default: two days after the start.
		const talk = events(await feed(), 'presentation-critique-due-');
		expect(fields(talk, 'DTSTART')).toEqual(['20261211T150000Z']);
		expect(fields(talk, 'SUMMARY')).toEqual(['Presentation critique due: Lecture 4']);

		await updateLecture(
			instructor,
			course.id,
			lecture,
			lectureInput({
				number: 4,
				paperCritiqueDueAt: '2026-12-08T23:59',
				presentationCritiqueDueAt: '2026-12-13T12:00'
			})
		);
		const moved = await feed();
		expect(fields(events(moved, 'paper-critique-due-'), 'DTSTART')).toEqual(['20261208T225900Z']);
		expect(fields(events(moved, 'presentation-critique-due-'), 'DTSTART')).toEqual([
			'20261213T110000Z'
		]);
		expect(moved.match(/BEGIN:VEVENT/g)).toHaveLength(3);
	});

	it('gives each member their own token', async () => {
		const { course, instructor } = await makeCourse();
		const student = await asStudentOf(course);
		const mine = await calendarToken(student, course.id);
		const theirs = await calendarToken(instructor, course.id);
		expect(mine).not.toBe(theirs);
		expect(mine.length).toBeGreaterThanOrEqual(32);
	});

	it('answers an unknown token with 404', async () => {
		await makeCourse();
		await expectHttpError(calendarFeed('not-a-token', ORIGIN), 404);
	});

	it('stops serving the old token once it is reset', async () => {
		const { course, instructor } = await makeCourse();
		await createLecture(instructor, course.id, lectureInput());
		const student = await asStudentOf(course);
		const old = await calendarToken(student, course.id);
		await expect(calendarFeed(old, ORIGIN)).resolves.toContain('DTSTART:20261209T150000Z');

		await resetCalendarToken(student, course.id);
		const fresh = await calendarToken(student, course.id);
		expect(fresh).not.toBe(old);
		await expectNothingWritten(async () => {
			await expectHttpError(calendarFeed(old, ORIGIN), 404);
		});
		await expect(calendarFeed(fresh, ORIGIN)).resolves.toContain('DTSTART:20261209T150000Z');
		// Only the student's own token changed.
		await expect(
			calendarFeed(await calendarToken(instructor, course.id), ORIGIN)
		).resolves.toContain('BEGIN:VEVENT');
	});
});
