import { and, asc, count, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db, type Executor } from '$lib/server/db';
import {
	annotations,
	critiqueCitations,
	critiqueForms,
	critiqueReplies,
	critiqueSettings,
	critiqueVersions,
	critiqueVotes,
	critiques,
	lectures,
	papers,
	users
} from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireInstructor, requireMember, type CourseAccess } from '$lib/server/courses/access';
import { isPresenter } from '$lib/server/lectures/presenters';
import { recordActivity } from '$lib/server/activity/record';
import { critiquesUrl } from './due';
import { mentionedMembers, notify, type Notice } from '$lib/server/notifications/service';
import { createOnce, InputError } from '$lib/server/forms';
import { newId } from '$lib/server/ids';
import { renderMarkdown } from '$lib/server/markdown';
import { isStaff } from '$lib/courses/roles';
import {
	CRITIQUE_KINDS,
	DEFAULT_FORMS,
	answersText,
	checkAnswers,
	critiqueFormSchema,
	type CritiqueField,
	type CritiqueKind
} from '$lib/critiques/forms';
import {
	critiqueDue,
	critiqueOpen,
	isLate,
	mayReadPeers,
	type RevealRule
} from '$lib/critiques/deadlines';
import { findEvidence, linkEvidence, type Evidence } from '$lib/critiques/evidence';
import {
	ANONYMOUS_CRITIC,
	THE_CRITIC,
	THE_PRESENTERS,
	type CitingCritique,
	type CritiqueReplyView,
	type CritiqueView
} from '$lib/critiques/views';
import { textDetails } from '$lib/participation/fingerprint';
import { rowMessages } from '$lib/forms/row-editor';

type CritiqueRow = typeof critiques.$inferSelect;

export async function critiqueFormOf(
	executor: Executor,
	courseId: string,
	kind: CritiqueKind
): Promise<CritiqueField[]> {
	const [row] = await executor
		.select({ fields: critiqueForms.fields })
		.from(critiqueForms)
		.where(and(eq(critiqueForms.courseId, courseId), eq(critiqueForms.kind, kind)));
	return row?.fields ?? DEFAULT_FORMS[kind];
}

async function revealRuleOf(executor: Executor, courseId: string): Promise<RevealRule> {
	const [row] = await executor
		.select({ reveal: critiqueSettings.reveal })
		.from(critiqueSettings)
		.where(eq(critiqueSettings.courseId, courseId));
	return row?.reveal ?? 'after_own_or_deadline';
}

export async function critiqueSettingsOf(actor: SessionUser, courseId: string) {
	await requireMember(actor, courseId);
	const [paper, presentation, reveal] = await Promise.all([
		critiqueFormOf(db(), courseId, 'paper'),
		critiqueFormOf(db(), courseId, 'presentation'),
		revealRuleOf(db(), courseId)
	]);
	return { forms: { paper, presentation }, reveal };
}

/** Replaces the course's form of one kind; critiques already written keep theirs. */
export async function setCritiqueForm(
	actor: SessionUser,
	courseId: string,
	kind: CritiqueKind,
	fields: unknown
): Promise<void> {
	await requireInstructor(actor, courseId);
	const parsed = critiqueFormSchema.safeParse(fields);
	if (!parsed.success) {
		throw new InputError({ fields: rowMessages(parsed.error.issues, 'Field') });
	}
	await db()
		.insert(critiqueForms)
		.values({ courseId, kind, fields: parsed.data, updatedBy: actor.id })
		.onConflictDoUpdate({
			target: [critiqueForms.courseId, critiqueForms.kind],
			set: { fields: parsed.data, updatedBy: actor.id, updatedAt: new Date() }
		});
}

export async function setRevealRule(
	actor: SessionUser,
	courseId: string,
	reveal: RevealRule
): Promise<void> {
	await requireInstructor(actor, courseId);
	await db()
		.insert(critiqueSettings)
		.values({ courseId, reveal })
		.onConflictDoUpdate({ target: critiqueSettings.courseId, set: { reveal } });
}

async function lectureOf(executor: Executor, courseId: string, lectureId: string) {
	const [lecture] = await executor
		.select({
			id: lectures.id,
			number: lectures.number,
			title: lectures.title,
			startsAt: lectures.startsAt,
			paperCritiqueDueAt: lectures.paperCritiqueDueAt,
			presentationCritiqueDueAt: lectures.presentationCritiqueDueAt
		})
		.from(lectures)
		.where(and(eq(lectures.id, lectureId), eq(lectures.courseId, courseId)));
	if (!lecture) error(404, 'Not found');
	return lecture;
}

