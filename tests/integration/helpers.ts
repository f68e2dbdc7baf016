import { createHash } from 'node:crypto';
import { isHttpError } from '@sveltejs/kit';
import { expect } from 'vitest';
import { db } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import { hashPassword } from '$lib/server/auth/password';
import type { SessionUser } from '$lib/server/auth/session';
import { InputError } from '$lib/server/forms';
import { newId, newSecret } from '$lib/server/ids';
import type { Course } from '$lib/server/courses/access';
import { createCourse, type CourseInput } from '$lib/server/courses/service';
import type { LectureInput } from '$lib/server/lectures/service';
import type { Role } from '$lib/courses/roles';
import { describeText, type TextTarget } from '$lib/annotations/anchoring';
import { documentText, type DocumentText } from '$lib/papers/page-text';
import { paperText } from '$lib/server/papers/service';

/** The password of every account made by `makeUser`. */
export const PASSWORD = 'correct horse battery staple';

// argon2id costs ~50 ms a hash: hash once per file and share it.
let sharedHash: Promise<string> | undefined;
let userCount = 0;

/** Inserts an account straight into the table (no sign-up, one shared hash). */
export async function makeUser(name: string, email?: string): Promise<SessionUser> {
	sharedHash ??= hashPassword(PASSWORD);
	userCount += 1;
	const user = {
		id: newId(),
		name,
		email: email ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${userCount}@example.org`
	};
	await db()
		.insert(schema.users)
		.values({ ...user, passwordHash: await sharedHash });
	return user;
}

/**
 * The same person in a new request. Services remember a request's course access by the
 * actor object (as `locals.user` is one object per request), so a test that changes
 * someone's membership and then acts as them again passes a fresh copy, like the app.
 */
export function nextRequest(user: SessionUser): SessionUser {
	return { ...user };
}

export function courseInput(overrides: Partial<CourseInput> = {}): CourseInput {
	return {
		title: 'Topics in Machine Learning',
		description: 'We read **papers**.',
		logistics: '',
		contact: '',
		gradingPolicy: '',
		timeZone: 'Europe/Berlin',
		...overrides
	};
}

/** A course run by a new instructor. */
export async function makeCourse(
	overrides: Partial<CourseInput> = {},
	instructor?: SessionUser
): Promise<{ course: Course; instructor: SessionUser }> {
	const owner = instructor ?? (await makeUser('Instructor'));
	const course = await createCourse(owner, courseInput(overrides));
	return { course, instructor: owner };
}

const DEFAULT_NAMES: Record<Role, string> = {
	instructor: 'Ines Instructor',
	ta: 'Tariq Assistant',
	student: 'Stella Student'
};

/** Puts `user` (or a new account) into the course with `role`, without any service. */
export async function enroll(
	courseId: string,
	role: Role,
	user?: SessionUser
): Promise<SessionUser> {
	const member = user ?? (await makeUser(DEFAULT_NAMES[role]));
	await db()
		.insert(schema.memberships)
		.values({ courseId, userId: member.id, role, calendarToken: newSecret() });
	return member;
}

export const asStudentOf = (course: { id: string }, user?: SessionUser) =>
	enroll(course.id, 'student', user);
export const asTaOf = (course: { id: string }, user?: SessionUser) => enroll(course.id, 'ta', user);
export const asInstructorOf = (course: { id: string }, user?: SessionUser) =>
	enroll(course.id, 'instructor', user);

export function lectureInput(overrides: Partial<LectureInput> = {}): LectureInput {
	return {
		number: 1,
		title: 'Attention is all you need',
		topic: 'Transformers',
		description: '',
		startsAt: '2026-12-09T16:00',
		endsAt: '2026-12-09T18:00',
		room: 'HS 1',
		givenByInstructors: false,
		...overrides
	};
}

/** Expects `promise` to fail with SvelteKit's `error(status)`; returns its message. */
export async function expectHttpError(promise: Promise<unknown>, status: number): Promise<string> {
	const e = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(e, `expected an HttpError ${status}`).toBeDefined();
	if (!isHttpError(e)) throw e;
	expect(e.status).toBe(status);
	return e.body.message;
}

/** Expects `promise` to fail with an InputError naming `field`; returns all its messages. */
export async function expectInputError(
	promise: Promise<unknown>,
	field: string
): Promise<Record<string, string>> {
	const e = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(e, `expected an InputError on "${field}"`).toBeInstanceOf(InputError);
	const errors = (e as InputError).errors;
	expect(Object.keys(errors)).toContain(field);
	return errors;
}

const TABLES = {
	users: schema.users,
	sessions: schema.sessions,
	loginThrottles: schema.loginThrottles,
	courses: schema.courses,
	memberships: schema.memberships,
	rosterEntries: schema.rosterEntries,
	announcements: schema.announcements,
	lectures: schema.lectures,
	readings: schema.readings,
	lecturePresenters: schema.lecturePresenters,
	files: schema.files,
	papers: schema.papers,
	paperPages: schema.paperPages,
	annotations: schema.annotations,
	annotationRevisions: schema.annotationRevisions,
	annotationVotes: schema.annotationVotes,
	activity: schema.activity,
	decks: schema.decks,
	deckRevisions: schema.deckRevisions,
	critiques: schema.critiques,
	critiqueVersions: schema.critiqueVersions,
	critiqueCitations: schema.critiqueCitations,
	critiqueReplies: schema.critiqueReplies,
	critiqueVotes: schema.critiqueVotes,
	critiqueForms: schema.critiqueForms,
	critiqueSettings: schema.critiqueSettings,
	notifications: schema.notifications,
	deckCitations: schema.deckCitations,
	deckImages: schema.deckImages,
	talks: schema.talks,
	talkQuestions: schema.talkQuestions,
	talkQuestionVotes: schema.talkQuestionVotes,
	auditLog: schema.auditLog,
	presentationGrades: schema.presentationGrades,
	presentationAdjustments: schema.presentationAdjustments,
	miniProjects: schema.miniProjects,
	miniProjectSubmissions: schema.miniProjectSubmissions,
	miniProjectGrades: schema.miniProjectGrades,
	participationRules: schema.participationRules,
	participationAdjustments: schema.participationAdjustments,
	gradeSettings: schema.gradeSettings,
	formSubmissions: schema.formSubmissions
};

/** Rows as JSON; stored bytes (files) as their SHA-256, so snapshots stay small. */
const rowJson = (row: unknown) =>
	JSON.stringify(row, (_key, value: unknown) =>
		value instanceof Uint8Array
			? `sha256:${createHash('sha256').update(value).digest('hex')}`
			: value
	);

/**
 * Every row of every table, in a stable order: compare two of these around a refused
 * call to prove that it wrote nothing.
 */
export async function snapshotTables(): Promise<Record<string, string[]>> {
	const snapshot: Record<string, string[]> = {};
	for (const [name, table] of Object.entries(TABLES)) {
		const rows = await db().select().from(table);
		snapshot[name] = rows.map(rowJson).sort();
	}
	return snapshot;
}

/** Runs `act`, which must be refused, and checks that the database is exactly as before. */
export async function expectNothingWritten(act: () => Promise<unknown>): Promise<void> {
	const before = await snapshotTables();
	await act();
	expect(await snapshotTables()).toEqual(before);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The document text of a paper, as the browser builds it, to describe annotation targets. */
export async function paperDocument(
	actor: SessionUser,
	courseId: string,
	paperId: string
): Promise<DocumentText> {
	const { pages } = await paperText(actor, courseId, paperId);
	return documentText(pages.map((p) => p.text));
}

/** A text target on the first occurrence of `phrase` at or after `from` in the document text. */
export function passage(doc: DocumentText, phrase: string, from = 0): TextTarget {
	const start = doc.text.indexOf(phrase, from);
	if (start < 0) throw new Error(`"${phrase}" is not in the paper`);
	return describeText(doc, start, start + phrase.length);
}
