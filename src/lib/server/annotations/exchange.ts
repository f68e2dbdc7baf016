import { annotations } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { newId } from '$lib/server/ids';
import { renderMarkdown } from '$lib/server/markdown';
import { recordActivity } from '$lib/server/activity/record';
import { paperText } from '$lib/server/papers/service';
import { documentText } from '$lib/papers/page-text';
import { withoutNul } from '$lib/validation';
import {
	TOO_MANY_BRACKETS_MESSAGE,
	fromAnnotationCollection,
	toAnnotationCollection,
	tooManyBrackets,
	type ExportItem,
	type ImportItem
} from '$lib/annotations/w3c';
import type { Visibility } from '$lib/annotations/types';
import { createOnce } from '$lib/server/forms';
import { listThreads } from './service';
import { textDetails } from '$lib/participation/fingerprint';

const MAX_IMPORT = 5000;

/** The paper's annotations that the actor may see, as a W3C AnnotationCollection. */
export async function exportAnnotations(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	origin: string
): Promise<Record<string, unknown>> {
	const [{ paper, pages }, threads] = await Promise.all([
		paperText(actor, courseId, paperId),
		listThreads(actor, courseId, paperId)
	]);
	const paperUrl = `${origin}/courses/${courseId}/papers/${paperId}`;
	const iri = (id: string) => `${paperUrl}#annotation-${id}`;
	const items: ExportItem[] = [];
	for (const thread of threads) {
		for (const a of [thread, ...thread.replies]) {
			if (a.deleted) continue;
			items.push({
				iri: iri(a.id),
				parentIri: a.parentId ? iri(a.parentId) : null,
				authorName: a.authorName,
				target: a.target,
				body: a.body,
				tags: a.tags,
				createdAt: a.createdAt,
				modifiedAt: a.updatedAt
			});
		}
	}
	return toAnnotationCollection({
		collectionIri: `${paperUrl}/export`,
		paperIri: `${paperUrl}/file/${paper.fileSha256}`,
		paperTitle: paper.title,
		// W3C positions count code points; ours count UTF-16 units. The text converts them.
		documentText: documentText(pages.map((p) => p.text)).text,
		items: items.filter((i) => !i.parentIri || items.some((p) => p.iri === i.parentIri))
	});
}

export type ImportOutcome = { ok: true; count: number } | { ok: false; message: string };

/**
 * Imports a W3C annotation file as the actor's own annotations on this paper: all of
 * them or, when one is unusable, none.
 */
export async function importAnnotations(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	text: string,
	visibility: Visibility,
	submission?: string
): Promise<ImportOutcome> {
	const { paper, pages } = await paperText(actor, courseId, paperId);
	if (tooManyBrackets(text)) return { ok: false, message: TOO_MANY_BRACKETS_MESSAGE };
	let json: unknown;
	try {
		// "\u0000" in a string would make the whole import fail in PostgreSQL.
		json = JSON.parse(text, (_key, value: unknown) =>
			typeof value === 'string' ? withoutNul(value) : value
		);
	} catch {
		return { ok: false, message: 'This file is not JSON; export annotations as W3C JSON-LD.' };
	}
	const doc = {
		...documentText(pages.map((p) => p.text)),
		pageSizes: pages.map((p) => ({ width: p.width, height: p.height }))
	};
	const parsed = fromAnnotationCollection(json, doc);
	if (!parsed.ok) return parsed;
	if (parsed.items.length === 0) return { ok: false, message: 'The file holds no annotations.' };
	if (parsed.items.length > MAX_IMPORT) {
		return { ok: false, message: `Import at most ${MAX_IMPORT} annotations at once.` };
	}
	const ids = new Map(parsed.items.map((item) => [item.key, newId()]));
	const byKey = new Map(parsed.items.map((item) => [item.key, item]));
	// Threads are one level deep here: a reply to a reply hangs on the thread's start.
	const rootOf = (item: ImportItem): ImportItem => {
		const seen = new Set<string>();
		let current = item;
		while (current.parentKey && byKey.has(current.parentKey) && !seen.has(current.key)) {
			seen.add(current.key);
			current = byKey.get(current.parentKey)!;
		}
		return current;
	};
	const placeOf = (item: ImportItem) => {
		const target = item.target;
		if (!target) return { page: null, position: null };
		if (target.kind === 'text') return { page: target.page, position: target.position.start };
		return { page: target.page, position: doc.pageStarts[target.page - 1] };
	};
	const count = await createOnce(actor, submission, async (tx) => {
		for (const item of parsed.items) {
			const id = ids.get(item.key)!;
			const root = rootOf(item);
			const isReply = root !== item;
			await tx.insert(annotations).values({
				id,
				courseId,
				paperId,
				parentId: isReply ? ids.get(root.key)! : null,
				authorId: actor.id,
				target: isReply ? null : item.target,
				...placeOf(root),
				body: item.body,
				bodyHtml: renderMarkdown(item.body),
				tags: isReply ? [] : item.tags,
				visibility
			});
			await recordActivity(tx, {
				courseId,
				userId: actor.id,
				lectureId: paper.lectureId,
				kind: isReply ? 'reply_created' : 'annotation_created',
				subjectType: 'annotation',
				subjectId: id,
				details: {
					...textDetails(item.body),
					imported: true
				}
			});
		}
		return parsed.items.length;
	});
	return { ok: true, count };
}
