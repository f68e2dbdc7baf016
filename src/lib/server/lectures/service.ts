import { and, asc, eq, gt, inArray, max, sql } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db, type Transaction } from '$lib/server/db';
import { isUniqueViolation } from '$lib/server/db/errors';
import { lectures, papers, readings } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { createOnce, InputError } from '$lib/server/forms';
import { newId } from '$lib/server/ids';
import { renderMarkdown } from '$lib/server/markdown';
import { requireMember, requireStaff } from '$lib/server/courses/access';
import { zonedLocalToUtc } from '$lib/time/zones';
import { PRESENTATION_DUE_AFTER_START, type ReadingKind } from '$lib/lectures/schemas';

export interface LectureInput {
	number: number;
	title: string;
	topic: string;
	description: string;
	/** Wall-clock "YYYY-MM-DDTHH:mm" in the course's time zone. */
	startsAt: string;
	endsAt: string;
	room: string;
	givenByInstructors: boolean;
	/** Wall-clock times like startsAt; empty for the default deadline. */
	paperCritiqueDueAt?: string;
	presentationCritiqueDueAt?: string;
}

export interface ReadingInput {
	title: string;
	url: string;
	kind: ReadingKind;
	required: boolean;
}

export type Lecture = typeof lectures.$inferSelect;
export type Reading = typeof readings.$inferSelect;

function toRow(input: LectureInput, timeZone: string) {
	const startsAt = zonedLocalToUtc(input.startsAt, timeZone);
	const endsAt = zonedLocalToUtc(input.endsAt, timeZone);
	if (!startsAt) throw new InputError({ startsAt: 'Start is not a valid date and time.' });
	if (!endsAt) throw new InputError({ endsAt: 'End is not a valid date and time.' });
	if (endsAt <= startsAt) throw new InputError({ endsAt: 'The lecture must end after it starts.' });
	const paperCritiqueDueAt = optionalInstant(input, 'paperCritiqueDueAt', timeZone);
	const presentationCritiqueDueAt = optionalInstant(input, 'presentationCritiqueDueAt', timeZone);
	if (presentationCritiqueDueAt && presentationCritiqueDueAt <= startsAt) {
		throw new InputError({ presentationCritiqueDueAt: PRESENTATION_DUE_AFTER_START });
	}
	return {
		number: input.number,
		title: input.title,
		topic: input.topic,
		description: input.description,
		descriptionHtml: renderMarkdown(input.description),
		startsAt,
		endsAt,
		room: input.room,
		givenByInstructors: input.givenByInstructors,
		paperCritiqueDueAt,
		presentationCritiqueDueAt,
		updatedAt: new Date()
	};
}

/** An optional deadline field as an instant; null (the default) when left empty. */
function optionalInstant(
	input: LectureInput,
	field: 'paperCritiqueDueAt' | 'presentationCritiqueDueAt',
	timeZone: string
): Date | null {
	const local = input[field];
	if (!local) return null;
	const instant = zonedLocalToUtc(local, timeZone);
	if (!instant) throw new InputError({ [field]: 'This is not a valid date and time.' });
	return instant;
}

function numberTaken(e: unknown, number: number): never {
	if (isUniqueViolation(e, 'lectures_course_number_unique')) {
		throw new InputError({ number: `Lecture ${number} already exists in this course.` });
	}
	throw e;
}

export async function listLectures(actor: SessionUser, courseId: string) {
	await requireMember(actor, courseId);
	const rows = await db()
		.select()
		.from(lectures)
		.where(eq(lectures.courseId, courseId))
		.orderBy(asc(lectures.startsAt), asc(lectures.number));
	// One query for every lecture's readings, with the paper behind each (if uploaded).
	const readingRows = rows.length
		? await db()
				.select({ reading: readings, paperId: papers.id })
				.from(readings)
				.leftJoin(papers, eq(papers.readingId, readings.id))
				.where(
					inArray(
						readings.lectureId,
						rows.map((r) => r.id)
					)
				)
				.orderBy(asc(readings.position))
		: [];
	return rows.map((lecture) => ({
		...lecture,
		readings: readingRows
			.filter((r) => r.reading.lectureId === lecture.id)
			.map((r) => ({ ...r.reading, paperId: r.paperId }))
	}));
}

