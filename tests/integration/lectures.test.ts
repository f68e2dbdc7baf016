import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { lectures, readings } from '$lib/server/db/schema';
import {
	addReading,
	createLecture,
	deleteLecture,
	getLecture,
	listLectures,
	nextLecture,
	removeReading,
	suggestedLectureNumber,
	updateLecture,
	updateReading,
	type ReadingInput
} from '$lib/server/lectures/service';
import { utcToZonedLocal } from '$lib/time/zones';
import { lectureSchema, PRESENTATION_DUE_AFTER_START } from '$lib/lectures/schemas';
import {
	asStudentOf,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	lectureInput,
	makeCourse
} from './helpers';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const originalTz = process.env.TZ;

afterEach(() => {
	if (originalTz === undefined) delete process.env.TZ;
	else process.env.TZ = originalTz;
});

/** The stored instants as PostgreSQL itself prints them in UTC. */
async function storedUtc(id: string) {
	const [row] = await db()
		.select({
			startsAt: sql<string>`to_char(${lectures.startsAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI')`,
			endsAt: sql<string>`to_char(${lectures.endsAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI')`
		})
		.from(lectures)
		.where(eq(lectures.id, id));
	return row;
}

const reading = (title: string, overrides: Partial<ReadingInput> = {}): ReadingInput => ({
	title,
	url: `https://example.org/${encodeURIComponent(title)}`,
	kind: 'paper',
	required: true,
	...overrides
});

describe('createLecture', () => {
	it.each([
		['UTC', 15],
		['America/Los_Angeles', 7],
		['Asia/Kolkata', 20]
	])(
		'stores 16:00 Europe/Berlin as the right instant when the server runs in %s',
		async (tz, hourOf15Z) => {
			process.env.TZ = tz;
			// Proof that the process zone really changed: the same instant reads differently.
			expect(new Date('2026-12-09T15:00:00Z').getHours()).toBe(hourOf15Z);

			const { course, instructor } = await makeCourse({ timeZone: 'Europe/Berlin' });
			const winter = await createLecture(
				instructor,
				course.id,
				lectureInput({ number: 1, startsAt: '2026-12-09T16:00', endsAt: '2026-12-09T17:30' })
			);
			const summer = await createLecture(
				instructor,
				course.id,
				lectureInput({ number: 2, startsAt: '2026-06-10T16:00', endsAt: '2026-06-10T18:00' })
			);
			expect(await storedUtc(winter)).toEqual({
				startsAt: '2026-12-09T15:00',
				endsAt: '2026-12-09T16:30'
			});
			expect(await storedUtc(summer)).toEqual({
				startsAt: '2026-06-10T14:00',
				endsAt: '2026-06-10T16:00'
			});
			const { lecture } = await getLecture(instructor, course.id, winter);
			expect(lecture.startsAt.toISOString()).toBe('2026-12-09T15:00:00.000Z');
		}
	);

	it('reads the wall clock in the course’s own zone', async () => {
		const { course, instructor } = await makeCourse({ timeZone: 'America/New_York' });
		const id = await createLecture(
			instructor,
			course.id,
			lectureInput({ startsAt: '2026-12-09T16:00', endsAt: '2026-12-09T17:00' })
		);
		expect((await storedUtc(id)).startsAt).toBe('2026-12-09T21:00');
	});

	it('refuses a lecture that ends before it starts, on endsAt, and writes nothing', async () => {
		const { course, instructor } = await makeCourse();
		await createLecture(instructor, course.id, lectureInput({ number: 1 }));
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				createLecture(
					instructor,
					course.id,
					lectureInput({ number: 2, startsAt: '2026-12-09T16:00', endsAt: '2026-12-09T15:59' })
				),
				'endsAt'
			);
			expect(errors.endsAt).toMatch(/end after it starts/);
			await expectInputError(
				createLecture(
					instructor,
					course.id,
					lectureInput({ number: 2, startsAt: '2026-12-09T16:00', endsAt: '2026-12-09T16:00' })
				),
				'endsAt'
			);
		});
	});

	it('refuses an impossible date on startsAt', async () => {
		const { course, instructor } = await makeCourse();
		await expectNothingWritten(async () => {
			await expectInputError(
				createLecture(
					instructor,
					course.id,
					lectureInput({ startsAt: '2026-02-30T10:00', endsAt: '2026-03-02T10:00' })
				),
				'startsAt'
			);
		});
	});

	it('refuses a number the course already has, on number, keeping one row', async () => {
		const { course, instructor } = await makeCourse();
		const { course: other, instructor: otherInstructor } = await makeCourse();
		await createLecture(instructor, course.id, lectureInput({ number: 3, title: 'First' }));
		// Another course may use the same number.
		await createLecture(otherInstructor, other.id, lectureInput({ number: 3 }));
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				createLecture(instructor, course.id, lectureInput({ number: 3, title: 'Second' })),
				'number'
			);
			expect(errors.number).toMatch(/Lecture 3 already exists/);
		});
		const rows = await db().select().from(lectures).where(eq(lectures.courseId, course.id));
		expect(rows.map((r) => [r.number, r.title])).toEqual([[3, 'First']]);
		expect(await suggestedLectureNumber(instructor, course.id)).toBe(4);
	});
});

