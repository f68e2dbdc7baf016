import { formatInTimeZone } from 'date-fns-tz';
import type { Database } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import { hashPassword } from '$lib/server/auth/password';
import { newId } from '$lib/server/ids';
import { createCourse, joinWithCode } from '$lib/server/courses/service';
import { changeRole } from '$lib/server/courses/roster';
import { addReading, createLecture } from '$lib/server/lectures/service';
import { postAnnouncement } from '$lib/server/announcements/service';
import type { SessionUser } from '$lib/server/auth/session';
import {
	COURSE,
	DEMO_PASSWORD,
	INSTRUCTOR,
	LECTURES,
	STUDENTS,
	TA,
	ANNOUNCEMENTS
} from './content';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Wednesdays at 16:00–18:00 in the course's zone: the first lecture a week ago
 * (given by the instructors), the others weekly from tomorrow's week on, so a new user
 * sees a past lecture and a next one.
 */
function lectureDays(count: number, timeZone: string, now = new Date()): string[] {
	const days: string[] = [];
	let day = new Date(now.getTime() - 7 * DAY_MS);
	while (formatInTimeZone(day, timeZone, 'i') !== '3') day = new Date(day.getTime() + DAY_MS);
	for (let i = 0; i < count; i++) {
		days.push(formatInTimeZone(new Date(day.getTime() + i * 7 * DAY_MS), timeZone, 'yyyy-MM-dd'));
	}
	return days;
}

/** Creates the demo course of the course page, through the same services people use. */
export async function seedDemo(database: Database): Promise<void> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const people = [INSTRUCTOR, TA, ...STUDENTS].map((p) => ({ id: newId(), ...p }));
	await database.insert(users).values(people.map((p) => ({ ...p, passwordHash })));
	const [instructor, ta, ...students] = people as SessionUser[];

	const course = await createCourse(instructor, COURSE);
	for (const person of [ta, ...students]) await joinWithCode(person, course.joinCode);
	await changeRole(instructor, course.id, ta.id, 'ta');

	const days = lectureDays(LECTURES.length, COURSE.timeZone);
	for (const [i, lecture] of LECTURES.entries()) {
		const lectureId = await createLecture(instructor, course.id, {
			number: i + 1,
			title: lecture.title,
			topic: lecture.topic,
			description: lecture.description,
			startsAt: `${days[i]}T16:00`,
			endsAt: `${days[i]}T18:00`,
			room: 'E1 5, room 029',
			givenByInstructors: i === 0
		});
		for (const reading of lecture.readings) {
			await addReading(instructor, course.id, lectureId, reading);
		}
	}
	for (const a of ANNOUNCEMENTS) {
		await postAnnouncement(a.byTa ? ta : instructor, course.id, a);
	}
}

export function demoAccountsText(): string {
	return [
		'',
		'Demo course "Systems for Large (Language) Models" created. Sign in with:',
		`  instructor  ${INSTRUCTOR.email}`,
		`  TA          ${TA.email}`,
		...STUDENTS.map((s) => `  student     ${s.email}`),
		`  password for every demo account: ${DEMO_PASSWORD}`,
		''
	].join('\n');
}
