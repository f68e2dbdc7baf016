import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { announcements, memberships, rosterEntries } from '$lib/server/db/schema';
import { signUp } from '$lib/server/auth/accounts';
import {
	RosterProblems,
	changeRole,
	importRoster,
	listMembers,
	listPendingRoster,
	removeMember,
	removePendingRosterEntry
} from '$lib/server/courses/roster';
import { listAnnouncements, postAnnouncement } from '$lib/server/announcements/service';
import { rotateJoinCode } from '$lib/server/courses/service';
import {
	asInstructorOf,
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	makeCourse,
	makeUser,
	nextRequest
} from './helpers';

async function membersOf(courseId: string) {
	const rows = await db()
		.select({ userId: memberships.userId, role: memberships.role })
		.from(memberships)
		.where(eq(memberships.courseId, courseId));
	return new Map(rows.map((r) => [r.userId, r.role]));
}

async function pendingOf(courseId: string) {
	return db()
		.select({ email: rosterEntries.email, name: rosterEntries.name, role: rosterEntries.role })
		.from(rosterEntries)
		.where(eq(rosterEntries.courseId, courseId))
		.orderBy(rosterEntries.email);
}

describe('importRoster', () => {
	it('with bad lines reports each of them and imports nothing', async () => {
		const { course, instructor } = await makeCourse();
		await makeUser('Existing', 'existing@example.org');
		const csv = [
			'email,name',
			'existing@example.org,Existing Person',
			'not-an-email,Broken',
			'fresh@example.org,Fresh Person',
			'fresh@example.org,Fresh Again'
		].join('\n');
		await expectNothingWritten(async () => {
			const e = await importRoster(instructor, course.id, {
				csv,
				role: 'student',
				onlyValid: false
			}).catch((e: unknown) => e);
			expect(e).toBeInstanceOf(RosterProblems);
			const problems = e as RosterProblems;
			expect(problems.problems.map((p) => p.line)).toEqual([3, 5]);
			expect(problems.problems[0].text).toBe('not-an-email,Broken');
			expect(problems.validCount).toBe(2);
			expect(problems.errors.csv).toMatch(/^2 line\(s\)/);
		});
	});

	it('with onlyValid imports the good lines: accounts at once, the others pending', async () => {
		const { course, instructor } = await makeCourse();
		const existing = await makeUser('Existing', 'has.account@example.org');
		const result = await importRoster(instructor, course.id, {
			csv: 'Has.Account@Example.org,Has Account\nbroken line\npending@example.org,Pending Person,ta',
			role: 'student',
			onlyValid: true
		});
		expect(result).toEqual({ enrolled: 1, pending: 1, alreadyMembers: 0 });
		const members = await membersOf(course.id);
		expect(members.get(existing.id)).toBe('student');
		expect(await pendingOf(course.id)).toEqual([
			{ email: 'pending@example.org', name: 'Pending Person', role: 'ta' }
		]);
		// Pending lines are visible to staff only.
		expect(await listPendingRoster(instructor, course.id)).toHaveLength(1);
		const student = await asStudentOf(course);
		expect(await listPendingRoster(student, course.id)).toEqual([]);
	});

	it('counts people who are already members and keeps their role', async () => {
		const { course, instructor } = await makeCourse();
		const ta = await asTaOf(course);
		const result = await importRoster(instructor, course.id, {
			csv: `${ta.email},${ta.name}`,
			role: 'student',
			onlyValid: false
		});
		expect(result).toEqual({ enrolled: 0, pending: 0, alreadyMembers: 1 });
		expect((await membersOf(course.id)).get(ta.id)).toBe('ta');
	});

	it('refuses a roster with no importable line even with onlyValid', async () => {
		const { course, instructor } = await makeCourse();
		await expectNothingWritten(async () => {
			await expectInputError(
				importRoster(instructor, course.id, {
					csv: 'nobody\nno one',
					role: 'student',
					onlyValid: true
				}),
				'csv'
			);
		});
	});

	it('enrolls pending people when they sign up, with the roster role, in every course', async () => {
		const { course: first, instructor } = await makeCourse({ title: 'First' });
		const { course: second, instructor: other } = await makeCourse({ title: 'Second' });
		await importRoster(instructor, first.id, {
			csv: 'later@example.org,Later Person,ta',
			role: 'student',
			onlyValid: false
		});
		await importRoster(other, second.id, {
			csv: 'later@example.org,Later Person',
			role: 'student',
			onlyValid: false
		});
		const unrelated = await makeCourse({ title: 'Unrelated' });

		const user = await signUp({
			name: 'Later Person',
			email: 'later@example.org',
			password: 'a good passphrase'
		});
		expect((await membersOf(first.id)).get(user.id)).toBe('ta');
		expect((await membersOf(second.id)).get(user.id)).toBe('student');
		expect((await membersOf(unrelated.course.id)).has(user.id)).toBe(false);
		expect(await pendingOf(first.id)).toEqual([]);
		expect(await pendingOf(second.id)).toEqual([]);
	});

	it('lets the instructor drop a pending line', async () => {
		const { course, instructor } = await makeCourse();
		await importRoster(instructor, course.id, {
			csv: 'a@example.org,A\nb@example.org,B',
			role: 'student',
			onlyValid: false
		});
		await removePendingRosterEntry(instructor, course.id, 'a@example.org');
		expect((await pendingOf(course.id)).map((p) => p.email)).toEqual(['b@example.org']);
	});
});