describe('updateLecture', () => {
	it('moves a lecture and refuses to take another lecture’s number', async () => {
		const { course, instructor } = await makeCourse();
		const id = await createLecture(instructor, course.id, lectureInput({ number: 1 }));
		await createLecture(instructor, course.id, lectureInput({ number: 2 }));
		await updateLecture(
			instructor,
			course.id,
			id,
			lectureInput({
				number: 1,
				title: 'Moved',
				startsAt: '2026-07-01T09:15',
				endsAt: '2026-07-01T10:00'
			})
		);
		expect(await storedUtc(id)).toEqual({
			startsAt: '2026-07-01T07:15',
			endsAt: '2026-07-01T08:00'
		});
		await expectNothingWritten(async () => {
			await expectInputError(
				updateLecture(instructor, course.id, id, lectureInput({ number: 2 })),
				'number'
			);
		});
	});
});

describe('critique deadlines', () => {
	it('are stored as instants from the course’s wall clock, empty meaning the default', async () => {
		const { course, instructor } = await makeCourse({ timeZone: 'America/New_York' });
		const id = await createLecture(
			instructor,
			course.id,
			lectureInput({
				paperCritiqueDueAt: '2026-12-08T23:59',
				presentationCritiqueDueAt: '2026-12-12T09:30'
			})
		);
		const row = async () => (await getLecture(instructor, course.id, id)).lecture;
		// New York is 5 hours behind UTC in December.
		expect((await row()).paperCritiqueDueAt?.toISOString()).toBe('2026-12-09T04:59:00.000Z');
		expect((await row()).presentationCritiqueDueAt?.toISOString()).toBe('2026-12-12T14:30:00.000Z');
		expect(utcToZonedLocal((await row()).presentationCritiqueDueAt!, course.timeZone)).toBe(
			'2026-12-12T09:30'
		);

		await updateLecture(
			instructor,
			course.id,
			id,
			lectureInput({ paperCritiqueDueAt: '', presentationCritiqueDueAt: '' })
		);
		expect(await row()).toMatchObject({
			paperCritiqueDueAt: null,
			presentationCritiqueDueAt: null
		});
	});

	it('refuses presentation critiques due before the talk, and impossible dates', async () => {
		const { course, instructor } = await makeCourse();
		const id = await createLecture(instructor, course.id, lectureInput());
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				updateLecture(
					instructor,
					course.id,
					id,
					lectureInput({ presentationCritiqueDueAt: '2026-12-09T16:00' })
				),
				'presentationCritiqueDueAt'
			);
			expect(errors.presentationCritiqueDueAt).toMatch(/after the lecture starts/);
			await expectInputError(
				updateLecture(
					instructor,
					course.id,
					id,
					lectureInput({ paperCritiqueDueAt: '2026-02-30T10:00' })
				),
				'paperCritiqueDueAt'
			);
		});
		// The form's own check says the same before the service is asked.
		const parsed = lectureSchema.safeParse({
			...lectureInput({ presentationCritiqueDueAt: '2026-12-09T15:00' }),
			number: '2',
			givenByInstructors: ''
		});
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues[0]).toMatchObject({
			path: ['presentationCritiqueDueAt'],
			message: PRESENTATION_DUE_AFTER_START
		});
	});
});