type Lecture = Awaited<ReturnType<typeof lectureOf>>;

const lectureUrl = (courseId: string, lectureId: string) =>
	`/courses/${courseId}/lectures/${lectureId}`;
const critiqueUrl = (courseId: string, critique: { lectureId: string; id: string }) =>
	`${critiquesUrl(courseId, critique.lectureId)}#critique-${critique.id}`;

/** Who a member is for one lecture's critiques. */
async function standing(
	actor: SessionUser,
	access: CourseAccess,
	lectureId: string,
	executor: Executor = db()
) {
	return {
		staff: isStaff(access.role),
		presenter: await isPresenter(actor.id, lectureId, executor)
	};
}

/** Refuses writing a critique the actor has no business writing. */
function checkMayWrite(
	who: { staff: boolean; presenter: boolean },
	kind: CritiqueKind,
	lecture: Lecture,
	now: Date
) {
	if (who.staff) {
		throw new InputError({ form: 'Instructors and TAs grade talks; critiques are for students.' });
	}
	if (who.presenter && kind === 'presentation') {
		throw new InputError({ form: 'You gave this talk: answer its critiques instead.' });
	}
	if (!critiqueOpen(lecture, kind, now)) {
		throw new InputError({ form: 'The presentation can be critiqued once the talk has started.' });
	}
}

/**
 * Evidence links must point into this lecture: an annotation of one of its papers that the
 * author may see, a page of one of its papers, a slide number. Anything else is refused.
 */
async function checkEvidence(
	executor: Executor,
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	fields: CritiqueField[],
	answers: Record<string, string | number>
): Promise<
	{ fieldKey: string; evidence: Evidence; paperId: string | null; page: number | null }[]
> {
	const found = fields.flatMap((f) =>
		f.type === 'text' && typeof answers[f.key] === 'string'
			? findEvidence(answers[f.key] as string).map((evidence) => ({ fieldKey: f.key, evidence }))
			: []
	);
	if (found.length === 0) return [];
	const lecturePapers = await executor
		.select({ id: papers.id, pageCount: papers.pageCount })
		.from(papers)
		.where(and(eq(papers.courseId, courseId), eq(papers.lectureId, lectureId)));
	const pages = new Map(lecturePapers.map((p) => [p.id, p.pageCount]));
	const annotationIds = found.flatMap((f) =>
		f.evidence.kind === 'annotation' ? [f.evidence.id] : []
	);
	const cited = annotationIds.length
		? await executor
				.select({ id: annotations.id, paperId: annotations.paperId, page: annotations.page })
				.from(annotations)
				.where(
					and(
						inArray(annotations.id, annotationIds),
						eq(annotations.courseId, courseId),
						isNull(annotations.deletedAt),
						or(eq(annotations.visibility, 'class'), eq(annotations.authorId, actor.id))
					)
				)
		: [];
	const byId = new Map(cited.map((a) => [a.id, a]));
	return found.map(({ fieldKey, evidence }) => {
		if (evidence.kind === 'annotation') {
			const a = byId.get(evidence.id);
			if (!a || !pages.has(a.paperId)) {
				throw new InputError({
					[fieldKey]: 'A citation points at an annotation that is not on this lecture’s papers.'
				});
			}
			return { fieldKey, evidence, paperId: a.paperId, page: a.page };
		}
		if (evidence.kind === 'passage') {
			const pageCount = pages.get(evidence.paperId);
			if (pageCount === undefined || evidence.page > pageCount) {
				throw new InputError({
					[fieldKey]: 'A citation points at a page that is not in this lecture’s papers.'
				});
			}
			return { fieldKey, evidence, paperId: evidence.paperId, page: evidence.page };
		}
		return { fieldKey, evidence, paperId: null, page: null };
	});
}

