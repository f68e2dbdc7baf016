import { and, asc, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { files, paperPages, papers, readings } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { sha256Hex } from '$lib/server/files/store';
import { createLecture } from '$lib/server/lectures/service';
import {
	getPaper,
	paperFile,
	papersOfLecture,
	paperText,
	updatePaperDetails,
	uploadPaper,
	type Paper
} from '$lib/server/papers/service';
import {
	blankPagesPdf,
	encryptedPdf,
	garbagePdf,
	pngFile,
	SAMPLE_PAPER,
	samplePaperPdf,
	textFile,
	truncatedPdf,
	zeroPagesPdf
} from '../fixtures/pdf';
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
let student: SessionUser;
let outsider: SessionUser;
let lecture1: string;
let lecture2: string;
let other: Course;
let otherInstructor: SessionUser;
let otherLecture: string;
let sample: Uint8Array;
let paper: Paper;

const words = (text: string) => text.replace(/\s+/g, ' ').trim();

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course);
	student = await asStudentOf(course);
	outsider = await makeUser('Olga Outsider');
	lecture1 = await createLecture(instructor, course.id, lectureInput({ number: 1 }));
	lecture2 = await createLecture(
		instructor,
		course.id,
		lectureInput({
			number: 2,
			title: 'LoRA',
			startsAt: '2026-12-16T16:00',
			endsAt: '2026-12-16T18:00'
		})
	);
	({ course: other, instructor: otherInstructor } = await makeCourse({ title: 'Other seminar' }));
	otherLecture = await createLecture(otherInstructor, other.id, lectureInput());
	sample = await samplePaperPdf();
	paper = await uploadPaper(instructor, course.id, lecture1, {
		bytes: sample,
		name: 'sparse-adapters.pdf'
	});
});

describe('uploadPaper', () => {
	it('adds a paper reading with the page count, the text of each page and prefilled details', async () => {
		expect(paper).toMatchObject({
			courseId: course.id,
			lectureId: lecture1,
			fileSha256: sha256Hex(sample),
			pageCount: 1,
			uploadedBy: instructor.id,
			title: SAMPLE_PAPER.title,
			authors: SAMPLE_PAPER.authors.join(', '),
			year: SAMPLE_PAPER.year
		});
		expect(paper.venue).toContain(SAMPLE_PAPER.venue);

		const [reading] = await db().select().from(readings).where(eq(readings.id, paper.readingId));
		expect(reading).toMatchObject({
			lectureId: lecture1,
			kind: 'paper',
			title: SAMPLE_PAPER.title,
			url: '',
			required: true
		});

		const pages = await db()
			.select()
			.from(paperPages)
			.where(eq(paperPages.paperId, paper.id))
			.orderBy(asc(paperPages.pageNumber));
		expect(pages.map((p) => [p.pageNumber, p.width, p.height])).toEqual([[1, 612, 792]]);
		const text = words(pages[0].text);
		expect(text).toContain(SAMPLE_PAPER.title);
		expect(text).toContain(words(SAMPLE_PAPER.sections[0].paragraphs[0]));

		const [file] = await db().select().from(files).where(eq(files.sha256, paper.fileSha256));
		expect(file).toMatchObject({ size: sample.length, contentType: 'application/pdf' });
		expect(Buffer.from(file.bytes).equals(Buffer.from(sample))).toBe(true);
	});

	it('stores the same bytes once when they are uploaded to two lectures (by a TA too)', async () => {
		const [before] = await db().select({ n: count() }).from(files);
		const second = await uploadPaper(ta, course.id, lecture2, {
			bytes: sample,
			name: 'copy.pdf'
		});
		const [after] = await db().select({ n: count() }).from(files);
		expect(after.n).toBe(before.n);
		expect(second.fileSha256).toBe(paper.fileSha256);
		expect(second.id).not.toBe(paper.id);
		expect(second.readingId).not.toBe(paper.readingId);
		expect(second).toMatchObject({ lectureId: lecture2, uploadedBy: ta.id, pageCount: 1 });
		const rows = await db()
			.select({ id: papers.id })
			.from(papers)
			.where(eq(papers.fileSha256, paper.fileSha256));
		expect(rows.map((r) => r.id).sort()).toEqual([paper.id, second.id].sort());
		// Each copy has its own page text.
		const pages = await db()
			.select({ n: count() })
			.from(paperPages)
			.where(eq(paperPages.paperId, second.id));
		expect(pages[0].n).toBe(1);
	});

	it('takes the title from the file name when the PDF does not say it', async () => {
		const blank = await uploadPaper(instructor, course.id, lecture2, {
			bytes: await blankPagesPdf(2),
			name: 'sparse_adapters--draft.PDF'
		});
		expect(blank).toMatchObject({ title: 'sparse adapters draft', authors: '', pageCount: 2 });
		const [reading] = await db()
			.select({ title: readings.title })
			.from(readings)
			.where(eq(readings.id, blank.readingId));
		expect(reading.title).toBe('sparse adapters draft');
		const pages = await db()
			.select({ pageNumber: paperPages.pageNumber, text: paperPages.text })
			.from(paperPages)
			.where(eq(paperPages.paperId, blank.id))
			.orderBy(asc(paperPages.pageNumber));
		expect(pages).toEqual([
			{ pageNumber: 1, text: '' },
			{ pageNumber: 2, text: '' }
		]);
	});

	const NOT_PDF = /^This file is not a PDF\./;
	const DAMAGED = /^This PDF is damaged or incomplete/;
	it.each([
		['a text file', () => textFile(), NOT_PDF],
		['a PNG renamed to .pdf', () => pngFile(), NOT_PDF],
		['a truncated PDF', () => truncatedPdf(), DAMAGED],
		['a PDF header followed by garbage', () => garbagePdf(4000), DAMAGED],
		['an encrypted PDF', () => encryptedPdf(), /password-protected/],
		['a PDF without pages', () => zeroPagesPdf(), /^This PDF has no pages\.$/],
		['an empty file', () => new Uint8Array(0), /^Choose a PDF file to upload\.$/]
	] as const)(
		'refuses %s on `file`, with its reason, and writes nothing',
		async (_, make, message) => {
			const bytes = await make();
			await expectNothingWritten(async () => {
				const errors = await expectInputError(
					uploadPaper(instructor, course.id, lecture1, { bytes, name: 'paper.pdf' }),
					'file'
				);
				expect(errors.file).toMatch(message);
			});
		}
	);

	it('refuses students (403) and non-members (404), and writes nothing', async () => {
		const file = { bytes: sample, name: 'mine.pdf' };
		await expectNothingWritten(async () => {
			await expectHttpError(uploadPaper(student, course.id, lecture1, file), 403);
			await expectHttpError(uploadPaper(outsider, course.id, lecture1, file), 404);
		});
	});

	it('answers 404 for a lecture of another course, and writes nothing', async () => {
		const file = { bytes: sample, name: 'elsewhere.pdf' };
		await expectNothingWritten(async () => {
			// Staff of the other course, naming their course and this course's lecture.
			await expectHttpError(uploadPaper(otherInstructor, other.id, lecture1, file), 404);
			// Staff of this course, naming this course and the other course's lecture.
			await expectHttpError(uploadPaper(instructor, course.id, otherLecture, file), 404);
			await expectHttpError(uploadPaper(instructor, course.id, 'no-such-lecture', file), 404);
		});
	});
});

