import { describe, expect, it } from 'vitest';
import { createLecture } from '$lib/server/lectures/service';
import {
	isPresenter,
	myPresentations,
	presentersByLecture,
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
});
