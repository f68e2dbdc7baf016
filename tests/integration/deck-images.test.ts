import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { deckImages, files } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { uploadPaper } from '$lib/server/papers/service';
import { createAnnotation } from '$lib/server/annotations/service';
import { saveDeck, setDeckPublication } from '$lib/server/decks/service';
import { addDeckImage, deckImage, figureImages } from '$lib/server/decks/images';
import { deckImageUrl } from '$lib/decks/image-files';
import type { AnnotationTarget } from '$lib/annotations/types';
import { samplePaperPdf } from '../fixtures/pdf';
import { pngImage } from '../fixtures/images';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	lectureInput,
	makeCourse,
	makeUser,
	paperDocument,
	passage
} from './helpers';

const REGION: AnnotationTarget = {
	kind: 'region',
	page: 1,
	rect: { x: 54, y: 300, width: 250, height: 120 }
};

let course: Course;
let instructor: SessionUser;
let ta: SessionUser;
let ada: SessionUser;
let cleo: SessionUser;
let outsider: SessionUser;
let lectureId: string;
let otherLectureId: string;
let region: string;
let passageId: string;
let privateRegion: string;
let otherLectureRegion: string;
let otherCourseRegion: string;

const image = (shade: number, name = 'plot.png') => ({ name, bytes: pngImage(40, 30, shade) });

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course);
	ada = await asStudentOf(course, await makeUser('Ada'));
	const ben = await asStudentOf(course, await makeUser('Ben'));
	cleo = await asStudentOf(course, await makeUser('Cleo'));
	outsider = await makeUser('Olga Outsider');
	lectureId = await createLecture(instructor, course.id, lectureInput({ number: 2 }));
	otherLectureId = await createLecture(instructor, course.id, lectureInput({ number: 3 }));
	await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
	const bytes = await samplePaperPdf();
	const paper = await uploadPaper(instructor, course.id, lectureId, { bytes, name: 'p.pdf' });
	const otherPaper = await uploadPaper(instructor, course.id, otherLectureId, {
		bytes,
		name: 'p.pdf'
	});
	const note = { body: 'Figure', tags: [], visibility: 'class' as const };
	region = await createAnnotation(cleo, course.id, paper.id, { ...note, target: REGION });
	privateRegion = await createAnnotation(cleo, course.id, paper.id, {
		...note,
		target: REGION,
		visibility: 'private'
	});
	const doc = await paperDocument(instructor, course.id, paper.id);
	passageId = await createAnnotation(cleo, course.id, paper.id, {
		...note,
		target: passage(doc, doc.text.slice(0, 12))
	});
	otherLectureRegion = await createAnnotation(cleo, course.id, otherPaper.id, {
		...note,
		target: REGION
	});
	const { course: other, instructor: otherInstructor } = await makeCourse({ title: 'Other' });
	const otherCourseLecture = await createLecture(otherInstructor, other.id, lectureInput());
	const foreignPaper = await uploadPaper(otherInstructor, other.id, otherCourseLecture, {
		bytes,
		name: 'p.pdf'
	});
	otherCourseRegion = await createAnnotation(otherInstructor, other.id, foreignPaper.id, {
		...note,
		target: REGION
	});
});

