import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { courses, memberships } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import {
	courseForInvite,
	createCourse,
	getCourse,
	joinWithCode,
	joinWithInvite,
	myCourses,
	resetInviteLink,
	rotateJoinCode,
	updateCourse
} from '$lib/server/courses/service';
import {
	changeRole,
	importRoster,
	listMembers,
	listPendingRoster,
	removeMember
} from '$lib/server/courses/roster';
import {
	deleteAnnouncement,
	editAnnouncement,
	listAnnouncements,
	postAnnouncement,
	setPinned
} from '$lib/server/announcements/service';
import {
	addReading,
	createLecture,
	deleteLecture,
	getLecture,
	listLectures,
	nextLecture,
	suggestedLectureNumber
} from '$lib/server/lectures/service';
import { calendarToken, resetCalendarToken } from '$lib/server/calendar/service';
import { joinSchema } from '$lib/courses/schemas';
import { utcToZonedLocal } from '$lib/time/zones';
import {
	asStudentOf,
	asTaOf,
	courseInput,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	lectureInput,
	makeCourse,
	makeUser
} from './helpers';

const DAY = 24 * 60 * 60 * 1000;

async function roleOf(courseId: string, userId: string) {
	const [row] = await db()
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.courseId, courseId), eq(memberships.userId, userId)));
	return row?.role;
}

async function courseRow(id: string) {
	const [row] = await db().select().from(courses).where(eq(courses.id, id));
	return row;
}

describe('createCourse', () => {
	it('makes the creator its only member, as instructor, and renders the Markdown', async () => {
		const owner = await makeUser('Creator');
		const course = await createCourse(
			owner,
			courseInput({ title: 'Seminar', description: 'Read **this** <script>x()</script>' })
		);
		const members = await db()
			.select()
			.from(memberships)
			.where(eq(memberships.courseId, course.id));
		expect(members.map((m) => [m.userId, m.role])).toEqual([[owner.id, 'instructor']]);
		const row = await courseRow(course.id);
		expect(row.title).toBe('Seminar');
		expect(row.descriptionHtml).toContain('<strong>this</strong>');
		expect(row.descriptionHtml).not.toContain('<script');
		expect(row.joinCode).toMatch(/^[A-Z2-9]{8}$/);
		await expect(getCourse(owner, course.id)).resolves.toMatchObject({ role: 'instructor' });
	});

	it('gives every course its own join code and invite link', async () => {
		const { course: a } = await makeCourse();
		const { course: b } = await makeCourse();
		expect(a.joinCode).not.toBe(b.joinCode);
		expect(a.inviteToken).not.toBe(b.inviteToken);
	});
});

describe('joining', () => {
	it('joins with a code as student, whatever case and dashes the person types', async () => {
		const { course } = await makeCourse();
		const student = await makeUser('Joiner');
		const typed = `${course.joinCode.slice(0, 4).toLowerCase()}-${course.joinCode.slice(4)}`;
		const { code } = joinSchema.parse({ code: ` ${typed} ` });
		const joined = await joinWithCode(student, code);
		expect(joined.id).toBe(course.id);
		expect(await roleOf(course.id, student.id)).toBe('student');
	});

	it('refuses an unknown code on the code field and writes nothing', async () => {
		await makeCourse();
		const someone = await makeUser('Lost');
		await expectNothingWritten(async () => {
			const errors = await expectInputError(joinWithCode(someone, 'ZZZZZZZZ'), 'code');
			expect(errors.code).toMatch(/No course has this join code/);
		});
	});

	it('keeps the role of someone who joins again', async () => {
		const { course } = await makeCourse();
		const ta = await asTaOf(course);
		await joinWithCode(ta, course.joinCode);
		await joinWithInvite(ta, course.inviteToken);
		expect(await roleOf(course.id, ta.id)).toBe('ta');
		const rows = await db().select().from(memberships).where(eq(memberships.userId, ta.id));
		expect(rows).toHaveLength(1);
	});

	it('joins through the invite link', async () => {
		const { course } = await makeCourse({ title: 'Invited course' });
		const guest = await makeUser('Guest');
		await expect(courseForInvite(course.inviteToken)).resolves.toEqual({
			id: course.id,
			title: 'Invited course'
		});
		await joinWithInvite(guest, course.inviteToken);
		expect(await roleOf(course.id, guest.id)).toBe('student');
	});

	it('makes the old code fail after the instructor rotates it', async () => {
		const { course, instructor } = await makeCourse();
		await rotateJoinCode(instructor, course.id);
		const { joinCode } = await courseRow(course.id);
		expect(joinCode).not.toBe(course.joinCode);
		const late = await makeUser('Late');
		await expectInputError(joinWithCode(late, course.joinCode), 'code');
		expect(await roleOf(course.id, late.id)).toBeUndefined();
		await joinWithCode(late, joinCode);
		expect(await roleOf(course.id, late.id)).toBe('student');
	});

	it('makes the old invite link 404 after it is reset', async () => {
		const { course, instructor } = await makeCourse();
		await resetInviteLink(instructor, course.id);
		const late = await makeUser('Late invitee');
		await expectHttpError(courseForInvite(course.inviteToken), 404);
		await expectHttpError(joinWithInvite(late, course.inviteToken), 404);
		expect(await roleOf(course.id, late.id)).toBeUndefined();
		const { inviteToken } = await courseRow(course.id);
		await joinWithInvite(late, inviteToken);
		expect(await roleOf(course.id, late.id)).toBe('student');
	});
});

