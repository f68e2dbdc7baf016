import { and, asc, count, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { error } from '@sveltejs/kit';
import { db, type Executor } from '$lib/server/db';
import {
	annotationRevisions,
	annotationVotes,
	annotations,
	memberships,
	paperPages,
	papers,
	users
} from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireMember, requireStaff, type CourseAccess } from '$lib/server/courses/access';
import { createOnce, InputError } from '$lib/server/forms';
import { newId } from '$lib/server/ids';
import { renderMarkdown } from '$lib/server/markdown';
import { recordActivity } from '$lib/server/activity/record';
import { mayHear, publish } from '$lib/server/live/bus';
import { mentionedMembers, notify, type Notice } from '$lib/server/notifications/service';
import { isStaff } from '$lib/courses/roles';
import { documentText } from '$lib/papers/page-text';
import { describeText } from '$lib/annotations/anchoring';
import type { AnnotationTarget, Visibility } from '$lib/annotations/types';
import type { VoteKind } from '$lib/annotations/schemas';
import type { AnnotationView, ThreadView } from '$lib/annotations/views';
import { textDetails } from '$lib/participation/fingerprint';

type Row = typeof annotations.$inferSelect;

export interface AnnotationInput {
	target: AnnotationTarget;
	body: string;
	tags: string[];
	visibility: Visibility;
}

/** Rows the actor may see: visibility, then hidden items only to staff and their author. */
export function visibleTo(actor: SessionUser, access: CourseAccess): SQL {
	const staff = isStaff(access.role);
	const mine = eq(annotations.authorId, actor.id);
	// A reply has its thread's audience, and that includes the thread's author (a student
	// who asks the staff sees their answers).
	const ownThreads = alias(annotations, 'own_threads');
	const inMyThread = inArray(
		annotations.parentId,
		db().select({ id: ownThreads.id }).from(ownThreads).where(eq(ownThreads.authorId, actor.id))
	);
	const audience = staff
		? or(eq(annotations.visibility, 'class'), eq(annotations.visibility, 'staff'), mine, inMyThread)
		: or(eq(annotations.visibility, 'class'), mine, inMyThread);
	return staff ? audience! : and(audience, or(isNull(annotations.hiddenAt), mine))!;
}

async function paperOf(executor: Executor, courseId: string, paperId: string) {
	const [paper] = await executor
		.select({
			id: papers.id,
			lectureId: papers.lectureId,
			pageCount: papers.pageCount,
			title: papers.title
		})
		.from(papers)
		.where(and(eq(papers.id, paperId), eq(papers.courseId, courseId)));
	if (!paper) error(404, 'Not found');
	return paper;
}

type Paper = Awaited<ReturnType<typeof paperOf>>;

/**
 * What a new annotation or reply tells others: the thread's author and the replied-to
 * author of the reply, and members mentioned as "@Full Name"; each only if they may read
 * the thread (its visibility, and a hidden thread only to staff and its author).
 */
async function threadNotices(
	tx: Executor,
	actor: SessionUser,
	courseId: string,
	paper: Paper,
	posted: { id: string; body: string; root: Row; parent: Row | null }
): Promise<Notice[]> {
	const { root, parent } = posted;
	const where = `“${paper.title}”`;
	const url = `/courses/${courseId}/papers/${paper.id}#annotation-${root.id}`;
	const wanted = new Map<string, Pick<Notice, 'kind' | 'key' | 'text'>>();
	const reply = (text: string) => ({ kind: 'reply' as const, key: `reply:${posted.id}`, text });
	if (parent && root.authorId) {
		wanted.set(root.authorId, reply(`${actor.name} replied to your annotation on ${where}.`));
	}
	if (parent?.authorId && !parent.deletedAt && !wanted.has(parent.authorId)) {
		wanted.set(parent.authorId, reply(`${actor.name} replied to you on ${where}.`));
	}
	for (const m of await mentionedMembers(tx, courseId, posted.body)) {
		if (wanted.has(m.id)) continue;
		wanted.set(m.id, {
			kind: 'mention',
			key: `mention:${posted.id}`,
			text: `${actor.name} mentioned you ${parent ? 'in a reply' : 'in an annotation'} on ${where}.`
		});
	}
	wanted.delete(actor.id);
	if (wanted.size === 0) return [];
	const members = await tx
		.select({ userId: memberships.userId, role: memberships.role })
		.from(memberships)
		.where(
			and(eq(memberships.courseId, courseId), inArray(memberships.userId, [...wanted.keys()]))
		);
	return members
		.filter(({ userId, role }) => {
			const member = { userId, isStaff: isStaff(role) };
			if (root.hiddenAt && !member.isStaff && userId !== root.authorId) return false;
			return mayHear({ audience: root.visibility, authorId: root.authorId }, member);
		})
		.map(({ userId }) => ({ userId, courseId, url, ...wanted.get(userId)! }));
}

