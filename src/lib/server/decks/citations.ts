import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { SessionUser } from '$lib/server/auth/session';
import type { Citable, CitingSlide } from '$lib/decks/types';
import { citedSlides } from '$lib/decks/dialect';
import { db, type Transaction } from '$lib/server/db';
import { activity, annotations, deckCitations, decks, lectures } from '$lib/server/db/schema';
import { requireMember, type CourseAccess } from '$lib/server/courses/access';
import { recordActivity } from '$lib/server/activity/record';
import { listThreads, visibleTo } from '$lib/server/annotations/service';
import { getPaper, papersOfLecture } from '$lib/server/papers/service';
import { canEdit, isVisible } from './access';

/** Annotations of the lecture's papers that the actor may see, for the deck's citation panel. */
export async function listThreadsOfLecture(
	actor: SessionUser,
	courseId: string,
	lectureId: string
): Promise<Citable[]> {
	const [papers, citedAt] = await Promise.all([
		papersOfLecture(actor, courseId, lectureId),
		citationTimes(lectureId)
	]);
	const perPaper = await Promise.all(
		papers.map(async (p) => {
			const [{ paper }, threads] = await Promise.all([
				getPaper(actor, courseId, p.id),
				listThreads(actor, courseId, p.id)
			]);
			return threads
				.filter((t) => !t.deleted && t.target)
				.map((t): Citable => {
					const cited = citedAt.get(t.id);
					return {
						annotationId: t.id,
						paperId: paper.id,
						paperTitle: paper.title,
						page: t.page,
						kind: t.target!.kind,
						quote:
							t.target!.kind === 'text'
								? t.target!.quote.exact
								: `Figure region, page ${t.target!.page}`,
						authorName: t.authorName,
						tags: t.tags,
						updatedAt: t.updatedAt,
						// Only edits bump updated_at (votes and staff flags do not).
						changed: cited !== undefined && new Date(t.updatedAt) > cited,
						...(t.target!.kind === 'region' && {
							region: {
								rect: t.target!.rect,
								pdfUrl: `/courses/${courseId}/papers/${paper.id}/file/${paper.fileSha256}`
							}
						})
					};
				});
		})
	);
	return perPaper.flat();
}

/** When the lecture's deck first cited each annotation it cites now. */
async function citationTimes(lectureId: string): Promise<Map<string, Date>> {
	const rows = await db()
		.select({ annotationId: deckCitations.annotationId, citedAt: deckCitations.citedAt })
		.from(deckCitations)
		.innerJoin(decks, eq(decks.id, deckCitations.deckId))
		.where(eq(decks.lectureId, lectureId));
	return new Map(rows.map((r) => [r.annotationId, r.citedAt]));
}

const sameSlides = (a: [number, number][], b: [number, number][]) =>
	JSON.stringify(a) === JSON.stringify(b);

/**
 * Brings the deck's citation rows in step with a new revision's text, in the revision's
 * transaction. A newly cited annotation counts only if it is a thread of this course the
 * actor may see (ids in the text come from the browser); its author, when someone else,
 * earns 'annotation_cited' once per deck, so removing and re-adding a quote earns nothing.
 */