describe('who may see and do what', () => {
	let course: Course;
	let instructor: SessionUser;
	let ta: SessionUser;
	let student: SessionUser;
	let outsider: SessionUser;
	let lectureId: string;
	let announcementId: string;

	beforeAll(async () => {
		({ course, instructor } = await makeCourse({ title: 'Guarded' }));
		ta = await asTaOf(course);
		student = await asStudentOf(course);
		outsider = await makeUser('Outsider');
		// The outsider runs a course of their own: being staff elsewhere gives nothing here.
		await makeCourse({ title: 'Elsewhere' }, outsider);
		lectureId = await createLecture(instructor, course.id, lectureInput());
		announcementId = await postAnnouncement(instructor, course.id, {
			title: 'Welcome',
			body: 'Hello',
			pinned: false
		});
	});

	const memberReads: [string, (actor: SessionUser | null, id: string) => Promise<unknown>][] = [
		['getCourse', (a, id) => getCourse(a, id)],
		['listLectures', (a, id) => listLectures(a!, id)],
		['nextLecture', (a, id) => nextLecture(a!, id)],
		['getLecture', (a, id) => getLecture(a!, id, lectureId)],
		['listAnnouncements', (a, id) => listAnnouncements(a!, id, { markSeen: true })],
		['listMembers', (a, id) => listMembers(a!, id)],
		['listPendingRoster', (a, id) => listPendingRoster(a!, id)],
		['calendarToken', (a, id) => calendarToken(a!, id)],
		['resetCalendarToken', (a, id) => resetCalendarToken(a!, id)]
	];

	it.each(memberReads)('%s answers a non-member with 404 and writes nothing', async (_, read) => {
		await expectNothingWritten(async () => {
			const message = await expectHttpError(read(outsider, course.id), 404);
			// The same answer as for a course that does not exist: ids reveal nothing.
			expect(await expectHttpError(read(outsider, 'no-such-course'), 404)).toBe(message);
		});
	});

	it.each(memberReads)('%s works for a student', async (_, read) => {
		await expect(read(student, course.id)).resolves.not.toThrow();
	});

	it('answers a visitor who is not signed in with 404', async () => {
		await expectHttpError(getCourse(null, course.id), 404);
	});

	const staffOnly: [string, (actor: SessionUser) => Promise<unknown>][] = [
		[
			'postAnnouncement',
			(a) => postAnnouncement(a, course.id, { title: 'x', body: 'y', pinned: true })
		],
		[
			'editAnnouncement',
			(a) => editAnnouncement(a, course.id, announcementId, { title: 'x', body: 'y', pinned: true })
		],
		['setPinned', (a) => setPinned(a, course.id, announcementId, true)],
		['deleteAnnouncement', (a) => deleteAnnouncement(a, course.id, announcementId)],
		['createLecture', (a) => createLecture(a, course.id, lectureInput({ number: 2 }))],
		['deleteLecture', (a) => deleteLecture(a, course.id, lectureId)],
		['suggestedLectureNumber', (a) => suggestedLectureNumber(a, course.id)],
		[
			'addReading',
			(a) =>
				addReading(a, course.id, lectureId, {
					title: 'Paper',
					url: '',
					kind: 'paper',
					required: true
				})
		]
	];
	const instructorOnly: [string, (actor: SessionUser) => Promise<unknown>][] = [
		['updateCourse', (a) => updateCourse(a, course.id, courseInput({ title: 'Taken over' }))],
		['rotateJoinCode', (a) => rotateJoinCode(a, course.id)],
		['resetInviteLink', (a) => resetInviteLink(a, course.id)],
		['changeRole', (a) => changeRole(a, course.id, student.id, 'instructor')],
		['removeMember', (a) => removeMember(a, course.id, instructor.id)],
		[
			'importRoster',
			(a) =>
				importRoster(a, course.id, {
					csv: 'new@example.org,New Person',
					role: 'instructor',
					onlyValid: false
				})
		]
	];

	it.each([...staffOnly, ...instructorOnly])(
		'%s answers a student with 403 and changes nothing',
		async (_, act) => {
			await expectNothingWritten(async () => {
				await expectHttpError(act(student), 403);
			});
		}
	);

	it.each(instructorOnly)('%s answers a TA with 403 and changes nothing', async (_, act) => {
		await expectNothingWritten(async () => {
			await expectHttpError(act(ta), 403);
		});
	});

	it.each([...staffOnly, ...instructorOnly])(
		'%s answers a non-member with 404 and changes nothing',
		async (_, act) => {
			await expectNothingWritten(async () => {
				await expectHttpError(act(outsider), 404);
			});
		}
	);

	it('lets a TA post announcements and create lectures', async () => {
		const id = await postAnnouncement(ta, course.id, {
			title: 'From the TA',
			body: 'b',
			pinned: false
		});
		const list = await listAnnouncements(student, course.id);
		expect(list.map((a) => a.id)).toContain(id);
		const lecture = await createLecture(ta, course.id, lectureInput({ number: 40 }));
		expect((await getLecture(student, course.id, lecture)).lecture.number).toBe(40);
	});

	it('lets the instructor update the course', async () => {
		await updateCourse(
			instructor,
			course.id,
			courseInput({ title: 'Renamed', timeZone: 'Asia/Tokyo' })
		);
		const row = await courseRow(course.id);
		expect(row).toMatchObject({ title: 'Renamed', timeZone: 'Asia/Tokyo' });
	});
});