function toView(
	row: Row & { authorName: string | null },
	actor: SessionUser,
	votes: Map<string, Record<VoteKind, number>>,
	mine: Map<string, VoteKind[]>
): AnnotationView {
	const deleted = row.deletedAt !== null;
	return {
		id: row.id,
		parentId: row.parentId,
		authorName: deleted ? null : row.authorName,
		isMine: !deleted && row.authorId === actor.id,
		target: row.target,
		page: row.page,
		body: deleted ? '' : row.body,
		bodyHtml: deleted ? '' : row.bodyHtml,
		tags: deleted ? [] : row.tags,
		visibility: row.visibility,
		endorsed: row.endorsedAt !== null,
		hidden: row.hiddenAt !== null,
		deleted,
		edited: row.updatedAt.getTime() !== row.createdAt.getTime(),
		votes: votes.get(row.id) ?? { helpful: 0, same_question: 0 },
		myVotes: mine.get(row.id) ?? [],
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString()
	};
}

/** Threads (annotation + replies) of a paper that the actor may see, in reading order. */
async function threads(
	actor: SessionUser,
	access: CourseAccess,
	paperId: string,
	rootId?: string
): Promise<ThreadView[]> {
	const scope = rootId
		? or(eq(annotations.id, rootId), eq(annotations.parentId, rootId))
		: eq(annotations.paperId, paperId);
	const rows = await db()
		.select({ annotation: annotations, authorName: users.name })
		.from(annotations)
		.leftJoin(users, eq(users.id, annotations.authorId))
		.where(and(eq(annotations.paperId, paperId), scope, visibleTo(actor, access)))
		.orderBy(asc(annotations.page), asc(annotations.position), asc(annotations.createdAt));
	const ids = rows.map((r) => r.annotation.id);
	const votes = new Map<string, Record<VoteKind, number>>();
	const mine = new Map<string, VoteKind[]>();
	if (ids.length > 0) {
		const counts = await db()
			.select({ id: annotationVotes.annotationId, kind: annotationVotes.kind, n: count() })
			.from(annotationVotes)
			.where(inArray(annotationVotes.annotationId, ids))
			.groupBy(annotationVotes.annotationId, annotationVotes.kind);
		for (const c of counts) {
			const v = votes.get(c.id) ?? { helpful: 0, same_question: 0 };
			v[c.kind] = c.n;
			votes.set(c.id, v);
		}
		const own = await db()
			.select({ id: annotationVotes.annotationId, kind: annotationVotes.kind })
			.from(annotationVotes)
			.where(and(inArray(annotationVotes.annotationId, ids), eq(annotationVotes.userId, actor.id)));
		for (const o of own) mine.set(o.id, [...(mine.get(o.id) ?? []), o.kind]);
	}
	const views = rows.map((r) =>
		toView({ ...r.annotation, authorName: r.authorName }, actor, votes, mine)
	);
	const byRoot = new Map<string, AnnotationView[]>();
	for (const v of views) {
		if (v.parentId && !v.deleted) byRoot.set(v.parentId, [...(byRoot.get(v.parentId) ?? []), v]);
	}
	return (
		views
			.filter((v) => v.parentId === null)
			.map((v) => ({
				...v,
				replies: (byRoot.get(v.id) ?? []).sort((a, b) => a.createdAt.localeCompare(b.createdAt))
			}))
			// A deleted annotation stays only as the parent of its replies.
			.filter((t) => !t.deleted || t.replies.length > 0)
	);
}

