import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { annotations, deckImages, papers } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { CourseAccess } from '$lib/server/courses/access';
import { visibleTo } from '$lib/server/annotations/service';
import { fileStore, type StoredFile } from '$lib/server/files/store';
import { InputError } from '$lib/server/forms';
import { newId } from '$lib/server/ids';
import { checkImage, deckImageUrl } from '$lib/decks/image-files';
import { requireDeckReader, requireEditor } from './service';

export interface DeckImageInput {
	/** The file's name as the person's computer called it. */
	name: string;
	bytes: Uint8Array;
	/** For the crop of a region annotation: which one. */
	annotationId?: string;
}

export interface AddedDeckImage {
	sha256: string;
	url: string;
	width: number;
	height: number;
}

/** A region annotation (a thread, not deleted) on one of the lecture's papers, seen by the actor. */
async function requireRegionOfLecture(
	actor: SessionUser,
	access: CourseAccess,
	lectureId: string,
	annotationId: string
) {
	const [row] = await db()
		.select({ target: annotations.target })
		.from(annotations)
		.innerJoin(papers, eq(papers.id, annotations.paperId))
		.where(
			and(
				eq(annotations.id, annotationId),
				eq(annotations.courseId, access.course.id),
				eq(papers.lectureId, lectureId),
				isNull(annotations.parentId),
				isNull(annotations.deletedAt),
				visibleTo(actor, access)
			)
		);
	if (row?.target?.kind !== 'region') {
		throw new InputError({
			annotationId: "This figure is not a region annotation of this lecture's papers."
		});
	}
}

/**
 * Stores an image of the lecture's deck (editors only, else 404): checked by its bytes,
 * stored once by hash. A figure crop becomes the image shown for its annotation.
 */
export async function addDeckImage(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	input: DeckImageInput
): Promise<AddedDeckImage> {
	const access = await requireEditor(actor, courseId, lectureId);
	const image = checkImage(input.bytes);
	if (!image.ok) throw new InputError({ file: image.message });
	const { annotationId } = input;
	if (annotationId) await requireRegionOfLecture(actor, access, lectureId, annotationId);
	const name = input.name.replace(/[\p{Cc}\p{Cf}]+/gu, '').slice(0, 200) || 'image';
	const sha256 = await db().transaction(async (tx) => {
		const stored = await fileStore.put(input.bytes, image.type, tx);
		const insert = tx.insert(deckImages).values({
			id: newId(),
			courseId,
			lectureId,
			sha256: stored.sha256,
			name,
			width: image.width,
			height: image.height,
			annotationId: annotationId ?? null,
			uploadedBy: actor.id
		});
		const target = [deckImages.lectureId, deckImages.sha256];
		// A crop that was uploaded before (the same region again) becomes the newest one.
		await (annotationId
			? insert.onConflictDoUpdate({ target, set: { annotationId, createdAt: new Date() } })
			: insert.onConflictDoNothing({ target }));
		return stored.sha256;
	});
	return {
		sha256,
		url: deckImageUrl(courseId, lectureId, sha256),
		width: image.width,
		height: image.height
	};
}

/** An image of the lecture's deck, for whoever may see the deck; only images recorded for it. */
export async function deckImage(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	sha256: string
): Promise<StoredFile> {
	await requireDeckReader(actor, courseId, lectureId);
	const [row] = await db()
		.select({ id: deckImages.id })
		.from(deckImages)
		.where(and(eq(deckImages.lectureId, lectureId), eq(deckImages.sha256, sha256)));
	const file = row ? await fileStore.get(sha256) : null;
	if (!file) error(404, 'Not found');
	return file;
}

/** Annotation id → URL of its newest figure crop, for the deck's readers. */
export async function figureImages(
	actor: SessionUser,
	courseId: string,
	lectureId: string
): Promise<Map<string, string>> {
	await requireDeckReader(actor, courseId, lectureId);
	const rows = await db()
		.select({ annotationId: deckImages.annotationId, sha256: deckImages.sha256 })
		.from(deckImages)
		.where(and(eq(deckImages.lectureId, lectureId), isNotNull(deckImages.annotationId)))
		.orderBy(asc(deckImages.createdAt), asc(deckImages.id));
	// Newest last, so it wins.
	return new Map(
		rows.map((r) => [r.annotationId!, deckImageUrl(courseId, lectureId, r.sha256)] as const)
	);
}
