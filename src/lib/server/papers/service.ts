import { and, asc, eq } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { lectures, paperPages, papers, readings } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireMember, requireStaff } from '$lib/server/courses/access';
import { fileStore } from '$lib/server/files/store';
import { createOnce, InputError } from '$lib/server/forms';
import { newId } from '$lib/server/ids';
import { insertReading } from '$lib/server/lectures/service';
import { isPresenter } from '$lib/server/lectures/presenters';
import { isStaff } from '$lib/courses/roles';
import { inspectPdf, PdfRejectedError } from './inspect';

export type Paper = typeof papers.$inferSelect;

export interface PaperDetails {
	title: string;
	authors: string;
	year: number | null;
	venue: string;
}

function fileTitle(fileName: string): string {
	return (
		fileName
			.replace(/\.pdf$/i, '')
			.replace(/[_-]+/g, ' ')
			.trim() || 'Untitled paper'
	);
}

/**
 * Adds a PDF to a lecture's readings. The file is parsed (in a worker with limits) before
 * anything is stored; a file that is not a readable PDF is refused with its own message.
 * Title, authors, year and venue are prefilled from the PDF.
 */
export async function uploadPaper(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	file: { bytes: Uint8Array; name: string },
	submission?: string
): Promise<Paper> {
	const { role } = await requireMember(actor, courseId);
	const [lecture] = await db()
		.select({ id: lectures.id })
		.from(lectures)
		.where(and(eq(lectures.id, lectureId), eq(lectures.courseId, courseId)));
	if (!lecture) error(404, 'Not found');
	// The lecture's presenters add supplementary papers; otherwise it is staff work.
	if (!isStaff(role) && !(await isPresenter(actor.id, lectureId))) {
		error(403, "Only instructors, TAs and the lecture's presenters can add papers.");
	}
	if (file.bytes.length === 0) throw new InputError({ file: 'Choose a PDF file to upload.' });

	let info;
	try {
		info = await inspectPdf(file.bytes);
	} catch (e) {
		if (e instanceof PdfRejectedError) throw new InputError({ file: e.message });
		throw e;
	}

	const details: PaperDetails = {
		title: info.metadata.title ?? fileTitle(file.name),
		authors: info.metadata.authors ?? '',
		year: info.metadata.year,
		venue: info.metadata.venue ?? ''
	};
	const paperId = await createOnce(actor, submission, async (tx) => {
		const { sha256 } = await fileStore.put(file.bytes, 'application/pdf', tx);
		const readingId = await insertReading(tx, lectureId, {
			title: details.title,
			url: '',
			kind: 'paper',
			required: true
		});
		const [paper] = await tx
			.insert(papers)
			.values({
				id: newId(),
				courseId,
				lectureId,
				readingId,
				fileSha256: sha256,
				pageCount: info.pageCount,
				uploadedBy: actor.id,
				...details
			})
			.returning();
		await tx.insert(paperPages).values(
			info.pages.map((text, i) => ({
				paperId: paper.id,
				pageNumber: i + 1,
				text,
				width: info.pageSizes[i]?.width ?? 612,
				height: info.pageSizes[i]?.height ?? 792
			}))
		);
		return paper.id;
	});
	return paperOf(courseId, paperId);
}

async function paperOf(courseId: string, paperId: string): Promise<Paper> {
	const [paper] = await db()
		.select()
		.from(papers)
		.where(and(eq(papers.id, paperId), eq(papers.courseId, courseId)));
	if (!paper) error(404, 'Not found');
	return paper;
}

/** A paper with its lecture, as a member sees it. */
export async function getPaper(actor: SessionUser, courseId: string, paperId: string) {
	const access = await requireMember(actor, courseId);
	const paper = await paperOf(courseId, paperId);
	const [lecture] = await db()
		.select({ id: lectures.id, number: lectures.number, title: lectures.title })
		.from(lectures)
		.where(eq(lectures.id, paper.lectureId));
	return { ...access, paper, lecture };
}

/** The text and size of every page: the browser anchors annotations against it. */
export async function paperText(actor: SessionUser, courseId: string, paperId: string) {
	await requireMember(actor, courseId);
	const paper = await paperOf(courseId, paperId);
	const pages = await db()
		.select({ text: paperPages.text, width: paperPages.width, height: paperPages.height })
		.from(paperPages)
		.where(eq(paperPages.paperId, paperId))
		.orderBy(asc(paperPages.pageNumber));
	return { paper, pages };
}

/** The PDF bytes, for members only. */
export async function paperFile(actor: SessionUser, courseId: string, paperId: string) {
	await requireMember(actor, courseId);
	const paper = await paperOf(courseId, paperId);
	const file = await fileStore.get(paper.fileSha256);
	if (!file) error(404, 'Not found');
	return { paper, file };
}

export async function updatePaperDetails(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	details: PaperDetails
): Promise<void> {
	await requireStaff(actor, courseId);
	const paper = await paperOf(courseId, paperId);
	await db().transaction(async (tx) => {
		await tx.update(papers).set(details).where(eq(papers.id, paperId));
		// The reading shown in the schedule carries the paper's title.
		await tx.update(readings).set({ title: details.title }).where(eq(readings.id, paper.readingId));
	});
}

/** Papers of a lecture, keyed by their reading, for the lecture page and schedule. */
export async function papersOfLecture(actor: SessionUser, courseId: string, lectureId: string) {
	await requireMember(actor, courseId);
	return db()
		.select({ id: papers.id, readingId: papers.readingId, pageCount: papers.pageCount })
		.from(papers)
		.where(and(eq(papers.courseId, courseId), eq(papers.lectureId, lectureId)));
}