export async function listThreads(
	actor: SessionUser,
	courseId: string,
	paperId: string
): Promise<ThreadView[]> {
	const access = await requireMember(actor, courseId);
	await paperOf(db(), courseId, paperId);
	return threads(actor, access, paperId);
}

/** One thread, or 404 when it does not exist or the actor may not see it. */
export async function getThread(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	rootId: string
): Promise<ThreadView> {
	const access = await requireMember(actor, courseId);
	await paperOf(db(), courseId, paperId);
	const [thread] = await threads(actor, access, paperId, rootId);
	if (!thread || thread.id !== rootId) error(404, 'Not found');
	return thread;
}

/** Checks a target against the stored page text; returns its page and reading-order position. */
async function placeTarget(
	executor: Executor,
	paperId: string,
	pageCount: number,
	target: AnnotationTarget
) {
	if (target.page > pageCount || (target.kind === 'text' && target.endPage > pageCount)) {
		throw new InputError({ target: `The paper has only ${pageCount} pages.` });
	}
	const pages = await executor
		.select({ text: paperPages.text, width: paperPages.width, height: paperPages.height })
		.from(paperPages)
		.where(eq(paperPages.paperId, paperId))
		.orderBy(asc(paperPages.pageNumber));
	const doc = documentText(pages.map((p) => p.text));
	if (target.kind === 'text') {
		const { start, end } = target.position;
		if (end <= start || doc.text.slice(start, end) !== target.quote.exact) {
			throw new InputError({
				target: 'The selected text was not found in the paper; select it again.'
			});
		}
		// The stored page orders and filters annotations: it must be where the text is.
		const placed = describeText(doc, start, end);
		if (placed.page !== target.page || placed.endPage !== target.endPage) {
			throw new InputError({ target: 'The selection is not on the pages given; select it again.' });
		}
		return { page: target.page, position: start };
	}
	const size = pages[target.page - 1];
	const { x, y, width, height } = target.rect;
	if (x + width > size.width + 1 || y + height > size.height + 1) {
		throw new InputError({ target: 'The region lies outside the page; draw it again.' });
	}
	const pageLength = pages[target.page - 1].text.length;
	return {
		page: target.page,
		position: doc.pageStarts[target.page - 1] + Math.round((y / size.height) * pageLength)
	};
}

const channelOf = (paperId: string) => `paper:${paperId}`;

function announce(paperId: string, rootId: string, audience: Visibility, authorId: string | null) {
	return publish({ channel: channelOf(paperId), type: 'thread', id: rootId, audience, authorId });
}

/** The author of the thread `row` is in: events about any of its replies reach them too. */
async function threadAuthorId(row: Row): Promise<string | null> {
	if (!row.parentId) return row.authorId;
	const [root] = await db()
		.select({ authorId: annotations.authorId })
		.from(annotations)
		.where(eq(annotations.id, row.parentId));
	return root?.authorId ?? null;
}

export async function createAnnotation(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	input: AnnotationInput,
	submission?: string
): Promise<string> {
	await requireMember(actor, courseId);
	const id = await createOnce(actor, submission, async (tx) => {
		const id = newId();
		const paper = await paperOf(tx, courseId, paperId);
		const place = await placeTarget(tx, paperId, paper.pageCount, input.target);
		const [row] = await tx
			.insert(annotations)
			.values({
				id,
				courseId,
				paperId,
				authorId: actor.id,
				target: input.target,
				...place,
				body: input.body,
				bodyHtml: renderMarkdown(input.body),
				tags: input.tags,
				visibility: input.visibility
			})
			.returning();
		await recordActivity(tx, {
			courseId,
			userId: actor.id,
			lectureId: paper.lectureId,
			kind: 'annotation_created',
			subjectType: 'annotation',
			subjectId: id,
			details: {
				...textDetails(input.body),
				tags: input.tags,
				visibility: input.visibility
			}
		});
		await notify(
			tx,
			actor.id,
			await threadNotices(tx, actor, courseId, paper, {
				id,
				body: input.body,
				root: row,
				parent: null
			})
		);
		return id;
	});
	await announce(paperId, id, input.visibility, actor.id);
	return id;
}

