import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { auditLog, gradeSettings } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { courseRubric, gradeTalk, setRubric, talkGrade } from '$lib/server/grades/talks';
import { gradeSettingsOf, setGradeSettings } from '$lib/server/grades/gradebook';
import { DEFAULT_RUBRIC } from '$lib/grades/rubric';
import { DEFAULT_WEIGHTS } from '$lib/grades/final';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	lectureInput,
	makeCourse,
	makeUser
} from './helpers';

let course: Course;
let instructor: SessionUser;
let ta: SessionUser;
let ada: SessionUser;
let ben: SessionUser;
let outsider: SessionUser;
let earlier: string;
let later: string;

const rubric = [
	{ key: 'explanation', label: 'Depth of the explanation', max: 40 },
	{ key: 'slides', label: 'Slides', max: 10 }
];

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course);
	ada = await asStudentOf(course, await makeUser('Ada'));
	ben = await asStudentOf(course, await makeUser('Ben'));
	outsider = await makeUser('Olga Outsider');
	earlier = await createLecture(instructor, course.id, lectureInput({ number: 1 }));
	later = await createLecture(instructor, course.id, lectureInput({ number: 2 }));
	await setPresenters(instructor, course.id, earlier, [ada.id, ben.id]);
	await setPresenters(instructor, course.id, later, [ada.id, ben.id]);
});

describe('the talk rubric', () => {
	it('only instructors change it', async () => {
		await expectNothingWritten(async () => {
			await expectHttpError(setRubric(ta, course.id, rubric), 403);
			await expectHttpError(setRubric(ada, course.id, rubric), 403);
			await expectHttpError(setRubric(outsider, course.id, rubric), 404);
		});
	});

	it('refuses a bad rubric row by row and saves nothing', async () => {
		await expectNothingWritten(async () => {
			const empty = await expectInputError(setRubric(instructor, course.id, []), 'rubric');
			expect(empty.rubric).toBe('A rubric needs at least one criterion.');
			const errors = await expectInputError(
				setRubric(instructor, course.id, [
					{ key: 'a', label: 'Slides', max: 0 },
					{ key: 'b', label: ' slides ', max: 10 },
					{ key: 'c', label: '', max: 101 }
				]),
				'criteria[1].label'
			);
			expect(errors).toEqual({
				'criteria[0].max': 'Criterion 1: Enter a whole number of points from 1 to 100.',
				'criteria[1].label': 'Criterion 2: Another criterion has this label.',
				'criteria[2].label': 'Criterion 3: Label is required.',
				'criteria[2].max': 'Criterion 3: Enter a whole number of points from 1 to 100.'
			});
			await expectInputError(
				setRubric(instructor, course.id, [{ key: 'a', label: 'Slides', max: NaN }]),
				'criteria[0].max'
			);
		});
		expect(await courseRubric(instructor, course.id)).toEqual(DEFAULT_RUBRIC);
	});

	it('saves with the default weights and an audit row; given grades keep their rubric', async () => {
		await gradeTalk(instructor, course.id, earlier, {
			scores: { explanation: 20, assessment: 20, delivery: 20, questions: 20 },
			feedback: ''
		});
		await setRubric(instructor, course.id, rubric);

		expect(await courseRubric(ta, course.id)).toEqual(rubric);
		expect(await gradeSettingsOf(course.id)).toEqual({
			weights: DEFAULT_WEIGHTS,
			bestMiniProjects: 3,
			ofMiniProjects: 5
		});
		const audits = await db().select().from(auditLog).where(eq(auditLog.action, 'rubric_changed'));
		expect(audits).toHaveLength(1);
		expect(audits[0]).toMatchObject({
			courseId: course.id,
			actorId: instructor.id,
			before: DEFAULT_RUBRIC,
			after: rubric
		});

		// A later grade is given against the new rubric; the earlier one is unchanged (80 %).
		await expectInputError(
			gradeTalk(instructor, course.id, later, { scores: { explanation: 41 }, feedback: '' }),
			'score_explanation'
		);
		await gradeTalk(instructor, course.id, later, {
			scores: { explanation: 30, slides: 10 },
			feedback: ''
		});
		const old = await talkGrade(instructor, course.id, earlier);
		const fresh = await talkGrade(instructor, course.id, later);
		expect(old.rubric).toEqual(DEFAULT_RUBRIC);
		expect(old.grade?.percent).toBe(80);
		expect(old.formRubric).toEqual(rubric);
		expect(fresh.rubric).toEqual(rubric);
		expect(fresh.grade?.percent).toBe(80);
	});

	it('survives a change of the weights and can be restored to the default', async () => {
		await setGradeSettings(instructor, course.id, {
			presentation: '60',
			miniProjects: '30',
			participation: '10',
			bestMiniProjects: '3',
			ofMiniProjects: '5'
		});
		expect(await courseRubric(instructor, course.id)).toEqual(rubric);
		await setRubric(instructor, course.id, DEFAULT_RUBRIC);
		const [row] = await db()
			.select()
			.from(gradeSettings)
			.where(eq(gradeSettings.courseId, course.id));
		expect(row.rubric).toEqual(DEFAULT_RUBRIC);
		expect(row.weights.presentation).toBe(60);
	});
});
