import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { recordActivity } from '$lib/server/activity/record';
import { newId } from '$lib/server/ids';
import { textFingerprint } from '$lib/participation/fingerprint';
import { courseDashboard } from '$lib/server/grades/dashboard';
import {
	exportGradebook,
	gradebook,
	gradeSettingsOf,
	myGrades,
	setGradeSettings
} from '$lib/server/grades/gradebook';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectInputError,
	lectureInput,
	makeCourse,
	makeUser
} from './helpers';

let course: Course;
let instructor: SessionUser;
let ta: SessionUser;
let ada: SessionUser;
let ben: SessionUser;
let lecture: string;

const settings = {
	presentation: '60',
	miniProjects: '30',
	participation: '10',
	bestMiniProjects: '2',
	ofMiniProjects: '3'
};

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course);
	ada = await asStudentOf(course, await makeUser('Ada Lovelace', 'ada@example.org'));
	ben = await asStudentOf(course, await makeUser('Ben Bitdiddle', 'ben@example.org'));
	// Held in the past, so participation counts it.
	lecture = await createLecture(
		instructor,
		course.id,
		lectureInput({ number: 1, startsAt: '2025-01-09T16:00', endsAt: '2025-01-09T18:00' })
	);
	await db().insert(schema.lecturePresenters).values({ lectureId: lecture, userId: ada.id });
	await db()
		.insert(schema.presentationGrades)
		.values({
			lectureId: lecture,
			courseId: course.id,
			scores: { content: 8, delivery: 8 },
			rubric: [
				{ key: 'content', label: 'Content', max: 10 },
				{ key: 'delivery', label: 'Delivery', max: 10 }
			]
		});
	await db()
		.insert(schema.presentationAdjustments)
		.values({ lectureId: lecture, userId: ada.id, points: 5, reason: 'Led the discussion' });
	const project = newId();
	await db().insert(schema.miniProjects).values({
		id: project,
		courseId: course.id,
		lectureId: lecture,
		title: 'Reproduce a result',
		maxPoints: 50
	});
	await db()
		.insert(schema.miniProjectGrades)
		.values({ miniProjectId: project, userId: ada.id, points: 45 });
	// A full-length critique: 3 of the 6 points the lecture allows.
	await recordActivity(db(), {
		courseId: course.id,
		userId: ben.id,
		lectureId: lecture,
		kind: 'critique_submitted',
		subjectType: 'critique',
		subjectId: newId(),
		details: { length: 400 }
	});
});

