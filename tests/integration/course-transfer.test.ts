import { gunzipSync } from 'node:zlib';
import { and, count, eq, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { annotations, courses, decks, memberships, users } from '$lib/server/db/schema';
import { importRoster } from '$lib/server/courses/roster';
import { setCritiqueForm, setRevealRule } from '$lib/server/critiques/service';
import { DEFAULT_FORMS } from '$lib/critiques/forms';
import { addAdjustment, setRules } from '$lib/server/participation/service';
import { DEFAULT_RULES } from '$lib/participation/rules';
import { setGradeSettings } from '$lib/server/grades/gradebook';
import { editAnnotation } from '$lib/server/annotations/service';
import { addDeckImage } from '$lib/server/decks/images';
import { pngImage } from '../fixtures/images';
import { seedDemo } from '$lib/server/demo/seed';
import { COURSE, INSTRUCTOR, STUDENTS } from '$lib/server/demo/content';
import type { SessionUser } from '$lib/server/auth/session';
import { signIn, signUp } from '$lib/server/auth/accounts';
import { InputError } from '$lib/server/forms';
import { exportCourse, importCourse, readCourse } from '$lib/server/transfer/service';
import type { CourseExport } from '$lib/server/transfer/format';
import { replaceIds } from '$lib/transfer/ids';
import { expectHttpError } from './helpers';

let instructor: SessionUser;
let student: SessionUser;
let courseId: string;
let original: CourseExport;

async function account(email: string): Promise<SessionUser> {
	const [u] = await db().select().from(users).where(eq(users.email, email));
	return { id: u.id, email: u.email, name: u.name };
}

beforeAll(async () => {
	await seedDemo(db());
	instructor = await account(INSTRUCTOR.email);
	student = await account(STUDENTS[0].email);
	[{ id: courseId }] = await db().select().from(courses).where(eq(courses.title, COURSE.title));
	await fillWhatTheDemoLeavesEmpty();
	original = await readCourse(instructor, courseId);
});

/** Rows of the tables the demo does not fill, made through the services as people do. */
async function fillWhatTheDemoLeavesEmpty() {
	await importRoster(instructor, courseId, {
		csv: 'email,name\nlater@example.org,Lara Later',
		role: 'student',
		onlyValid: true
	});
	await setRevealRule(instructor, courseId, 'after_deadline');
	await setCritiqueForm(instructor, courseId, 'paper', DEFAULT_FORMS.paper.slice(0, 3));
	await setRules(instructor, courseId, { ...DEFAULT_RULES, capPerLecture: 7 });
	await addAdjustment(instructor, courseId, student.id, {
		points: 1.5,
		reason: 'Led a discussion'
	});
	await setGradeSettings(instructor, courseId, {
		presentation: '60',
		miniProjects: '30',
		participation: '10',
		bestMiniProjects: '2',
		ofMiniProjects: '3'
	});
	const [note] = await db()
		.select()
		.from(annotations)
		.where(and(eq(annotations.authorId, student.id), isNull(annotations.parentId)));
	await editAnnotation(student, courseId, note.paperId, note.id, {
		body: `${note.body} (edited)`,
		tags: note.tags,
		visibility: note.visibility
	});
	const [deck] = await db().select().from(decks).where(eq(decks.courseId, courseId));
	await addDeckImage(instructor, courseId, deck.lectureId, {
		name: 'plot.png',
		bytes: pngImage(40, 30, 77)
	});
}

/**
 * An export with its ids replaced by names that do not depend on the installation: people
 * by email order, then each table's rows in the order of their content (with the names
 * of what they point at), so two exports of the same course are equal.
 */
function normalized(document: CourseExport) {
	const names = new Map(document.people.map((p, i) => [p.id, `person-${i}`]));
	const named = <T>(value: T, unknown = (id: string) => id) =>
		replaceIds(value, (id) => names.get(id) ?? unknown(id));
	for (const [table, rows] of Object.entries(document.tables)) {
		const order = rows
			.map((row) => ({ row, key: JSON.stringify(named(row, () => '?')) }))
			.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
		order.forEach(({ row }, i) => {
			if (typeof row.id === 'string') names.set(row.id, `${table}-${i}`);
		});
	}
	const tables = Object.fromEntries(
		Object.entries(document.tables).map(([table, rows]) => [
			table,
			rows.map((row) => JSON.stringify(named(row))).sort()
		])
	);
	return { people: named(document.people), tables, files: document.files };
}

function withFile(change: (document: CourseExport) => void): Uint8Array {
	const copy = structuredClone(original);
	change(copy);
	return new TextEncoder().encode(JSON.stringify(copy));
}

async function refused(bytes: Uint8Array): Promise<string> {
	const before = await db().select({ n: count() }).from(courses);
	const error = await importCourse(instructor, bytes).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(InputError);
	expect(await db().select({ n: count() }).from(courses)).toEqual(before);
	return (error as InputError).errors.file;
}

describe('course export and import', () => {
	it('round-trips the demo course: the export of the import equals the export', async () => {
		const counts = Object.fromEntries(
			Object.entries(original.tables).map(([table, rows]) => [table, rows.length])
		);
		// Every table has rows to compare.
		for (const [table, n] of Object.entries(counts)) expect(n, table).toBeGreaterThan(0);
		expect(original.files.length).toBeGreaterThan(0);

		const file = await exportCourse(instructor, courseId);
		expect(file.fileName).toMatch(/\.podium-course\.json\.gz$/);
		const copyId = await importCourse(instructor, file.body);
		expect(copyId).not.toBe(courseId);
		const copy = await readCourse(instructor, copyId);
		expect(normalized(copy)).toEqual(normalized(original));
		// The comparison sees a reference moved to someone else, not only changed values.
		const moved = structuredClone(copy);
		const vote = moved.tables.annotationVotes[0];
		vote.userId = moved.people.find((p) => p.id !== vote.userId)!.id;
		expect(normalized(moved)).not.toEqual(normalized(original));
		expect(JSON.parse(gunzipSync(file.body).toString()).format).toBe('podium-course');

		// The copy has its own join code, invite link and calendar feeds.
		const [a, b] = await Promise.all(
			[courseId, copyId].map((id) => db().select().from(courses).where(eq(courses.id, id)))
		);
		expect(b[0].joinCode).not.toBe(a[0].joinCode);
		expect(b[0].inviteToken).not.toBe(a[0].inviteToken);
	});

	it('lets only instructors export', async () => {
		await expectHttpError(readCourse(student, courseId), 403);
	});

	it('makes accounts without a password for people not here, which they take over by signing up', async () => {
		const someone = original.people.find((p) => p.email === STUDENTS[1].email)!;
		const bytes = withFile((d) => {
			someone.email = 'newcomer@example.net';
			d.people = d.people.map((p) => (p.id === someone.id ? someone : p));
		});
		const copyId = await importCourse(instructor, bytes);
		const newcomer = await account('newcomer@example.net');
		await expect(
			signIn({ email: 'newcomer@example.net', password: '', address: '192.0.2.1' })
		).rejects.toBeInstanceOf(InputError);
		const signedUp = await signUp({
			name: 'New Comer',
			email: 'newcomer@example.net',
			password: 'a long enough password'
		});
		expect(signedUp.id).toBe(newcomer.id);
		const [membership] = await db()
			.select()
			.from(memberships)
			.where(eq(memberships.userId, newcomer.id));
		expect(membership.courseId).toBe(copyId);
		const written = await db()
			.select()
			.from(annotations)
			.where(eq(annotations.authorId, newcomer.id));
		expect(written.length).toBe(
			original.tables.annotations.filter((a) => a.authorId === someone.id).length
		);
	});

	it('makes the importer an instructor of the copy, and sanitizes HTML from the file', async () => {
		const copyId = await importCourse(
			student,
			withFile((d) => {
				d.tables.announcements[0].bodyHtml =
					'<p>Hi<img src=x onerror="alert(1)"></p><script>alert(2)</script>';
			})
		);
		const mine = await db().select().from(memberships).where(eq(memberships.userId, student.id));
		expect(mine.find((m) => m.courseId === copyId)?.role).toBe('instructor');
		const copy = await readCourse(student, copyId);
		const html = copy.tables.announcements.map((a) => a.bodyHtml).join('\n');
		expect(html).toContain('<p>Hi<img src="x"></p>');
		expect(html).not.toMatch(/onerror|<script/);
	});

	it('refuses a broken or hostile file with a clear message and writes nothing', async () => {
		expect(await refused(new TextEncoder().encode('not json'))).toMatch(/not valid JSON/);
		expect(await refused(new TextEncoder().encode('{"format":"other"}'))).toMatch(
			/does not say it is one/
		);
		expect(
			await refused(withFile((d) => (d.tables.lectures[0].title = 42 as unknown as string)))
		).toMatch(/tables\.lectures\.0\.title/);
		expect(await refused(withFile((d) => (d.tables.lectures[0].sneaky = 'extra')))).toMatch(
			/tables\.lectures\.0/
		);
		// A row may not join a course that is not in the file.
		const [other] = await db().select().from(courses).limit(1);
		const elsewhere = withFile((d) => {
			d.tables.announcements[0].courseId = other.id === courseId ? 'a'.repeat(24) : other.id;
		});
		expect(await refused(elsewhere)).toMatch(/belongs to another course/);
		expect(
			await refused(withFile((d) => (d.tables.critiques[0].lectureId = 'b'.repeat(24))))
		).toMatch(/critiques\.lectureId points at b+, which is not in the file/);
		expect(
			await refused(withFile((d) => (d.tables.annotations[0].target = { kind: 'anything' })))
		).toMatch(/tables\.annotations\.0\.target: not the shape Podium stores here/);
		expect(
			await refused(withFile((d) => (d.files[0].base64 = Buffer.from('other').toString('base64'))))
		).toMatch(/do not match its hash/);
		const swapped = (d: CourseExport, from: string, to: string) => {
			const file = d.files.find((f) => f.contentType === from)!;
			file.contentType = to as typeof file.contentType;
		};
		expect(await refused(withFile((d) => swapped(d, 'image/png', 'image/gif')))).toMatch(
			/is not the image\/gif image it claims/
		);
		expect(await refused(withFile((d) => swapped(d, 'image/png', 'application/pdf')))).toMatch(
			/is not a PDF Podium accepts/
		);
		expect(
			await refused(withFile((d) => (d.files[0].contentType = 'text/html' as 'application/pdf')))
		).toMatch(/files\.0\.contentType/);
		// Fails in the database, after many rows were written: the transaction takes them back.
		expect(
			await refused(
				withFile((d) => d.tables.lectures.push({ ...d.tables.lectures[0], id: 'c'.repeat(24) }))
			)
		).toMatch(/./);
	});
});
