import { describe, expect, it } from 'vitest';
import { createLecture } from '$lib/server/lectures/service';
import {
	isPresenter,
	myPresentations,
	presentersByLecture,
	generatePresenterRotation,
	setPresenters
} from '$lib/server/lectures/presenters';
import { uploadPaper } from '$lib/server/papers/service';
import { samplePaperPdf } from '../fixtures/pdf';
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

async function setting() {
	const { course, instructor } = await makeCourse();
	const [ada, ben, cleo] = await Promise.all([
		asStudentOf(course, await makeUser('Ada')),
		asStudentOf(course, await makeUser('Ben')),
		asStudentOf(course, await makeUser('Cleo'))
	]);
	const lectureId = await createLecture(instructor, course.id, lectureInput({ number: 2 }));
	return { course, instructor, ada, ben, cleo, lectureId };
}

describe('presenters', () => {
	it('lets staff assign a pair that every member sees, and replace it', async () => {
		const { course, instructor, ada, ben, cleo, lectureId } = await setting();
		await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
		const seen = await presentersByLecture(cleo, course.id);
		expect(seen.get(lectureId)?.map((p) => p.name)).toEqual(['Ada', 'Ben']);
		expect(await isPresenter(ada.id, lectureId)).toBe(true);

		await setPresenters(instructor, course.id, lectureId, [cleo.id]);
		expect((await presentersByLecture(ada, course.id)).get(lectureId)?.map((p) => p.name)).toEqual([
			'Cleo'
		]);
		expect(await isPresenter(ada.id, lectureId)).toBe(false);
	});

	it('shows each student what they present and with whom', async () => {
		const { course, instructor, ada, ben, lectureId } = await setting();
		await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
		const mine = await myPresentations(ada);
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ lectureId, number: 2, partners: ['Ben'] });
		expect(await myPresentations(instructor)).toEqual([]);
	});

	it('refuses students, non-students, instructor lectures and non-members, writing nothing', async () => {
		const { course, instructor, ada, ben, lectureId } = await setting();
		const ta = await asTaOf(course);
		const outsider = await makeUser('Outsider');
		await expectNothingWritten(async () => {
			await expectHttpError(setPresenters(ada, course.id, lectureId, [ada.id, ben.id]), 403);
			await expectHttpError(setPresenters(outsider, course.id, lectureId, [ada.id]), 404);
			await expectInputError(
				setPresenters(instructor, course.id, lectureId, [ada.id, ta.id]),
				'userIds'
			);
			await expectInputError(
				setPresenters(instructor, course.id, lectureId, [ada.id, outsider.id]),
				'userIds'
			);
		});
		const given = await createLecture(
			instructor,
			course.id,
			lectureInput({ number: 3, givenByInstructors: true })
		);
		await expectInputError(setPresenters(instructor, course.id, given, [ada.id]), 'userIds');
	});

	it("lets the lecture's presenters, and only them among students, add a paper", async () => {
		const { course, instructor, ada, ben, cleo, lectureId } = await setting();
		await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
		const bytes = await samplePaperPdf();
		const paper = await uploadPaper(ada, course.id, lectureId, { bytes, name: 'extra.pdf' });
		expect(paper.lectureId).toBe(lectureId);
		await expectNothingWritten(() =>
			expectHttpError(uploadPaper(cleo, course.id, lectureId, { bytes, name: 'x.pdf' }), 403)
		);
	});

	it('generates a rotation for future student-led lectures, keeping past ones', async () => {
		const { course, instructor } = await makeCourse();
		const students = [];
		for (const name of ['Ada', 'Ben', 'Cleo', 'Dev', 'Eva']) {
			students.push(await asStudentOf(course, await makeUser(name)));
		}
		const past = await createLecture(
			instructor,
			course.id,
			lectureInput({ number: 1, startsAt: '2020-01-08T16:00', endsAt: '2020-01-08T18:00' })
		);
		await setPresenters(instructor, course.id, past, [students[0].id, students[1].id]);
		const future = [];
		for (const n of [2, 3]) {
			future.push(
				await createLecture(
					instructor,
					course.id,
					lectureInput({
						number: n,
						startsAt: `2030-01-0${n}T16:00`,
						endsAt: `2030-01-0${n}T18:00`
					})
				)
			);
		}
		await expectHttpError(
			generatePresenterRotation(students[0], course.id, { oddPolicy: 'trio', seed: '1' }),
			403
		);
		const { unassigned } = await generatePresenterRotation(instructor, course.id, {
			oddPolicy: 'trio',
			seed: '1'
		});
		expect(unassigned).toEqual([]);
		const byLecture = await presentersByLecture(instructor, course.id);
		expect(byLecture.get(past)?.map((p) => p.name)).toEqual(['Ada', 'Ben']);
		// The three who have not presented share the two future lectures: a pair and a solo
		// would break the trio policy, so one lecture gets all three or a pair plus a repeat.
		const future1 = byLecture.get(future[0]) ?? [];
		const future2 = byLecture.get(future[1]) ?? [];
		const newcomers = new Set([...future1, ...future2].map((p) => p.name));
		for (const name of ['Cleo', 'Dev', 'Eva']) expect(newcomers.has(name)).toBe(true);
		expect(future1.length + future2.length).toBeGreaterThanOrEqual(3);
	});
});