describe('readings', () => {
	it('adds readings in order and removes one', async () => {
		const { course, instructor } = await makeCourse();
		const student = await asStudentOf(course);
		const id = await createLecture(instructor, course.id, lectureInput());
		await addReading(instructor, course.id, id, reading('Paper A'));
		await addReading(
			instructor,
			course.id,
			id,
			reading('Blog B', { kind: 'blog_post', required: false })
		);
		await addReading(instructor, course.id, id, reading('Video C', { kind: 'video', url: '' }));

		let seen = (await getLecture(student, course.id, id)).readings;
		expect(seen.map((r) => [r.title, r.kind, r.required, r.position])).toEqual([
			['Paper A', 'paper', true, 1],
			['Blog B', 'blog_post', false, 2],
			['Video C', 'video', true, 3]
		]);

		await removeReading(instructor, course.id, id, seen[1].id);
		await updateReading(
			instructor,
			course.id,
			id,
			seen[2].id,
			reading('Video C, edited', { kind: 'video' })
		);
		seen = (await getLecture(student, course.id, id)).readings;
		expect(seen.map((r) => r.title)).toEqual(['Paper A', 'Video C, edited']);

		await addReading(instructor, course.id, id, reading('Paper D'));
		const listed = await listLectures(student, course.id);
		expect(listed[0].readings.map((r) => [r.title, r.position])).toEqual([
			['Paper A', 1],
			['Video C, edited', 3],
			['Paper D', 4]
		]);
	});

	it('answers 404 for a reading of another lecture and removes nothing', async () => {
		const { course, instructor } = await makeCourse();
		const first = await createLecture(instructor, course.id, lectureInput({ number: 1 }));
		const second = await createLecture(instructor, course.id, lectureInput({ number: 2 }));
		await addReading(instructor, course.id, second, reading('Belongs to 2'));
		const [r] = await db().select().from(readings).where(eq(readings.lectureId, second));
		await expectNothingWritten(async () => {
			await expectHttpError(removeReading(instructor, course.id, first, r.id), 404);
			await expectHttpError(
				updateReading(instructor, course.id, first, r.id, reading('Changed')),
				404
			);
		});
	});

	it('goes with its lecture when the lecture is deleted', async () => {
		const { course, instructor } = await makeCourse();
		const id = await createLecture(instructor, course.id, lectureInput());
		await addReading(instructor, course.id, id, reading('Gone'));
		await deleteLecture(instructor, course.id, id);
		expect(await db().select().from(readings).where(eq(readings.lectureId, id))).toEqual([]);
		await expectHttpError(getLecture(instructor, course.id, id), 404);
	});
});

describe('a lecture of another course', () => {
	it('is 404 through this course, even for staff of both, and is left alone', async () => {
		const { course: mine, instructor } = await makeCourse();
		const { course: theirs, instructor: theirInstructor } = await makeCourse();
		await asStudentOf(theirs, instructor);
		const foreign = await createLecture(theirInstructor, theirs.id, lectureInput());
		await expectNothingWritten(async () => {
			await expectHttpError(getLecture(instructor, mine.id, foreign), 404);
			await expectHttpError(
				updateLecture(instructor, mine.id, foreign, lectureInput({ title: 'Hijacked' })),
				404
			);
			await expectHttpError(deleteLecture(instructor, mine.id, foreign), 404);
			await expectHttpError(addReading(instructor, mine.id, foreign, reading('Spam')), 404);
		});
		// Through its own course the student may read it.
		const own = await getLecture(instructor, theirs.id, foreign);
		expect(own.role).toBe('student');
	});
});

describe('nextLecture', () => {
	it('skips lectures that have ended and keeps one that is running', async () => {
		const { course, instructor } = await makeCourse({ timeZone: 'Europe/Berlin' });
		const student = await asStudentOf(course);
		expect(await nextLecture(student, course.id)).toBeNull();

		const at = (offsetMs: number) =>
			utcToZonedLocal(new Date(Date.now() + offsetMs), 'Europe/Berlin');
		await createLecture(
			instructor,
			course.id,
			lectureInput({
				number: 1,
				title: 'Last week',
				startsAt: at(-7 * DAY),
				endsAt: at(-7 * DAY + 2 * HOUR)
			})
		);
		await createLecture(
			instructor,
			course.id,
			lectureInput({
				number: 3,
				title: 'Next week',
				startsAt: at(7 * DAY),
				endsAt: at(7 * DAY + 2 * HOUR)
			})
		);
		await createLecture(
			instructor,
			course.id,
			lectureInput({ number: 2, title: 'Tomorrow', startsAt: at(DAY), endsAt: at(DAY + 2 * HOUR) })
		);
		expect((await nextLecture(student, course.id))?.title).toBe('Tomorrow');

		await createLecture(
			instructor,
			course.id,
			lectureInput({ number: 4, title: 'Running', startsAt: at(-HOUR), endsAt: at(HOUR) })
		);
		expect((await nextLecture(student, course.id))?.title).toBe('Running');
	});

	it('is null when every lecture is over', async () => {
		const { course, instructor } = await makeCourse();
		const at = (offsetMs: number) =>
			utcToZonedLocal(new Date(Date.now() + offsetMs), course.timeZone);
		await createLecture(
			instructor,
			course.id,
			lectureInput({ startsAt: at(-3 * HOUR), endsAt: at(-HOUR) })
		);
		expect(await nextLecture(instructor, course.id)).toBeNull();
		expect(await listLectures(instructor, course.id)).toHaveLength(1);
	});
});