/** Renders the text answers with their evidence linked to the paper or deck. */
function renderAnswers(
	courseId: string,
	lectureId: string,
	fields: CritiqueField[],
	answers: Record<string, string | number>,
	paperOfAnnotation: Map<string, string>
): Record<string, string> {
	const href = (e: Evidence) => {
		if (e.kind === 'annotation') {
			const paperId = paperOfAnnotation.get(e.id);
			return paperId ? `/courses/${courseId}/papers/${paperId}#annotation-${e.id}` : null;
		}
		if (e.kind === 'passage') return `/courses/${courseId}/papers/${e.paperId}#page=${e.page}`;
		return `${lectureUrl(courseId, lectureId)}/deck?slide=${e.h}${e.v > 1 ? `.${e.v}` : ''}`;
	};
	const html: Record<string, string> = {};
	for (const field of fields) {
		const answer = answers[field.key];
		if (field.type === 'text' && typeof answer === 'string') {
			html[field.key] = renderMarkdown(linkEvidence(answer, href));
		}
	}
	return html;
}

interface CritiqueInput {
	answers: Record<string, unknown>;
	anonymous: boolean;
	paperId?: string;
}

async function findOwn(executor: Executor, actorId: string, lectureId: string, kind: CritiqueKind) {
	const [row] = await executor
		.select()
		.from(critiques)
		.where(
			and(
				eq(critiques.lectureId, lectureId),
				eq(critiques.kind, kind),
				eq(critiques.authorId, actorId)
			)
		)
		.for('update');
	return row;
}

async function prepare(
	executor: Executor,
	actor: SessionUser,
	courseId: string,
	lecture: Lecture,
	kind: CritiqueKind,
	fields: CritiqueField[],
	input: CritiqueInput,
	mode: 'draft' | 'submit'
) {
	const checked = checkAnswers(fields, input.answers, mode);
	if (!checked.ok) throw new InputError(checked.errors);
	const evidence = await checkEvidence(
		executor,
		actor,
		courseId,
		lecture.id,
		fields,
		checked.answers
	);
	let paperId: string | null = null;
	if (kind === 'paper' && input.paperId) {
		const [paper] = await executor
			.select({ id: papers.id })
			.from(papers)
			.where(
				and(
					eq(papers.id, input.paperId),
					eq(papers.courseId, courseId),
					eq(papers.lectureId, lecture.id)
				)
			);
		if (!paper) throw new InputError({ paperId: 'Choose one of this lecture’s papers.' });
		paperId = paper.id;
	}
	const paperOfAnnotation = new Map(
		evidence.flatMap((e) => (e.evidence.kind === 'annotation' ? [[e.evidence.id, e.paperId!]] : []))
	);
	return {
		answers: checked.answers,
		answersHtml: renderAnswers(courseId, lecture.id, fields, checked.answers, paperOfAnnotation),
		evidence,
		paperId
	};
}

async function syncCitations(
	tx: Executor,
	critiqueId: string,
	evidence: Awaited<ReturnType<typeof checkEvidence>>
) {
	await tx.delete(critiqueCitations).where(eq(critiqueCitations.critiqueId, critiqueId));
	if (evidence.length === 0) return;
	await tx.insert(critiqueCitations).values(
		evidence.map(({ fieldKey, evidence: e, paperId, page }) => ({
			id: newId(),
			critiqueId,
			fieldKey,
			annotationId: e.kind === 'annotation' ? e.id : null,
			paperId,
			page,
			slideH: e.kind === 'slide' ? e.h - 1 : null,
			slideV: e.kind === 'slide' ? e.v - 1 : null
		}))
	);
}

/**
 * Saves the actor's draft as they type. A submitted critique is not changed by drafts:
 * its edits are submitted again as a new version.
 */
export async function saveCritiqueDraft(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	kind: CritiqueKind,
	input: CritiqueInput,
	now = new Date()
): Promise<{ savedAt: Date }> {
	const access = await requireMember(actor, courseId);
	const lecture = await lectureOf(db(), courseId, lectureId);
	checkMayWrite(await standing(actor, access, lectureId), kind, lecture, now);
	return db().transaction(async (tx) => {
		const own = await findOwn(tx, actor.id, lectureId, kind);
		if (own?.submittedAt) {
			throw new InputError({
				form: 'This critique is submitted: use “Submit changes” to update it.'
			});
		}
		const fields = await critiqueFormOf(tx, courseId, kind);
		const ready = await prepare(tx, actor, courseId, lecture, kind, fields, input, 'draft');
		const values = {
			fields,
			answers: ready.answers,
			answersHtml: ready.answersHtml,
			anonymous: input.anonymous,
			paperId: ready.paperId,
			updatedAt: now
		};
		let id = own?.id;
		if (own) await tx.update(critiques).set(values).where(eq(critiques.id, own.id));
		else {
			id = newId();
			await tx
				.insert(critiques)
				.values({ id, courseId, lectureId, kind, authorId: actor.id, ...values });
		}
		await syncCitations(tx, id!, ready.evidence);
		return { savedAt: now };
	});
}

