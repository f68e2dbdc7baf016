import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { db } from '$lib/server/db';
import { annotations, paperPages, papers } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireMember } from '$lib/server/courses/access';
import { visibleTo } from '$lib/server/annotations/service';

// Markers around matches in snippets: control characters no paper or comment contains, so
// the page can escape the text and still show the matches.
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';
const HEADLINE = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

export interface SearchHit {
	paperId: string;
	paperTitle: string;
	page: number | null;
	/** Text with matches between MATCH_START and MATCH_END. */
	snippet: string;
	annotationId?: string;
}

/** Full-text search over the course's papers and the annotations the actor may see. */
export async function searchCourse(
	actor: SessionUser,
	courseId: string,
	q: string
): Promise<{ pages: SearchHit[]; annotations: SearchHit[] }> {
	const access = await requireMember(actor, courseId);
	const query = sql`websearch_to_tsquery('english', ${q})`;
	const pageVector = sql`to_tsvector('english', ${paperPages.text})`;
	const noteVector = sql`to_tsvector('english', ${annotations.body})`;
	const [pageHits, noteHits] = await Promise.all([
		db()
			.select({
				paperId: papers.id,
				paperTitle: papers.title,
				page: paperPages.pageNumber,
				snippet: sql<string>`ts_headline('english', ${paperPages.text}, ${query}, ${HEADLINE})`
			})
			.from(paperPages)
			.innerJoin(papers, eq(papers.id, paperPages.paperId))
			.where(and(eq(papers.courseId, courseId), sql`${pageVector} @@ ${query}`))
			.orderBy(desc(sql`ts_rank(${pageVector}, ${query})`))
			.limit(30),
		db()
			.select({
				paperId: papers.id,
				paperTitle: papers.title,
				page: annotations.page,
				annotationId: sql<string>`coalesce(${annotations.parentId}, ${annotations.id})`,
				snippet: sql<string>`ts_headline('english', ${annotations.body}, ${query}, ${HEADLINE})`
			})
			.from(annotations)
			.innerJoin(papers, eq(papers.id, annotations.paperId))
			.where(
				and(
					eq(annotations.courseId, courseId),
					isNull(annotations.deletedAt),
					visibleTo(actor, access),
					sql`${noteVector} @@ ${query}`
				)
			)
			.orderBy(desc(sql`ts_rank(${noteVector}, ${query})`))
			.limit(30)
	]);
	return { pages: pageHits, annotations: noteHits };
}