describe('reading a paper', () => {
	it('gives members the paper with its lecture, its page texts and its bytes', async () => {
		for (const member of [instructor, ta, student]) {
			const seen = await getPaper(member, course.id, paper.id);
			expect(seen.paper.id).toBe(paper.id);
			expect(seen.lecture).toMatchObject({ id: lecture1, number: 1 });
		}
		expect((await getPaper(student, course.id, paper.id)).role).toBe('student');

		const { pages } = await paperText(student, course.id, paper.id);
		expect(pages).toHaveLength(1);
		expect(pages[0]).toMatchObject({ width: 612, height: 792 });
		expect(words(pages[0].text)).toContain(words(SAMPLE_PAPER.sections[1].paragraphs[1]));

		const { file } = await paperFile(student, course.id, paper.id);
		expect(file.contentType).toBe('application/pdf');
		expect(Buffer.from(file.bytes).equals(Buffer.from(sample))).toBe(true);
	});

	it('answers 404 to non-members', async () => {
		await expectHttpError(getPaper(outsider, course.id, paper.id), 404);
		await expectHttpError(paperText(outsider, course.id, paper.id), 404);
		await expectHttpError(paperFile(outsider, course.id, paper.id), 404);
		await expectHttpError(papersOfLecture(outsider, course.id, lecture1), 404);
	});

	it('answers 404 for a paper of another course named through one´s own course', async () => {
		// The other course's instructor is a member of `other` only; the paper is in `course`.
		await expectHttpError(getPaper(otherInstructor, other.id, paper.id), 404);
		await expectHttpError(paperText(otherInstructor, other.id, paper.id), 404);
		await expectHttpError(paperFile(otherInstructor, other.id, paper.id), 404);
		await expectHttpError(getPaper(instructor, course.id, 'no-such-paper'), 404);
	});

	it('lists the papers of a lecture', async () => {
		const list = await papersOfLecture(student, course.id, lecture1);
		expect(list).toEqual([{ id: paper.id, readingId: paper.readingId, pageCount: 1 }]);
		expect(await papersOfLecture(otherInstructor, other.id, otherLecture)).toEqual([]);
	});
});

describe('updatePaperDetails', () => {
	const details = {
		title: 'Sparse Adapters (camera-ready)',
		authors: 'A. Okafor, B. Hoffmann, C. Wei',
		year: 2025,
		venue: 'ICML'
	};

	it('lets staff correct the details and renames the reading with the paper', async () => {
		await updatePaperDetails(ta, course.id, paper.id, details);
		const [row] = await db().select().from(papers).where(eq(papers.id, paper.id));
		expect(row).toMatchObject(details);
		const [reading] = await db()
			.select({ title: readings.title })
			.from(readings)
			.where(and(eq(readings.id, paper.readingId), eq(readings.lectureId, lecture1)));
		expect(reading.title).toBe(details.title);
	});

	it('refuses students (403) and other courses (404), and writes nothing', async () => {
		await expectNothingWritten(async () => {
			await expectHttpError(updatePaperDetails(student, course.id, paper.id, details), 403);
			await expectHttpError(updatePaperDetails(outsider, course.id, paper.id, details), 404);
			await expectHttpError(
				updatePaperDetails(otherInstructor, other.id, paper.id, { ...details, title: 'Mine' }),
				404
			);
		});
	});
});