/** The annotation as the actor may see it, or 404. */
async function visibleRow(
	executor: Executor,
	actor: SessionUser,
	access: CourseAccess,
	paperId: string,
	id: string
): Promise<Row> {
	const [row] = await executor
		.select()
		.from(annotations)
		.where(
			and(
				eq(annotations.id, id),
				// The course of the URL: staff of one course must not reach another's notes.
				eq(annotations.courseId, access.course.id),
				eq(annotations.paperId, paperId),
				visibleTo(actor, access)
			)
		);
	if (!row) error(404, 'Not found');
	return row;
}

export async function reply(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	parentId: string,
	body: string,
	submission?: string
): Promise<string> {
	const access = await requireMember(actor, courseId);
	const { id, thread } = await createOnce(actor, submission, async (tx) => {
		const id = newId();
		const paper = await paperOf(tx, courseId, paperId);
		const parent = await visibleRow(tx, actor, access, paperId, parentId);
		// Threads are one level deep: a reply to a reply joins the same thread.
		const root = parent.parentId
			? await visibleRow(tx, actor, access, paperId, parent.parentId)
			: parent;
		if (root.deletedAt) throw new InputError({ body: 'This annotation was deleted.' });
		await tx.insert(annotations).values({
			id,
			courseId,
			paperId,
			parentId: root.id,
			authorId: actor.id,
			page: root.page,
			position: root.position,
			body,
			bodyHtml: renderMarkdown(body),
			visibility: root.visibility
		});
		await recordActivity(tx, {
			courseId,
			userId: actor.id,
			lectureId: paper.lectureId,
			kind: 'reply_created',
			subjectType: 'annotation',
			subjectId: id,
			details: { ...textDetails(body), parentId: root.id }
		});
		await notify(
			tx,
			actor.id,
			await threadNotices(tx, actor, courseId, paper, { id, body, root, parent })
		);
		return { id, thread: { id: root.id, visibility: root.visibility, authorId: root.authorId } };
	});
	await announce(paperId, thread.id, thread.visibility, thread.authorId);
	return id;
}

const BROADER: Record<Visibility, number> = { private: 0, staff: 1, class: 2 };

export async function editAnnotation(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	id: string,
	input: Omit<AnnotationInput, 'target'>
): Promise<void> {
	const access = await requireMember(actor, courseId);
	const { edited, audience } = await db().transaction(async (tx) => {
		const row = await visibleRow(tx, actor, access, paperId, id);
		if (row.authorId !== actor.id || row.deletedAt) error(403, 'Only the author can edit this.');
		const unchanged =
			row.body === input.body &&
			(row.parentId !== null ||
				(row.visibility === input.visibility && row.tags.join() === input.tags.join()));
		if (unchanged) return { edited: row, audience: row.visibility };
		await tx.insert(annotationRevisions).values({
			id: newId(),
			annotationId: id,
			body: row.body,
			tags: row.tags,
			visibility: row.visibility
		});
		// Replies share their thread's audience; only the thread's start chooses it.
		const visibility = row.parentId ? row.visibility : input.visibility;
		await tx
			.update(annotations)
			.set({
				body: input.body,
				bodyHtml: renderMarkdown(input.body),
				tags: row.parentId ? [] : input.tags,
				visibility,
				updatedAt: new Date()
			})
			.where(eq(annotations.id, id));
		if (!row.parentId && visibility !== row.visibility) {
			await tx.update(annotations).set({ visibility }).where(eq(annotations.parentId, id));
		}
		const audience = BROADER[visibility] > BROADER[row.visibility] ? visibility : row.visibility;
		return { edited: row, audience };
	});
	await announce(paperId, edited.parentId ?? edited.id, audience, await threadAuthorId(edited));
}

/** Earlier versions of one's own annotation, oldest first. */
export async function annotationHistory(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	id: string
) {
	const access = await requireMember(actor, courseId);
	const row = await visibleRow(db(), actor, access, paperId, id);
	if (row.authorId !== actor.id && !isStaff(access.role)) error(404, 'Not found');
	return db()
		.select({ body: annotationRevisions.body, replacedAt: annotationRevisions.replacedAt })
		.from(annotationRevisions)
		.where(eq(annotationRevisions.annotationId, id))
		.orderBy(asc(annotationRevisions.replacedAt));
}