export async function syncCitations(
	tx: Transaction,
	actor: SessionUser,
	access: CourseAccess,
	target: { courseId: string; lectureId: string; deckId: string },
	source: string
): Promise<void> {
	const { courseId, lectureId, deckId } = target;
	const wanted = citedSlides(source);
	const existing = await tx
		.select({ annotationId: deckCitations.annotationId, slides: deckCitations.slides })
		.from(deckCitations)
		.where(eq(deckCitations.deckId, deckId));
	const gone = existing.filter((c) => !wanted.has(c.annotationId)).map((c) => c.annotationId);
	if (gone.length > 0) {
		await tx
			.delete(deckCitations)
			.where(and(eq(deckCitations.deckId, deckId), inArray(deckCitations.annotationId, gone)));
	}
	for (const { annotationId, slides } of existing) {
		const now = wanted.get(annotationId);
		if (!now || sameSlides(now, slides)) continue;
		await tx
			.update(deckCitations)
			.set({ slides: now })
			.where(and(eq(deckCitations.deckId, deckId), eq(deckCitations.annotationId, annotationId)));
	}

	const kept = new Set(existing.map((c) => c.annotationId));
	const fresh = [...wanted.keys()].filter((id) => !kept.has(id));
	if (fresh.length === 0) return;
	const found = await tx
		.select({ id: annotations.id, authorId: annotations.authorId })
		.from(annotations)
		.where(
			and(
				inArray(annotations.id, fresh),
				eq(annotations.courseId, courseId),
				isNull(annotations.parentId),
				isNull(annotations.deletedAt),
				visibleTo(actor, access)
			)
		);
	if (found.length === 0) return;
	const authors = new Map(found.map((a) => [a.id, a.authorId]));
	const cited = fresh.filter((id) => authors.has(id));
	const citedAt = new Date();
	await tx.insert(deckCitations).values(
		cited.map((annotationId) => ({
			deckId,
			annotationId,
			slides: wanted.get(annotationId)!,
			citedAt
		}))
	);

	const credited = await tx
		.select({ annotationId: activity.subjectId })
		.from(activity)
		.where(
			and(
				eq(activity.kind, 'annotation_cited'),
				eq(activity.subjectType, 'annotation'),
				inArray(activity.subjectId, cited),
				sql`${activity.details}->>'deckId' = ${deckId}`
			)
		);
	const creditedIds = new Set(credited.map((c) => c.annotationId));
	for (const annotationId of cited) {
		const authorId = authors.get(annotationId);
		if (!authorId || authorId === actor.id || creditedIds.has(annotationId)) continue;
		await recordActivity(tx, {
			courseId,
			userId: authorId,
			actorId: actor.id,
			lectureId,
			kind: 'annotation_cited',
			subjectType: 'annotation',
			subjectId: annotationId,
			details: { deckId, slides: wanted.get(annotationId) }
		});
	}
}

/**
 * For each annotation of the paper, the slides that cite it in decks the actor may see:
 * published ones, and drafts of the lectures whose deck the actor edits. In lecture and
 * slide order.
 */
export async function citingSlides(
	actor: SessionUser,
	courseId: string,
	paperId: string
): Promise<Map<string, CitingSlide[]>> {
	const access = await requireMember(actor, courseId);
	const rows = await db()
		.select({
			annotationId: deckCitations.annotationId,
			slides: deckCitations.slides,
			lectureId: lectures.id,
			lectureNumber: lectures.number,
			status: decks.status,
			publishAt: decks.publishAt
		})
		.from(deckCitations)
		.innerJoin(annotations, eq(annotations.id, deckCitations.annotationId))
		.innerJoin(decks, eq(decks.id, deckCitations.deckId))
		.innerJoin(lectures, eq(lectures.id, decks.lectureId))
		.where(and(eq(annotations.paperId, paperId), eq(decks.courseId, courseId)))
		.orderBy(asc(lectures.number), asc(lectures.id));
	// Drafts are rare and few lectures cite one paper: one check per draft's lecture.
	const editable = new Map<string, Promise<boolean>>();
	const mayEdit = (lectureId: string) => {
		if (!editable.has(lectureId)) editable.set(lectureId, canEdit(actor, access, lectureId));
		return editable.get(lectureId)!;
	};
	const byAnnotation = new Map<string, CitingSlide[]>();
	for (const row of rows) {
		const draft = !isVisible(row);
		if (draft && !(await mayEdit(row.lectureId))) continue;
		const list = byAnnotation.get(row.annotationId) ?? [];
		for (const [h, v] of row.slides) {
			list.push({ lectureId: row.lectureId, lectureNumber: row.lectureNumber, draft, h, v });
		}
		byAnnotation.set(row.annotationId, list);
	}
	return byAnnotation;
}