/** The lecture that is running now or starts next, if any. */
export async function nextLecture(actor: SessionUser, courseId: string): Promise<Lecture | null> {
	await requireMember(actor, courseId);
	const [row] = await db()
		.select()
		.from(lectures)
		.where(and(eq(lectures.courseId, courseId), gt(lectures.endsAt, sql`now()`)))
		.orderBy(asc(lectures.startsAt))
		.limit(1);
	return row ?? null;
}

/** The course's lecture, or 404 (the caller checks the actor first). */
export async function lectureOf(courseId: string, lectureId: string): Promise<Lecture> {
	const [row] = await db()
		.select()
		.from(lectures)
		.where(and(eq(lectures.id, lectureId), eq(lectures.courseId, courseId)));
	if (!row) error(404, 'Not found');
	return row;
}

export async function getLecture(actor: SessionUser, courseId: string, lectureId: string) {
	const access = await requireMember(actor, courseId);
	const lecture = await lectureOf(courseId, lectureId);
	const lectureReadings = await db()
		.select()
		.from(readings)
		.where(eq(readings.lectureId, lectureId))
		.orderBy(asc(readings.position));
	return { ...access, lecture, readings: lectureReadings };
}

/** The number a new lecture most likely gets: one past the highest so far. */
export async function suggestedLectureNumber(
	actor: SessionUser,
	courseId: string
): Promise<number> {
	await requireStaff(actor, courseId);
	const [row] = await db()
		.select({ n: max(lectures.number) })
		.from(lectures)
		.where(eq(lectures.courseId, courseId));
	return (row?.n ?? 0) + 1;
}

export async function createLecture(
	actor: SessionUser,
	courseId: string,
	input: LectureInput,
	submission?: string
): Promise<string> {
	const { course } = await requireStaff(actor, courseId);
	try {
		return await createOnce(actor, submission, async (tx) => {
			const id = newId();
			await tx.insert(lectures).values({ id, courseId, ...toRow(input, course.timeZone) });
			return id;
		});
	} catch (e) {
		numberTaken(e, input.number);
	}
}

export async function updateLecture(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	input: LectureInput
): Promise<void> {
	const { course } = await requireStaff(actor, courseId);
	await lectureOf(courseId, lectureId);
	try {
		await db()
			.update(lectures)
			.set(toRow(input, course.timeZone))
			.where(and(eq(lectures.id, lectureId), eq(lectures.courseId, courseId)));
	} catch (e) {
		numberTaken(e, input.number);
	}
}

export async function deleteLecture(
	actor: SessionUser,
	courseId: string,
	lectureId: string
): Promise<void> {
	await requireStaff(actor, courseId);
	await lectureOf(courseId, lectureId);
	await db()
		.delete(lectures)
		.where(and(eq(lectures.id, lectureId), eq(lectures.courseId, courseId)));
}

export async function addReading(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	input: ReadingInput,
	submission?: string
): Promise<string> {
	await requireStaff(actor, courseId);
	await lectureOf(courseId, lectureId);
	return createOnce(actor, submission, (tx) => insertReading(tx, lectureId, input));
}

/** Appends a reading to a lecture's list; the caller has checked who may. */
export async function insertReading(
	tx: Transaction,
	lectureId: string,
	input: ReadingInput
): Promise<string> {
	const [row] = await tx
		.select({ n: max(readings.position) })
		.from(readings)
		.where(eq(readings.lectureId, lectureId));
	const id = newId();
	await tx.insert(readings).values({ id, lectureId, ...input, position: (row?.n ?? 0) + 1 });
	return id;
}

async function readingOf(courseId: string, lectureId: string, readingId: string) {
	await lectureOf(courseId, lectureId);
	const [row] = await db()
		.select({ id: readings.id })
		.from(readings)
		.where(and(eq(readings.id, readingId), eq(readings.lectureId, lectureId)));
	if (!row) error(404, 'Not found');
}

export async function updateReading(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	readingId: string,
	input: ReadingInput
): Promise<void> {
	await requireStaff(actor, courseId);
	await readingOf(courseId, lectureId, readingId);
	await db().update(readings).set(input).where(eq(readings.id, readingId));
}

export async function removeReading(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	readingId: string
): Promise<void> {
	await requireStaff(actor, courseId);
	await readingOf(courseId, lectureId, readingId);
	await db().delete(readings).where(eq(readings.id, readingId));
}