/**
 * Submits (or resubmits after an edit) the actor's critique: every required field, each
 * submission a new version, the earlier ones kept. Late submissions are accepted and
 * marked; the critique's own `late` is that of its first submission.
 */
export async function submitCritique(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	kind: CritiqueKind,
	input: CritiqueInput,
	now = new Date(),
	submission?: string
): Promise<{ id: string; version: number; late: boolean }> {
	const access = await requireMember(actor, courseId);
	const lecture = await lectureOf(db(), courseId, lectureId);
	checkMayWrite(await standing(actor, access, lectureId), kind, lecture, now);
	return createOnce(actor, submission, async (tx) => {
		const own = await findOwn(tx, actor.id, lectureId, kind);
		// A submitted critique keeps its form; a draft is submitted against today's.
		const fields = own?.submittedAt ? own.fields : await critiqueFormOf(tx, courseId, kind);
		const ready = await prepare(tx, actor, courseId, lecture, kind, fields, input, 'submit');
		const late = isLate(now, critiqueDue(lecture, kind));
		const version = (own?.version ?? 0) + 1;
		const id = own?.id ?? newId();
		const values = {
			fields,
			answers: ready.answers,
			answersHtml: ready.answersHtml,
			anonymous: input.anonymous,
			paperId: ready.paperId,
			version,
			updatedAt: now,
			submittedAt: own?.submittedAt ?? now,
			late: own?.submittedAt ? own.late : late
		};
		if (own) await tx.update(critiques).set(values).where(eq(critiques.id, id));
		else {
			await tx
				.insert(critiques)
				.values({ id, courseId, lectureId, kind, authorId: actor.id, ...values });
		}
		await tx.insert(critiqueVersions).values({
			id: newId(),
			critiqueId: id,
			version,
			anonymous: input.anonymous,
			fields,
			answers: ready.answers,
			submittedAt: now,
			late
		});
		await syncCitations(tx, id, ready.evidence);
		await recordActivity(tx, {
			courseId,
			userId: actor.id,
			lectureId,
			kind: version === 1 ? 'critique_submitted' : 'critique_revised',
			subjectType: 'critique',
			subjectId: id,
			details: {
				kind,
				version,
				late,
				...textDetails(answersText(fields, ready.answers)),
				evidence: ready.evidence.length
			},
			occurredAt: now
		});
		return { id, version, late };
	});
}

/** The actor's own critique of this lecture and kind, with its form and deadline. */
export async function myCritique(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	kind: CritiqueKind,
	now = new Date()
) {
	const access = await requireMember(actor, courseId);
	const lecture = await lectureOf(db(), courseId, lectureId);
	const who = await standing(actor, access, lectureId);
	const [own] = await db()
		.select()
		.from(critiques)
		.where(
			and(
				eq(critiques.lectureId, lectureId),
				eq(critiques.kind, kind),
				eq(critiques.authorId, actor.id)
			)
		);
	let refusal: string | null = null;
	try {
		checkMayWrite(who, kind, lecture, now);
	} catch (e) {
		if (!(e instanceof InputError)) throw e;
		refusal = e.message;
	}
	return {
		lecture,
		due: critiqueDue(lecture, kind),
		refusal,
		fields: own?.submittedAt ? own.fields : await critiqueFormOf(db(), courseId, kind),
		critique: own
			? {
					id: own.id,
					answers: own.answers,
					anonymous: own.anonymous,
					paperId: own.paperId,
					submittedAt: own.submittedAt,
					late: own.late,
					version: own.version,
					updatedAt: own.updatedAt
				}
			: null
	};
}

/** Display names of the critiques' authors. */
async function authorNames(rows: CritiqueRow[]): Promise<Map<string, string | null>> {
	const names = await db()
		.select({ id: users.id, name: users.name })
		.from(users)
		.where(
			inArray(
				users.id,
				rows.map((r) => r.authorId)
			)
		);
	return new Map(names.map((n) => [n.id, n.name]));
}

/** How a critique's author appears to the actor: "You", a name, or anonymous to peers. */
function authorLabel(
	row: CritiqueRow,
	actor: SessionUser,
	staff: boolean,
	nameOf: Map<string, string | null>
): string {
	if (row.authorId === actor.id) return 'You';
	return row.anonymous && !staff ? ANONYMOUS_CRITIC : (nameOf.get(row.authorId) ?? 'Former member');
}