describe('gradebook', () => {
	it('computes every part and the final grade by the default weights', async () => {
		const book = await gradebook(ta, course.id);
		expect(book.settings.weights).toEqual({
			presentation: 70,
			miniProjects: 20,
			participation: 10
		});
		const [adaRow, benRow] = book.students;
		expect(adaRow).toMatchObject({
			name: 'Ada Lovelace',
			presentationPercent: 85,
			miniProjectPercents: [90],
			participationPercent: 0
		});
		// Best 3 of 5: 90, 0, 0.
		expect(adaRow.miniProjects).toBeCloseTo(30);
		expect(adaRow.final).toBeCloseTo(0.7 * 85 + 0.2 * 30);
		expect(benRow).toMatchObject({ presentationPercent: null, participationPercent: 50 });
		expect(benRow.final).toBeCloseTo(5);
	});

	it('shows a student their own row only and refuses them the table', async () => {
		const mine = await myGrades(ben, course.id);
		expect(mine?.grades.userId).toBe(ben.id);
		expect(JSON.stringify(mine)).not.toContain('Ada');
		expect(await myGrades(ta, course.id)).toBeNull();
		await expectHttpError(gradebook(ben, course.id), 403);
		await expectHttpError(gradebook(await makeUser('Stranger'), course.id), 404);
	});

	it('exports for instructors only', async () => {
		await expectHttpError(exportGradebook(ta, course.id, 'moodle'), 403);
		await expectHttpError(exportGradebook(ada, course.id, 'json'), 403);
		const moodle = await exportGradebook(instructor, course.id, 'moodle');
		const rows = Papa.parse<string[]>(moodle.body.trim()).data;
		expect(rows[0][0]).toBe('Email address');
		expect(rows.slice(1).map((r) => r[0])).toEqual(['ada@example.org', 'ben@example.org']);
		expect(rows[1][rows[0].indexOf('Presentation')]).toBe('85.00');
		const canvas = await exportGradebook(instructor, course.id, 'canvas');
		expect(Papa.parse<string[]>(canvas.body.trim()).data[1].slice(0, 4)).toEqual([
			'Ada Lovelace',
			'',
			'',
			'ada@example.org'
		]);
		const json = JSON.parse((await exportGradebook(instructor, course.id, 'json')).body);
		expect(json.students).toHaveLength(2);
	});

	it('refuses bad settings with a clear message and saves nothing', async () => {
		const errors = await expectInputError(
			setGradeSettings(instructor, course.id, { ...settings, participation: '5' }),
			'weights'
		);
		expect(errors.weights).toBe('The weights add up to 95 %; they must add up to 100 %.');
		await expectInputError(
			setGradeSettings(instructor, course.id, { ...settings, bestMiniProjects: '4' }),
			'bestMiniProjects'
		);
		await expectHttpError(setGradeSettings(ta, course.id, settings), 403);
		expect(await db().select().from(schema.gradeSettings)).toEqual([]);
		expect(await db().select().from(schema.auditLog)).toEqual([]);
	});

	it('saves settings with an audit row and uses them', async () => {
		await setGradeSettings(instructor, course.id, settings);
		expect(await gradeSettingsOf(course.id)).toEqual({
			weights: { presentation: 60, miniProjects: 30, participation: 10 },
			bestMiniProjects: 2,
			ofMiniProjects: 3
		});
		const [entry] = await db()
			.select()
			.from(schema.auditLog)
			.where(eq(schema.auditLog.courseId, course.id));
		expect(entry).toMatchObject({
			actorId: instructor.id,
			action: 'grade_settings_changed',
			before: { weights: { presentation: 70, miniProjects: 20, participation: 10 } },
			after: { bestMiniProjects: 2, ofMiniProjects: 3 }
		});
		const ada1 = (await gradebook(instructor, course.id)).students[0];
		expect(ada1.miniProjects).toBeCloseTo(45);
		expect(ada1.final).toBeCloseTo(0.6 * 85 + 0.3 * 45);
	});
});

describe('dashboard', () => {
	it('is for staff only', async () => {
		await expectHttpError(courseDashboard(ada, course.id), 403);
	});

	it('tabulates participation and flags likely padding without changing anything', async () => {
		const cleo = await asStudentOf(course, await makeUser('Cleo Padding'));
		const start = Date.parse('2025-01-09T17:00:00Z');
		const bodies = [
			'A long enough comment about the scaling law in section three.',
			'A long enough comment about the scaling law in section three!',
			'ok',
			'Another point entirely about the optimizer state and its memory.',
			'Why does the second figure use a log scale on only one axis?'
		];
		for (const [i, body] of bodies.entries()) {
			await recordActivity(db(), {
				courseId: course.id,
				userId: cleo.id,
				lectureId: lecture,
				kind: 'annotation_created',
				subjectType: 'annotation',
				subjectId: newId(),
				occurredAt: new Date(start + i * 60_000),
				details: { length: body.length, fingerprint: textFingerprint(body) }
			});
		}
		const before = await db().select().from(schema.activity);
		const dashboard = await courseDashboard(instructor, course.id);
		expect(dashboard.rows.map((r) => r.name).sort()).toEqual([
			'Ada Lovelace',
			'Ben Bitdiddle',
			'Cleo Padding'
		]);
		expect(dashboard.rows.find((r) => r.userId === ben.id)?.perLecture[lecture]).toBe(3);
		expect(dashboard.flags).toEqual([
			{
				userId: cleo.id,
				name: 'Cleo Padding',
				duplicates: 1,
				tooShort: 1,
				bursts: [{ start: new Date(start), count: 5 }]
			}
		]);
		expect(dashboard.perLecture).toEqual([expect.objectContaining({ id: lecture, active: 2 })]);
		expect(dashboard.distribution.reduce((n, b) => n + b.count, 0)).toBe(3);
		expect(await db().select().from(schema.activity)).toEqual(before);
	});
});
