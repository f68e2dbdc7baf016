import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { auditLog, miniProjectSubmissions } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { adjustPresenter, gradeTalk, talkGrade } from '$lib/server/grades/talks';
import {
	allSubmissions,
	gradeReport,
	miniProjectOf,
	mySubmissions,
	publishMiniProject,
	reportFile,
	submitReport
} from '$lib/server/grades/mini-projects';
import { blankPagesPdf, textFile } from '../fixtures/pdf';
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
let cleo: SessionUser;
let outsider: SessionUser;
let lectureId: string;
let staffLecture: string;

const scores = { explanation: 20, assessment: 18, delivery: 22, questions: 15 };

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course);
	ada = await asStudentOf(course, await makeUser('Ada'));
	ben = await asStudentOf(course, await makeUser('Ben'));
	cleo = await asStudentOf(course, await makeUser('Cleo'));
	outsider = await makeUser('Olga Outsider');
	lectureId = await createLecture(instructor, course.id, lectureInput({ number: 2 }));
	staffLecture = await createLecture(
		instructor,
		course.id,
		lectureInput({ number: 1, givenByInstructors: true })
	);
	await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
});

const auditRows = (subjectId: string) =>
	db().select().from(auditLog).where(eq(auditLog.subjectId, subjectId));

describe('talk grades', () => {
	it('only staff grade; scores out of range are refused and nothing is saved', async () => {
		await expectHttpError(gradeTalk(ada, course.id, lectureId, { scores, feedback: '' }), 403);
		await expectHttpError(gradeTalk(outsider, course.id, lectureId, { scores, feedback: '' }), 404);
		await expectHttpError(
			gradeTalk(instructor, course.id, staffLecture, { scores, feedback: '' }),
			404
		);
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				gradeTalk(instructor, course.id, lectureId, {
					scores: { ...scores, delivery: 26, questions: -1 },
					feedback: 'x'
				}),
				'score_delivery'
			);
			expect(errors.score_questions).toBe('Handling of questions: enter 0 to 25 points.');
			await expectInputError(
				gradeTalk(instructor, course.id, lectureId, {
					scores: { explanation: 20 },
					feedback: 'x'
				}),
				'score_assessment'
			);
		});
	});

	it('the pair sees the grade and feedback; each member only their own adjustment', async () => {
		await gradeTalk(ta, course.id, lectureId, { scores, feedback: 'Clear **slides**.' });
		await adjustPresenter(instructor, course.id, lectureId, ben.id, {
			points: -5,
			reason: 'Missed the rehearsal.'
		});

		const forAda = await talkGrade(ada, course.id, lectureId);
		expect(forAda.grade?.percent).toBe(75);
		expect(forAda.grade?.feedbackHtml).toContain('<strong>slides</strong>');
		expect(forAda.presenters).toEqual([
			{ userId: ada.id, name: 'Ada', adjustment: null, percent: 75 }
		]);
		const forBen = await talkGrade(ben, course.id, lectureId);
		expect(forBen.presenters).toEqual([
			{
				userId: ben.id,
				name: 'Ben',
				adjustment: { points: -5, reason: 'Missed the rehearsal.' },
				percent: 70
			}
		]);
		const forStaff = await talkGrade(ta, course.id, lectureId);
		expect(forStaff.presenters.map((p) => p.percent)).toEqual([75, 70]);
		await expectHttpError(talkGrade(cleo, course.id, lectureId), 404);
		await expectHttpError(talkGrade(outsider, course.id, lectureId), 404);
	});

	it('adjustments are checked and every change is in the audit log', async () => {
		await expectNothingWritten(async () => {
			await expectInputError(
				adjustPresenter(instructor, course.id, lectureId, cleo.id, { points: 5, reason: 'x' }),
				'userId'
			);
			await expectInputError(
				adjustPresenter(instructor, course.id, lectureId, ada.id, { points: 101, reason: 'x' }),
				'points'
			);
			await expectHttpError(
				adjustPresenter(ada, course.id, lectureId, ada.id, { points: 50, reason: 'me' }),
				403
			);
		});
		await gradeTalk(instructor, course.id, lectureId, {
			scores: { ...scores, questions: 25 },
			feedback: 'Better answers.'
		});
		const rows = (await auditRows(lectureId)).sort(
			(a, b) => a.createdAt.getTime() - b.createdAt.getTime()
		);
		expect(rows.map((r) => [r.action, r.actorId])).toEqual([
			['talk_graded', ta.id],
			['presenter_adjusted', instructor.id],
			['talk_graded', instructor.id]
		]);
		expect(rows[2].before).toEqual({ scores, feedback: 'Clear **slides**.' });
		expect(rows[2].after).toEqual({
			scores: { ...scores, questions: 25 },
			feedback: 'Better answers.'
		});
		expect(rows[1].after).toEqual({ userId: ben.id, points: -5, reason: 'Missed the rehearsal.' });
	});
});