/** Critiques and their threads, as the actor may see them (anonymity applied). */
async function views(
	actor: SessionUser,
	access: CourseAccess,
	rows: CritiqueRow[]
): Promise<CritiqueView[]> {
	if (rows.length === 0) return [];
	const staff = isStaff(access.role);
	const ids = rows.map((r) => r.id);
	const [nameOf, votes, mine, replies] = await Promise.all([
		authorNames(rows),
		db()
			.select({ id: critiqueVotes.critiqueId, n: count() })
			.from(critiqueVotes)
			.where(inArray(critiqueVotes.critiqueId, ids))
			.groupBy(critiqueVotes.critiqueId),
		db()
			.select({ id: critiqueVotes.critiqueId })
			.from(critiqueVotes)
			.where(and(inArray(critiqueVotes.critiqueId, ids), eq(critiqueVotes.userId, actor.id))),
		db()
			.select({ reply: critiqueReplies, authorName: users.name })
			.from(critiqueReplies)
			.leftJoin(users, eq(users.id, critiqueReplies.authorId))
			.where(inArray(critiqueReplies.critiqueId, ids))
			.orderBy(asc(critiqueReplies.createdAt))
	]);
	const helpful = new Map(votes.map((v) => [v.id, v.n]));
	const voted = new Set(mine.map((m) => m.id));
	const byCritique = new Map<string, CritiqueReplyView[]>();
	const rowById = new Map(rows.map((r) => [r.id, r]));
	for (const { reply, authorName } of replies) {
		const critique = rowById.get(reply.critiqueId)!;
		const isMine = reply.authorId === actor.id;
		if (reply.hiddenAt && !staff && !isMine) continue;
		const byCritic = reply.authorId === critique.authorId;
		const label = isMine
			? 'You'
			: reply.asPresenters
				? THE_PRESENTERS
				: byCritic && critique.anonymous && !staff
					? THE_CRITIC
					: (authorName ?? 'Former member');
		const view: CritiqueReplyView = {
			id: reply.id,
			parentId: reply.parentId,
			authorLabel: staff && reply.asPresenters ? `${THE_PRESENTERS} (${authorName})` : label,
			asPresenters: reply.asPresenters,
			isMine,
			bodyHtml: reply.bodyHtml,
			createdAt: reply.createdAt,
			readByCritic: reply.readByCriticAt !== null,
			endorsed: reply.endorsedAt !== null,
			hidden: reply.hiddenAt !== null
		};
		byCritique.set(reply.critiqueId, [...(byCritique.get(reply.critiqueId) ?? []), view]);
	}
	return rows.map((row): CritiqueView => {
		const isMine = row.authorId === actor.id;
		return {
			id: row.id,
			kind: row.kind,
			lectureId: row.lectureId,
			paperId: row.paperId,
			authorLabel: authorLabel(row, actor, staff, nameOf),
			anonymous: isMine || staff ? row.anonymous : null,
			isMine,
			fields: row.fields,
			answers: isMine ? row.answers : null,
			answersHtml: row.answersHtml,
			scores: Object.fromEntries(
				Object.entries(row.answers).filter((e): e is [string, number] => typeof e[1] === 'number')
			),
			submittedAt: row.submittedAt,
			late: row.late,
			version: row.version,
			helpful: helpful.get(row.id) ?? 0,
			votedHelpful: voted.has(row.id),
			endorsed: row.endorsedAt !== null,
			hidden: row.hiddenAt !== null,
			replies: byCritique.get(row.id) ?? []
		};
	});
}

/**
 * The submitted critiques of one lecture and kind that the actor may read: their own, and
 * the class's once the reveal rule opens them; hidden ones only to staff and their author.
 */
async function readableOfLecture(
	actor: SessionUser,
	who: { staff: boolean; presenter: boolean },
	courseId: string,
	lecture: Lecture,
	kind: CritiqueKind,
	now: Date
) {
	const [rule, rows] = await Promise.all([
		revealRuleOf(db(), courseId),
		db()
			.select()
			.from(critiques)
			.where(and(eq(critiques.lectureId, lecture.id), eq(critiques.kind, kind)))
			.orderBy(asc(critiques.submittedAt), asc(critiques.id))
	]);
	const submitted = rows.filter((r) => r.submittedAt !== null);
	const due = critiqueDue(lecture, kind);
	const open = mayReadPeers({
		rule,
		isStaff: who.staff,
		isPresenter: who.presenter,
		ownSubmitted: submitted.some((r) => r.authorId === actor.id),
		due,
		now
	});
	const shown = submitted.filter(
		(r) => r.authorId === actor.id || (open && (!r.hiddenAt || who.staff))
	);
	return { rule, due, open, count: submitted.length, shown };
}

