import { isHttpError } from '@sveltejs/kit';
import type { SessionUser } from '$lib/server/auth/session';
import { getPaper, papersOfLecture } from '$lib/server/papers/service';
import { listThreadsOfLecture } from '$lib/server/decks/citations';
import { getDeck } from '$lib/server/decks/service';
import { outline, parseDeck } from '$lib/decks/dialect';

/**
 * What a critic may cite in a critique of this lecture: its papers (to quote a page), the
 * annotations they may see, and the slides when the deck is visible to them (else null).
 */
export async function evidenceSources(actor: SessionUser, courseId: string, lectureId: string) {
	const [lecturePapers, annotations, slides] = await Promise.all([
		papersOfLecture(actor, courseId, lectureId).then((found) =>
			Promise.all(
				found.map(async (p) => {
					const { paper } = await getPaper(actor, courseId, p.id);
					return { id: paper.id, title: paper.title, pageCount: paper.pageCount };
				})
			)
		),
		listThreadsOfLecture(actor, courseId, lectureId),
		slideTitles(actor, courseId, lectureId)
	]);
	return { papers: lecturePapers, annotations, slides };
}

async function slideTitles(actor: SessionUser, courseId: string, lectureId: string) {
	try {
		const { deck } = await getDeck(actor, courseId, lectureId);
		return outline(parseDeck(deck.source)).map((entry) => ({
			index: entry.index,
			title: entry.title
		}));
	} catch (e) {
		// Not published yet: the critic cites slides by number once they can see them.
		if (isHttpError(e, 404)) return null;
		throw e;
	}
}