describe('myCourses', () => {
	it('lists only the actor’s courses, with role and the next lecture that has not ended', async () => {
		const me = await makeUser('Dashboard');
		const { course: taught } = await makeCourse({ title: 'B taught' }, me);
		const { course: attended, instructor } = await makeCourse({ title: 'A attended' });
		await asStudentOf(attended, me);
		await makeCourse({ title: 'C not mine' });

		const zone = 'Europe/Berlin';
		const local = (offsetMs: number) => utcToZonedLocal(new Date(Date.now() + offsetMs), zone);
		await createLecture(
			instructor,
			attended.id,
			lectureInput({ number: 1, startsAt: local(-8 * DAY), endsAt: local(-8 * DAY + 2 * 3600_000) })
		);
		await createLecture(
			instructor,
			attended.id,
			lectureInput({
				number: 3,
				title: 'Later',
				startsAt: local(9 * DAY),
				endsAt: local(9 * DAY + 3600_000)
			})
		);
		await createLecture(
			instructor,
			attended.id,
			lectureInput({
				number: 2,
				title: 'Soon',
				startsAt: local(2 * DAY),
				endsAt: local(2 * DAY + 3600_000)
			})
		);

		const mine = await myCourses(me);
		expect(mine.map((c) => [c.title, c.role])).toEqual([
			['A attended', 'student'],
			['B taught', 'instructor']
		]);
		expect(mine[0].nextLecture).toMatchObject({ number: 2, title: 'Soon' });
		expect(mine[1].nextLecture).toBeNull();
		expect(mine[1].id).toBe(taught.id);
	});
});