/** The submitted critiques of one lecture and kind as the actor may read them. */
export async function lectureCritiques(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	kind: CritiqueKind,
	now = new Date()
) {
	const access = await requireMember(actor, courseId);
	const lecture = await lectureOf(db(), courseId, lectureId);
	const who = await standing(actor, access, lectureId);
	const readable = await readableOfLecture(actor, who, courseId, lecture, kind, now);
	return {
		due: readable.due,
		rule: readable.rule,
		mayReadPeers: readable.open,
		isPresenter: who.presenter,
		isStaff: who.staff,
		count: readable.count,
		critiques: await views(actor, access, readable.shown)
	};
}

/**
 * The critiques the actor may read that cite a paper (its pages and annotations) or the
 * slides of a lecture's deck, one entry per citation, so the paper and the deck can point
 * back at them.
 */
export async function critiquesCiting(
	actor: SessionUser,
	courseId: string,
	target: { paperId: string } | { lectureId: string },
	now = new Date()
): Promise<CitingCritique[]> {
	const access = await requireMember(actor, courseId);
	let lectureId: string;
	if ('paperId' in target) {
		const [paper] = await db()
			.select({ lectureId: papers.lectureId })
			.from(papers)
			.where(and(eq(papers.id, target.paperId), eq(papers.courseId, courseId)));
		if (!paper) error(404, 'Not found');
		if (!paper.lectureId) return [];
		lectureId = paper.lectureId;
	} else lectureId = target.lectureId;
	const lecture = await lectureOf(db(), courseId, lectureId);
	const who = await standing(actor, access, lectureId);
	const readable = (
		await Promise.all(
			CRITIQUE_KINDS.map((kind) => readableOfLecture(actor, who, courseId, lecture, kind, now))
		)
	).flatMap((r) => r.shown);
	if (readable.length === 0) return [];
	const [cites, nameOf] = await Promise.all([
		db()
			.select()
			.from(critiqueCitations)
			.where(
				and(
					inArray(
						critiqueCitations.critiqueId,
						readable.map((r) => r.id)
					),
					'paperId' in target
						? eq(critiqueCitations.paperId, target.paperId)
						: isNotNull(critiqueCitations.slideH)
				)
			)
			.orderBy(asc(critiqueCitations.page), asc(critiqueCitations.slideH)),
		authorNames(readable)
	]);
	const byId = new Map(readable.map((r) => [r.id, r]));
	return cites.map((c) => {
		const row = byId.get(c.critiqueId)!;
		return {
			critiqueId: row.id,
			kind: row.kind,
			authorLabel: authorLabel(row, actor, who.staff, nameOf),
			href: critiqueUrl(courseId, row),
			annotationId: c.annotationId,
			page: c.page,
			slide: c.slideH === null ? null : { h: c.slideH, v: c.slideV ?? 0 }
		};
	});
}

/** One critique the actor may read (for replies, votes and flags); 404 otherwise. */
async function readableCritique(
	executor: Executor,
	actor: SessionUser,
	access: CourseAccess,
	courseId: string,
	critiqueId: string,
	now = new Date()
) {
	const [row] = await executor
		.select()
		.from(critiques)
		.where(and(eq(critiques.id, critiqueId), eq(critiques.courseId, courseId)));
	if (!row || !row.submittedAt) error(404, 'Not found');
	if (row.authorId === actor.id) return row;
	const who = await standing(actor, access, row.lectureId, executor);
	if (row.hiddenAt && !who.staff) error(404, 'Not found');
	const lecture = await lectureOf(executor, courseId, row.lectureId);
	const [own] = await executor
		.select({ id: critiques.id })
		.from(critiques)
		.where(
			and(
				eq(critiques.lectureId, row.lectureId),
				eq(critiques.kind, row.kind),
				eq(critiques.authorId, actor.id),
				isNotNull(critiques.submittedAt)
			)
		);
	const open = mayReadPeers({
		rule: await revealRuleOf(executor, courseId),
		isStaff: who.staff,
		isPresenter: who.presenter,
		ownSubmitted: Boolean(own),
		due: critiqueDue(lecture, row.kind),
		now
	});
	if (!open) error(404, 'Not found');
	return row;
}

