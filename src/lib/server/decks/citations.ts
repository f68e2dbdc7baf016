import type { SessionUser } from '$lib/server/auth/session';
import type { Citable } from '$lib/decks/types';
import { listThreads } from '$lib/server/annotations/service';
import { getPaper, papersOfLecture } from '$lib/server/papers/service';

/** Annotations of the lecture's papers that the actor may see, for the deck's citation panel. */
export async function listThreadsOfLecture(
	actor: SessionUser,
	courseId: string,
	lectureId: string
): Promise<Citable[]> {
	const papers = await papersOfLecture(actor, courseId, lectureId);
	const perPaper = await Promise.all(
		papers.map(async (p) => {
			const [{ paper }, threads] = await Promise.all([
				getPaper(actor, courseId, p.id),
				listThreads(actor, courseId, p.id)
			]);
			return threads
				.filter((t) => !t.deleted && t.target)
				.map((t): Citable => ({
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
					...(t.target!.kind === 'region' && {
						region: {
							rect: t.target!.rect,
							pdfUrl: `/courses/${courseId}/papers/${paper.id}/file/${paper.fileSha256}`
						}
					})
				}));
		})
	);
	return perPaper.flat();
}