describe('instructors', () => {
	it('cannot demote or remove the last instructor', async () => {
		const { course, instructor } = await makeCourse();
		await asStudentOf(course);
		await expectNothingWritten(async () => {
			const demote = await expectInputError(
				changeRole(instructor, course.id, instructor.id, 'ta'),
				'role'
			);
			expect(demote.role).toMatch(/at least one instructor/);
			const remove = await expectInputError(
				removeMember(instructor, course.id, instructor.id),
				'userId'
			);
			expect(remove.userId).toMatch(/last instructor/);
		});
	});

	it('can step down once there is another instructor', async () => {
		const { course, instructor } = await makeCourse();
		const student = await asStudentOf(course);
		await changeRole(instructor, course.id, student.id, 'instructor');
		await changeRole(instructor, course.id, instructor.id, 'student');
		const members = await membersOf(course.id);
		expect(members.get(student.id)).toBe('instructor');
		expect(members.get(instructor.id)).toBe('student');
		// Even within the same request, the former instructor lost their rights at once.
		await expectNothingWritten(async () => {
			await expectHttpError(rotateJoinCode(instructor, course.id), 403);
		});
		// Now the former student is the last instructor.
		await expectInputError(changeRole(student, course.id, student.id, 'ta'), 'role');
	});

	it('may remove another instructor', async () => {
		const { course, instructor } = await makeCourse();
		const second = await asInstructorOf(course);
		await removeMember(instructor, course.id, second.id);
		expect((await membersOf(course.id)).has(second.id)).toBe(false);
	});

	it('gets 404 for changing someone who is not a member', async () => {
		const { course, instructor } = await makeCourse();
		const stranger = await makeUser('Stranger');
		await expectNothingWritten(async () => {
			await expectHttpError(changeRole(instructor, course.id, stranger.id, 'ta'), 404);
			await expectHttpError(removeMember(instructor, course.id, stranger.id), 404);
		});
	});
});

describe('listMembers', () => {
	it('shows emails to staff and hides them from students', async () => {
		const { course, instructor } = await makeCourse();
		const ta = await asTaOf(course);
		const student = await asStudentOf(course);
		const emails = new Set([instructor.email, ta.email, student.email]);

		for (const staff of [instructor, ta]) {
			const list = await listMembers(staff, course.id);
			expect(new Set(list.map((m) => m.email))).toEqual(emails);
		}
		const seenByStudent = await listMembers(student, course.id);
		expect(seenByStudent).toHaveLength(3);
		expect(seenByStudent.map((m) => m.email)).toEqual([null, null, null]);
		expect(new Set(seenByStudent.map((m) => m.userId))).toEqual(
			new Set([instructor.id, ta.id, student.id])
		);
	});
});

describe('removeMember', () => {
	it('keeps what the removed member wrote', async () => {
		const { course, instructor } = await makeCourse();
		const ta = await asTaOf(course);
		const id = await postAnnouncement(ta, course.id, {
			title: 'From the TA',
			body: 'Office hours moved',
			pinned: false
		});
		await removeMember(instructor, course.id, ta.id);
		expect((await membersOf(course.id)).has(ta.id)).toBe(false);
		const [row] = await db()
			.select()
			.from(announcements)
			.where(and(eq(announcements.id, id), eq(announcements.courseId, course.id)));
		expect(row).toMatchObject({ authorId: ta.id, title: 'From the TA' });
		const list = await listAnnouncements(instructor, course.id);
		expect(list.find((a) => a.id === id)?.authorName).toBe(ta.name);
		// And from their next request on, the removed member no longer sees the course.
		await expectHttpError(listAnnouncements(nextRequest(ta), course.id), 404);
	});
});