describe('mini-projects', () => {
	let projectLecture: string;
	let pastLecture: string;

	beforeAll(async () => {
		projectLecture = await createLecture(instructor, course.id, lectureInput({ number: 3 }));
		pastLecture = await createLecture(
			instructor,
			course.id,
			lectureInput({ number: 4, startsAt: '2020-01-08T16:00', endsAt: '2020-01-08T18:00' })
		);
	});

	it('staff publish; students see it only once published', async () => {
		await expectHttpError(miniProjectOf(ada, course.id, projectLecture), 404);
		expect((await miniProjectOf(ta, course.id, projectLecture)).miniProject).toBeNull();
		await expectHttpError(
			publishMiniProject(ada, course.id, projectLecture, {
				title: 'Mine',
				description: '',
				dueAt: '',
				maxPoints: 10
			}),
			403
		);
		await publishMiniProject(instructor, course.id, projectLecture, {
			title: 'Reproduce table 2',
			description: 'Run the *baseline*.',
			dueAt: '2099-01-01T12:00',
			maxPoints: 10
		});
		const seen = await miniProjectOf(ada, course.id, projectLecture);
		expect(seen.miniProject?.descriptionHtml).toContain('<em>baseline</em>');
		expect(seen.due.toISOString()).toBe('2099-01-01T11:00:00.000Z');
		await expectHttpError(miniProjectOf(outsider, course.id, projectLecture), 404);
	});

	it('a non-PDF is refused with the papers’ message and nothing is saved', async () => {
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				submitReport(ada, course.id, projectLecture, { bytes: textFile(), name: 'r.pdf' }),
				'file'
			);
			expect(errors.file).toBe(
				'This file is not a PDF. Save or export it as PDF and upload it again.'
			);
		});
		await expectHttpError(
			submitReport(instructor, course.id, projectLecture, {
				bytes: await blankPagesPdf(1),
				name: 'r.pdf'
			}),
			403
		);
	});

	it('resubmitting keeps earlier versions; a long report is accepted with a warning', async () => {
		const first = await submitReport(ada, course.id, projectLecture, {
			bytes: await blankPagesPdf(2),
			name: 'report.pdf'
		});
		expect(first.warning).toBeNull();
		expect(first.submission).toMatchObject({ version: 1, pageCount: 2, late: false });
		const second = await submitReport(ada, course.id, projectLecture, {
			bytes: await blankPagesPdf(3),
			name: 'report-v2.pdf'
		});
		expect(second.submission.version).toBe(2);
		expect(second.warning).toBe(
			'Your report has 3 pages; reports should be 1–2 pages. It was accepted.'
		);
		const mine = await mySubmissions(ada, course.id, projectLecture);
		expect(mine.versions.map((v) => [v.version, v.fileName])).toEqual([
			[2, 'report-v2.pdf'],
			[1, 'report.pdf']
		]);
		expect((await mySubmissions(ben, course.id, projectLecture)).versions).toEqual([]);
		await expectHttpError(allSubmissions(ada, course.id, projectLecture), 403);
		const all = await allSubmissions(ta, course.id, projectLecture);
		expect(all.map((s) => [s.name, s.versions.length])).toEqual([['Ada', 2]]);

		// The file: the author and staff, nobody else.
		const file = await reportFile(ada, course.id, projectLecture, first.submission.id);
		expect(file.fileName).toBe('report.pdf');
		expect(file.file.contentType).toBe('application/pdf');
		await reportFile(ta, course.id, projectLecture, first.submission.id);
		await expectHttpError(reportFile(ben, course.id, projectLecture, first.submission.id), 404);
		await expectHttpError(reportFile(ta, course.id, lectureId, first.submission.id), 404);
		await expectHttpError(
			reportFile(outsider, course.id, projectLecture, first.submission.id),
			404
		);
	});

	it('two uploads at once get the next two versions', async () => {
		const pdf = await blankPagesPdf(1);
		const both = await Promise.all(
			[1, 2].map(() => submitReport(cleo, course.id, projectLecture, { bytes: pdf, name: 'r.pdf' }))
		);
		expect(both.map((r) => r.submission.version).sort()).toEqual([1, 2]);
	});

	it('reports after the due time (default: the lecture start) are accepted and marked late', async () => {
		await publishMiniProject(instructor, course.id, pastLecture, {
			title: 'Late one',
			description: '',
			dueAt: '',
			maxPoints: 100
		});
		const { submission } = await submitReport(ben, course.id, pastLecture, {
			bytes: await blankPagesPdf(1),
			name: 'late.pdf'
		});
		expect(submission.late).toBe(true);
		const [row] = await db()
			.select()
			.from(miniProjectSubmissions)
			.where(eq(miniProjectSubmissions.id, submission.id));
		expect(row.late).toBe(true);
	});

	it('staff grade within the points; the student sees grade and feedback; audited', async () => {
		await expectNothingWritten(async () => {
			await expectInputError(
				gradeReport(instructor, course.id, projectLecture, ada.id, { points: 11, feedback: '' }),
				'points'
			);
			await expectInputError(
				gradeReport(instructor, course.id, projectLecture, ta.id, { points: 5, feedback: '' }),
				'studentId'
			);
			await expectHttpError(
				gradeReport(ben, course.id, projectLecture, ben.id, { points: 10, feedback: '' }),
				403
			);
		});
		await gradeReport(ta, course.id, projectLecture, ada.id, {
			points: 8,
			feedback: 'Solid _work_.'
		});
		await gradeReport(instructor, course.id, projectLecture, ada.id, {
			points: 9,
			feedback: 'Solid _work_; regraded.'
		});
		const mine = await mySubmissions(ada, course.id, projectLecture);
		expect(mine.grade?.points).toBe(9);
		expect(mine.grade?.feedbackHtml).toContain('<em>work</em>');
		expect((await mySubmissions(ben, course.id, projectLecture)).grade).toBeNull();

		const { miniProject } = await miniProjectOf(ta, course.id, projectLecture);
		const rows = (await auditRows(miniProject!.id)).sort(
			(a, b) => a.createdAt.getTime() - b.createdAt.getTime()
		);
		expect(rows.map((r) => [r.action, r.actorId, r.before])).toEqual([
			['report_graded', ta.id, null],
			['report_graded', instructor.id, { userId: ada.id, points: 8, feedback: 'Solid _work_.' }]
		]);
	});
});