/** Earlier submitted versions: the author and staff only. */
export async function critiqueHistory(actor: SessionUser, courseId: string, critiqueId: string) {
	const access = await requireMember(actor, courseId);
	const row = await readableCritique(db(), actor, access, courseId, critiqueId);
	if (row.authorId !== actor.id && !isStaff(access.role)) error(404, 'Not found');
	return db()
		.select()
		.from(critiqueVersions)
		.where(eq(critiqueVersions.critiqueId, critiqueId))
		.orderBy(asc(critiqueVersions.version));
}

/**
 * Replies in a critique's thread. Presenters of the lecture may answer as "the presenters".
 * The critic and the replied-to author are told, without learning an anonymous critic's name.
 */
export async function replyToCritique(
	actor: SessionUser,
	courseId: string,
	input: { critiqueId: string; parentId: string | null; body: string; asPresenters: boolean },
	submission?: string
): Promise<string> {
	const access = await requireMember(actor, courseId);
	return createOnce(actor, submission, async (tx) => {
		const critique = await readableCritique(tx, actor, access, courseId, input.critiqueId);
		const lecture = await lectureOf(tx, courseId, critique.lectureId);
		if (input.asPresenters && !(await isPresenter(actor.id, critique.lectureId, tx))) {
			throw new InputError({
				asPresenters: 'Only this lecture’s presenters answer as the presenters.'
			});
		}
		let parentAuthor: string | null = null;
		if (input.parentId) {
			const [parent] = await tx
				.select({ authorId: critiqueReplies.authorId, hiddenAt: critiqueReplies.hiddenAt })
				.from(critiqueReplies)
				.where(
					and(eq(critiqueReplies.id, input.parentId), eq(critiqueReplies.critiqueId, critique.id))
				);
			if (!parent || (parent.hiddenAt && !isStaff(access.role))) error(404, 'Not found');
			parentAuthor = parent.authorId;
		}
		const id = newId();
		await tx.insert(critiqueReplies).values({
			id,
			critiqueId: critique.id,
			parentId: input.parentId,
			authorId: actor.id,
			asPresenters: input.asPresenters,
			body: input.body,
			bodyHtml: renderMarkdown(input.body)
		});
		await recordActivity(tx, {
			courseId,
			userId: actor.id,
			lectureId: critique.lectureId,
			kind: input.asPresenters ? 'critique_answered' : 'critique_reply_created',
			subjectType: 'critique_reply',
			subjectId: id,
			details: {
				critiqueId: critique.id,
				late: isLate(new Date(), critiqueDue(lecture, critique.kind)),
				...textDetails(input.body)
			}
		});
		const anonymousCritic = actor.id === critique.authorId && critique.anonymous;
		const who = input.asPresenters ? THE_PRESENTERS : anonymousCritic ? THE_CRITIC : actor.name;
		const url = critiqueUrl(courseId, critique);
		const where = `Lecture ${lecture.number}`;
		const notices: Notice[] = [
			{
				userId: critique.authorId,
				courseId,
				kind: input.asPresenters ? 'answer' : 'reply',
				key: `reply:${id}`,
				text: input.asPresenters
					? `The presenters answered your critique of ${where}.`
					: `${who} replied to your critique of ${where}.`,
				url
			}
		];
		if (parentAuthor && parentAuthor !== critique.authorId) {
			notices.push({
				userId: parentAuthor,
				courseId,
				kind: 'reply',
				key: `reply:${id}`,
				text: `${who} replied to you on a critique of ${where}.`,
				url
			});
		}
		for (const m of await mentionedMembers(tx, courseId, input.body)) {
			notices.push({
				userId: m.id,
				courseId,
				kind: 'mention',
				key: `mention:${id}`,
				text: `${who} mentioned you on a critique of ${where}.`,
				url
			});
		}
		await notify(tx, actor.id, notices);
		return id;
	});
}