export async function deleteAnnotation(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	id: string
): Promise<void> {
	const access = await requireMember(actor, courseId);
	const row = await db().transaction(async (tx) => {
		const row = await visibleRow(tx, actor, access, paperId, id);
		if (row.authorId !== actor.id) error(403, 'Only the author can delete this.');
		if (row.deletedAt) return row;
		const paper = await paperOf(tx, courseId, paperId);
		await tx.update(annotations).set({ deletedAt: new Date() }).where(eq(annotations.id, id));
		await recordActivity(tx, {
			courseId,
			userId: actor.id,
			lectureId: paper.lectureId,
			kind: 'annotation_deleted',
			subjectType: 'annotation',
			subjectId: id
		});
		return row;
	});
	await announce(paperId, row.parentId ?? row.id, row.visibility, await threadAuthorId(row));
}

export async function setVote(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	id: string,
	kind: VoteKind,
	on: boolean
): Promise<void> {
	const access = await requireMember(actor, courseId);
	const row = await db().transaction(async (tx) => {
		const row = await visibleRow(tx, actor, access, paperId, id);
		if (row.deletedAt) error(404, 'Not found');
		if (row.authorId === actor.id) {
			throw new InputError({ form: 'You cannot vote on your own comment.' });
		}
		if (kind === 'same_question' && !row.tags.includes('question')) {
			throw new InputError({ form: 'Only questions can be seconded.' });
		}
		const paper = await paperOf(tx, courseId, paperId);
		const changed = on
			? await tx
					.insert(annotationVotes)
					.values({ annotationId: id, userId: actor.id, kind })
					.onConflictDoNothing()
					.returning({ id: annotationVotes.annotationId })
			: await tx
					.delete(annotationVotes)
					.where(
						and(
							eq(annotationVotes.annotationId, id),
							eq(annotationVotes.userId, actor.id),
							eq(annotationVotes.kind, kind)
						)
					)
					.returning({ id: annotationVotes.annotationId });
		if (changed.length > 0 && row.authorId) {
			await recordActivity(tx, {
				courseId,
				userId: row.authorId,
				actorId: actor.id,
				lectureId: paper.lectureId,
				kind: on ? 'vote_received' : 'vote_withdrawn',
				subjectType: 'annotation',
				subjectId: id,
				details: { vote: kind }
			});
		}
		return row;
	});
	await announce(paperId, row.parentId ?? row.id, row.visibility, await threadAuthorId(row));
}

/** Instructors and TAs endorse a good comment or hide one from students. */
export async function setStaffFlag(
	actor: SessionUser,
	courseId: string,
	paperId: string,
	id: string,
	flag: 'endorsed' | 'hidden',
	on: boolean
): Promise<void> {
	const access = await requireStaff(actor, courseId);
	const row = await db().transaction(async (tx) => {
		const row = await visibleRow(tx, actor, access, paperId, id);
		if (row.deletedAt) error(404, 'Not found');
		const paper = await paperOf(tx, courseId, paperId);
		const was = flag === 'endorsed' ? row.endorsedAt !== null : row.hiddenAt !== null;
		if (was === on) return row;
		const now = on ? new Date() : null;
		await tx
			.update(annotations)
			.set(
				flag === 'endorsed'
					? { endorsedAt: now, endorsedBy: on ? actor.id : null }
					: { hiddenAt: now, hiddenBy: on ? actor.id : null }
			)
			.where(eq(annotations.id, id));
		if (row.authorId) {
			const kinds = {
				endorsed: ['endorsement_received', 'endorsement_withdrawn'],
				hidden: ['hidden_by_staff', 'unhidden_by_staff']
			} as const;
			await recordActivity(tx, {
				courseId,
				userId: row.authorId,
				actorId: actor.id,
				lectureId: paper.lectureId,
				kind: kinds[flag][on ? 0 : 1],
				subjectType: 'annotation',
				subjectId: id
			});
		}
		return row;
	});
	// Hiding changes who sees it: tell everyone who could see it before.
	await announce(paperId, row.parentId ?? row.id, row.visibility, await threadAuthorId(row));
}