describe('deck images', () => {
	it('lets the pair and staff add images; classmates and non-members get 404, nothing stored', async () => {
		for (const [who, shade] of [
			[ada, 1],
			[ta, 2],
			[instructor, 3]
		] as const) {
			const added = await addDeckImage(who, course.id, lectureId, image(shade));
			expect(added).toMatchObject({ width: 40, height: 30 });
			expect(added.url).toBe(deckImageUrl(course.id, lectureId, added.sha256));
		}
		for (const who of [cleo, outsider]) {
			await expectNothingWritten(() =>
				expectHttpError(addDeckImage(who, course.id, lectureId, image(9)), 404)
			);
		}
	});

	it('serves an image to editors, and to the class only once the deck is published', async () => {
		const { sha256 } = await addDeckImage(ada, course.id, lectureId, image(20));
		const served = await deckImage(ta, course.id, lectureId, sha256);
		expect(served.contentType).toBe('image/png');
		expect(served.bytes).toEqual(image(20).bytes);
		await expectHttpError(deckImage(cleo, course.id, lectureId, sha256), 404);
		await expectHttpError(deckImage(outsider, course.id, lectureId, sha256), 404);
		await saveDeck(ada, course.id, lectureId, { source: '# Deck', baseRevision: 0 });
		await setDeckPublication(ada, course.id, lectureId, 'now');
		expect((await deckImage(cleo, course.id, lectureId, sha256)).size).toBe(served.size);
		await expectHttpError(deckImage(outsider, course.id, lectureId, sha256), 404);
		await setDeckPublication(ada, course.id, lectureId, 'draft');
		await expectHttpError(deckImage(cleo, course.id, lectureId, sha256), 404);
	});

	it('serves only images recorded for this lecture, even when the bytes are stored', async () => {
		const { sha256 } = await addDeckImage(ada, course.id, lectureId, image(21));
		await expectHttpError(deckImage(instructor, course.id, otherLectureId, sha256), 404);
		await expectHttpError(deckImage(instructor, course.id, lectureId, 'f'.repeat(64)), 404);
		await expectHttpError(deckImage(instructor, course.id, lectureId, '../x'), 404);
	});

	it('stores the same bytes once, for any number of uploads and lectures', async () => {
		const first = await addDeckImage(ada, course.id, lectureId, image(30, 'a.png'));
		const again = await addDeckImage(ada, course.id, lectureId, image(30, 'b.png'));
		await addDeckImage(instructor, course.id, otherLectureId, image(30, 'c.png'));
		expect(again.sha256).toBe(first.sha256);
		const stored = await db().select().from(files).where(eq(files.sha256, first.sha256));
		expect(stored).toHaveLength(1);
		const rows = await db().select().from(deckImages).where(eq(deckImages.sha256, first.sha256));
		expect(rows.map((r) => [r.lectureId, r.name]).sort()).toEqual(
			[
				[lectureId, 'a.png'],
				[otherLectureId, 'c.png']
			].sort()
		);
	});

	it.each([
		['an SVG', new TextEncoder().encode('<svg><script>alert(1)</script></svg>'), /SVG/],
		['a PDF', new TextEncoder().encode('%PDF-1.7'), /not a PNG, JPEG, GIF or WebP/],
		['an image over 8000 pixels', pngImage(8001, 2), /at most 8000 pixels/],
		['an empty file', new Uint8Array(), /empty/]
	])('refuses %s with a message, storing nothing', async (_, bytes, message) => {
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				addDeckImage(ada, course.id, lectureId, { name: 'x.png', bytes }),
				'file'
			);
			expect(errors.file).toMatch(message);
		});
	});

	it('refuses more than 5 MB', async () => {
		const bytes = new Uint8Array(5 * 1024 * 1024 + 1);
		bytes.set(pngImage(4, 4));
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				addDeckImage(ada, course.id, lectureId, { name: 'big.png', bytes }),
				'file'
			);
			expect(errors.file).toMatch(/at most 5\.0 MB/);
		});
	});

	it("makes the newest crop a region annotation's figure, for everyone who sees the deck", async () => {
		const first = await addDeckImage(ada, course.id, lectureId, {
			...image(40, 'figure.png'),
			annotationId: region
		});
		expect((await figureImages(ada, course.id, lectureId)).get(region)).toBe(first.url);
		const second = await addDeckImage(ta, course.id, lectureId, {
			...image(41, 'figure.png'),
			annotationId: region
		});
		expect((await figureImages(ada, course.id, lectureId)).get(region)).toBe(second.url);
		// The first crop again (same bytes) is the newest once more.
		await addDeckImage(ada, course.id, lectureId, { ...image(40), annotationId: region });
		expect((await figureImages(instructor, course.id, lectureId)).get(region)).toBe(first.url);
		await expectHttpError(figureImages(outsider, course.id, lectureId), 404);
	});

	it.each([
		['a passage, not a region', () => passageId],
		['a region of another lecture', () => otherLectureRegion],
		['a region of another course', () => otherCourseRegion],
		["a classmate's private region", () => privateRegion],
		['an unknown annotation', () => 'nope']
	])('refuses a crop of %s, storing nothing', async (_, annotationId) => {
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				addDeckImage(ada, course.id, lectureId, { ...image(50), annotationId: annotationId() }),
				'annotationId'
			);
			expect(errors.annotationId).toMatch(/not a region annotation of this lecture/);
		});
	});
});