/** The critic marks the presenters' answer read. */
export async function markAnswerRead(
	actor: SessionUser,
	courseId: string,
	replyId: string
): Promise<void> {
	await requireMember(actor, courseId);
	const [row] = await db()
		.select({ id: critiqueReplies.id, criticId: critiques.authorId })
		.from(critiqueReplies)
		.innerJoin(critiques, eq(critiques.id, critiqueReplies.critiqueId))
		.where(
			and(
				eq(critiqueReplies.id, replyId),
				eq(critiques.courseId, courseId),
				eq(critiqueReplies.asPresenters, true)
			)
		);
	if (!row || row.criticId !== actor.id) error(404, 'Not found');
	await db()
		.update(critiqueReplies)
		.set({ readByCriticAt: new Date() })
		.where(and(eq(critiqueReplies.id, replyId), isNull(critiqueReplies.readByCriticAt)));
}

/** "Helpful" on a classmate's critique (never one's own). */
export async function setCritiqueHelpful(
	actor: SessionUser,
	courseId: string,
	critiqueId: string,
	on: boolean
): Promise<void> {
	const access = await requireMember(actor, courseId);
	await db().transaction(async (tx) => {
		const critique = await readableCritique(tx, actor, access, courseId, critiqueId);
		if (critique.authorId === actor.id) {
			throw new InputError({ form: 'You cannot mark your own critique helpful.' });
		}
		const lecture = await lectureOf(tx, courseId, critique.lectureId);
		const changed = on
			? await tx
					.insert(critiqueVotes)
					.values({ critiqueId, userId: actor.id })
					.onConflictDoNothing()
					.returning({ id: critiqueVotes.critiqueId })
			: await tx
					.delete(critiqueVotes)
					.where(and(eq(critiqueVotes.critiqueId, critiqueId), eq(critiqueVotes.userId, actor.id)))
					.returning({ id: critiqueVotes.critiqueId });
		if (changed.length > 0) {
			await recordActivity(tx, {
				courseId,
				userId: critique.authorId,
				actorId: actor.id,
				lectureId: critique.lectureId,
				kind: on ? 'vote_received' : 'vote_withdrawn',
				subjectType: 'critique',
				subjectId: critiqueId,
				details: { vote: 'helpful', late: isLate(new Date(), critiqueDue(lecture, critique.kind)) }
			});
		}
	});
}

/** Staff endorse or hide a critique or a reply; hidden items stop counting for participation. */
export async function setCritiqueFlag(
	actor: SessionUser,
	courseId: string,
	input: { target: 'critique' | 'reply'; id: string; flag: 'endorse' | 'hide'; on: boolean }
): Promise<void> {
	const access = await requireMember(actor, courseId);
	if (!isStaff(access.role)) error(403, 'Only instructors and TAs can do this.');
	const table = input.target === 'critique' ? critiques : critiqueReplies;
	await db().transaction(async (tx) => {
		const [row] =
			input.target === 'critique'
				? await tx
						.select({
							authorId: critiques.authorId,
							lectureId: critiques.lectureId,
							kind: critiques.kind
						})
						.from(critiques)
						.where(and(eq(critiques.id, input.id), eq(critiques.courseId, courseId)))
				: await tx
						.select({
							authorId: critiqueReplies.authorId,
							lectureId: critiques.lectureId,
							kind: critiques.kind
						})
						.from(critiqueReplies)
						.innerJoin(critiques, eq(critiques.id, critiqueReplies.critiqueId))
						.where(and(eq(critiqueReplies.id, input.id), eq(critiques.courseId, courseId)));
		if (!row) error(404, 'Not found');
		const set =
			input.flag === 'endorse'
				? { endorsedAt: input.on ? new Date() : null, endorsedBy: input.on ? actor.id : null }
				: { hiddenAt: input.on ? new Date() : null, hiddenBy: input.on ? actor.id : null };
		const flagged = input.flag === 'endorse' ? table.endorsedAt : table.hiddenAt;
		const changed = await tx
			.update(table)
			.set(set)
			.where(and(eq(table.id, input.id), input.on ? isNull(flagged) : isNotNull(flagged)))
			.returning({ id: table.id });
		if (changed.length > 0 && row.authorId) {
			const lecture = await lectureOf(tx, courseId, row.lectureId);
			await recordActivity(tx, {
				courseId,
				userId: row.authorId,
				actorId: actor.id,
				lectureId: row.lectureId,
				kind:
					input.flag === 'endorse'
						? input.on
							? 'endorsement_received'
							: 'endorsement_withdrawn'
						: input.on
							? 'hidden_by_staff'
							: 'unhidden_by_staff',
				subjectType: input.target === 'critique' ? 'critique' : 'critique_reply',
				subjectId: input.id,
				details: { late: isLate(new Date(), critiqueDue(lecture, row.kind)) }
			});
		}
	});
}
