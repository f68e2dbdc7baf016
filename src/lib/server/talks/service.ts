import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { error, isHttpError } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { decks, talkQuestionVotes, talkQuestions, talks, users } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { recordActivity } from '$lib/server/activity/record';
import { requireDeckReader } from '$lib/server/decks/service';
import { isVisible } from '$lib/server/decks/access';
import { listThreadsOfLecture } from '$lib/server/decks/citations';
import { figureImages } from '$lib/server/decks/images';
import { createOnce, InputError } from '$lib/server/forms';
import { newId } from '$lib/server/ids';
import { publish } from '$lib/server/live/bus';
import { parseDeck, type SlideIndex } from '$lib/decks/dialect';
import { hasSlide, type QuestionView } from '$lib/talks/talk';
import type { TalkPosition } from '$lib/talks/schemas';
import { textDetails } from '$lib/participation/fingerprint';

type Talk = typeof talks.$inferSelect;

/** The channel of a lecture's talk: slide moves, questions, start and end. */
export const talkChannel = (lectureId: string) => `talk:${lectureId}`;

/** Events about a talk go to everyone who may open it; the route checks that on connect. */
function announce(
	lectureId: string,
	type: string,
	id: string,
	data?: TalkPosition & { t: number }
) {
	return publish({
		channel: talkChannel(lectureId),
		type,
		id,
		audience: 'class',
		authorId: null,
		data
	});
}

const isRunning = (talk: Talk | undefined): talk is Talk => Boolean(talk && !talk.endedAt);

async function talkOf(lectureId: string): Promise<Talk | undefined> {
	const [talk] = await db().select().from(talks).where(eq(talks.lectureId, lectureId));
	return talk;
}

/** The talk as pages show it. */
function talkView(talk: Talk | undefined) {
	if (!talk) return null;
	return {
		id: talk.id,
		startedAt: talk.startedAt,
		endedAt: talk.endedAt,
		running: !talk.endedAt,
		position: { h: talk.slideH, v: talk.slideV, f: talk.fragment, t: talk.movedAt.getTime() }
	};
}
export type TalkView = NonNullable<ReturnType<typeof talkView>>;

async function talkState(found: Awaited<ReturnType<typeof requireDeckReader>>) {
	const { lecture, deck, editable } = found;
	return {
		lecture,
		editable,
		deck: deck ? { source: deck.source, theme: deck.theme } : null,
		talk: talkView(await talkOf(lecture.id))
	};
}

/** The deck and the talk for anyone who may see the deck (editors: also a draft). */
export async function getTalk(actor: SessionUser, courseId: string, lectureId: string) {
	return talkState(await requireDeckReader(actor, courseId, lectureId));
}

/** The same for the presenter's page: the pair, instructors and TAs only. */
export async function getPresenterTalk(actor: SessionUser, courseId: string, lectureId: string) {
	return talkState(await requirePresenting(actor, courseId, lectureId));
}

/**
 * Whether the lecture's talk is running and whether the actor may present it, for links;
 * never 404 (the lecture page shows to every member, the deck may be a draft).
 */
export async function talkLinks(actor: SessionUser, courseId: string, lectureId: string) {
	try {
		const { editable, talk } = await getTalk(actor, courseId, lectureId);
		return { canPresent: editable, running: Boolean(talk?.running) };
	} catch (e) {
		if (isHttpError(e, 404)) return { canPresent: false, running: false };
		throw e;
	}
}

/** The deck of an editor (the pair, instructors, TAs); 403 for a classmate, 404 for others. */
async function requirePresenting(actor: SessionUser, courseId: string, lectureId: string) {
	const found = await requireDeckReader(actor, courseId, lectureId);
	if (!found.editable) error(403, 'Only the presenters, instructors and TAs can do this.');
	return found;
}

function checkSlide(source: string, at: SlideIndex, field: string) {
	if (!hasSlide(parseDeck(source), at)) {
		throw new InputError({ [field]: 'There is no such slide in the deck.' });
	}
}

/**
 * Starts (or restarts) the lecture's talk at the first slide. A deck the class does not see
 * yet is published from now on: the class follows the talk.
 */
export async function startTalk(actor: SessionUser, courseId: string, lectureId: string) {
	const { deck } = await requirePresenting(actor, courseId, lectureId);
	if (!deck) throw new InputError({ form: 'Save the deck once before presenting it.' });
	const talkId = await db().transaction(async (tx) => {
		const now = new Date();
		const [row] = await tx
			.insert(talks)
			.values({
				id: newId(),
				courseId,
				lectureId,
				startedBy: actor.id,
				startedAt: now,
				movedAt: now
			})
			.onConflictDoUpdate({
				target: talks.lectureId,
				set: {
					startedBy: actor.id,
					startedAt: now,
					endedAt: null,
					slideH: 0,
					slideV: 0,
					fragment: -1,
					movedAt: now
				}
			})
			.returning({ id: talks.id });
		if (!isVisible(deck, now)) {
			await tx
				.update(decks)
				.set({ status: 'published', publishAt: now })
				.where(eq(decks.id, deck.id));
		}
		await recordActivity(tx, {
			courseId,
			userId: actor.id,
			lectureId,
			kind: 'talk_started',
			subjectType: 'talk',
			subjectId: row.id
		});
		return row.id;
	});
	await announce(lectureId, 'started', talkId);
}

export async function endTalk(actor: SessionUser, courseId: string, lectureId: string) {
	await requirePresenting(actor, courseId, lectureId);
	const [ended] = await db()
		.update(talks)
		.set({ endedAt: new Date() })
		.where(and(eq(talks.lectureId, lectureId), isNull(talks.endedAt)))
		.returning({ id: talks.id });
	if (!ended) throw new InputError({ form: 'The talk is not running.' });
	await announce(lectureId, 'ended', ended.id);
}

/** The presenter moved to another slide or fragment: followers' screens go there too. */
export async function moveTalk(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	position: TalkPosition
) {
	const { deck } = await requirePresenting(actor, courseId, lectureId);
	if (!deck) throw new InputError({ form: 'The talk is not running.' });
	checkSlide(deck.source, position, 'h');
	const movedAt = new Date();
	const [moved] = await db()
		.update(talks)
		.set({ slideH: position.h, slideV: position.v, fragment: position.f, movedAt })
		.where(and(eq(talks.lectureId, lectureId), isNull(talks.endedAt)))
		.returning({ id: talks.id });
	if (!moved) throw new InputError({ form: 'The talk is not running.' });
	await announce(lectureId, 'moved', moved.id, { ...position, t: movedAt.getTime() });
}

/** The deck for a member who may see it and the running talk, else a refusal. */
async function requireRunningTalk(actor: SessionUser, courseId: string, lectureId: string) {
	const found = await requireDeckReader(actor, courseId, lectureId);
	const talk = await talkOf(lectureId);
	if (!found.deck || !isRunning(talk)) {
		throw new InputError({ form: 'The talk is not running: questions open when it starts.' });
	}
	return { ...found, deck: found.deck, talk };
}

/** A question about slide (h, v), asked while the talk runs. */
export async function askQuestion(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	input: { body: string; h: number; v: number },
	submission?: string
): Promise<string> {
	const { deck } = await requireRunningTalk(actor, courseId, lectureId);
	checkSlide(deck.source, input, 'body');
	const id = await createOnce(actor, submission, async (tx) => {
		const id = newId();
		await tx.insert(talkQuestions).values({
			id,
			courseId,
			lectureId,
			authorId: actor.id,
			slideH: input.h,
			slideV: input.v,
			body: input.body
		});
		await recordActivity(tx, {
			courseId,
			userId: actor.id,
			lectureId,
			kind: 'question_asked',
			subjectType: 'question',
			subjectId: id,
			details: {
				slide: [input.h, input.v],
				...textDetails(input.body)
			}
		});
		return id;
	});
	await announce(lectureId, 'question', id);
	return id;
}

async function questionOf(lectureId: string, questionId: string) {
	const [question] = await db()
		.select()
		.from(talkQuestions)
		.where(and(eq(talkQuestions.id, questionId), eq(talkQuestions.lectureId, lectureId)));
	if (!question) error(404, 'Not found');
	return question;
}

/** Adds (`on`) or withdraws the actor's upvote; the asker earns or loses it. */
export async function setQuestionVote(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	questionId: string,
	on: boolean
): Promise<void> {
	await requireRunningTalk(actor, courseId, lectureId);
	const question = await questionOf(lectureId, questionId);
	if (question.authorId === actor.id) {
		throw new InputError({ form: 'You cannot upvote your own question.' });
	}
	await db().transaction(async (tx) => {
		const changed = on
			? await tx
					.insert(talkQuestionVotes)
					.values({ questionId, userId: actor.id })
					.onConflictDoNothing()
					.returning({ id: talkQuestionVotes.questionId })
			: await tx
					.delete(talkQuestionVotes)
					.where(
						and(
							eq(talkQuestionVotes.questionId, questionId),
							eq(talkQuestionVotes.userId, actor.id)
						)
					)
					.returning({ id: talkQuestionVotes.questionId });
		if (changed.length > 0 && question.authorId) {
			await recordActivity(tx, {
				courseId,
				userId: question.authorId,
				actorId: actor.id,
				lectureId,
				kind: on ? 'vote_received' : 'vote_withdrawn',
				subjectType: 'question',
				subjectId: questionId
			});
		}
	});
	await announce(lectureId, 'question', questionId);
}

/** The presenter answered a question in the talk; marking it twice changes nothing. */
export async function markAnswered(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	questionId: string
): Promise<void> {
	await requirePresenting(actor, courseId, lectureId);
	await questionOf(lectureId, questionId);
	const answered = await db().transaction(async (tx) => {
		const [row] = await tx
			.update(talkQuestions)
			.set({ answeredAt: new Date(), answeredBy: actor.id })
			.where(and(eq(talkQuestions.id, questionId), isNull(talkQuestions.answeredAt)))
			.returning({ authorId: talkQuestions.authorId });
		if (!row) return false;
		await recordActivity(tx, {
			courseId,
			userId: actor.id,
			lectureId,
			kind: 'question_answered',
			subjectType: 'question',
			subjectId: questionId,
			details: { askerId: row.authorId }
		});
		return true;
	});
	if (answered) await announce(lectureId, 'question', questionId);
}

/** The lecture's questions, most upvoted first, for anyone who may see the deck. */
export async function listQuestions(
	actor: SessionUser,
	courseId: string,
	lectureId: string
): Promise<QuestionView[]> {
	await requireDeckReader(actor, courseId, lectureId);
	const votes = db()
		.select({ questionId: talkQuestionVotes.questionId, n: count().as('n') })
		.from(talkQuestionVotes)
		.innerJoin(talkQuestions, eq(talkQuestions.id, talkQuestionVotes.questionId))
		.where(eq(talkQuestions.lectureId, lectureId))
		.groupBy(talkQuestionVotes.questionId)
		.as('votes');
	const mine = db()
		.select({ questionId: talkQuestionVotes.questionId })
		.from(talkQuestionVotes)
		.where(eq(talkQuestionVotes.userId, actor.id))
		.as('mine');
	const rows = await db()
		.select({
			id: talkQuestions.id,
			body: talkQuestions.body,
			authorId: talkQuestions.authorId,
			askerName: users.name,
			slideH: talkQuestions.slideH,
			slideV: talkQuestions.slideV,
			answeredAt: talkQuestions.answeredAt,
			createdAt: talkQuestions.createdAt,
			votes: sql<number>`coalesce(${votes.n}, 0)`.mapWith(Number),
			voted: sql<boolean>`${mine.questionId} is not null`
		})
		.from(talkQuestions)
		.leftJoin(users, eq(users.id, talkQuestions.authorId))
		.leftJoin(votes, eq(votes.questionId, talkQuestions.id))
		.leftJoin(mine, eq(mine.questionId, talkQuestions.id))
		.where(eq(talkQuestions.lectureId, lectureId))
		.orderBy(desc(sql`coalesce(${votes.n}, 0)`), asc(talkQuestions.createdAt));
	return rows.map((r) => ({
		id: r.id,
		body: r.body,
		askerName: r.askerName ?? 'Former member',
		mine: r.authorId === actor.id,
		slide: { h: r.slideH, v: r.slideV },
		votes: r.votes,
		voted: Boolean(r.voted),
		answered: r.answeredAt !== null,
		createdAt: r.createdAt
	}));
}

/**
 * What the presenter's page (editors only) or the followers' page shows: the deck, the
 * talk, its questions, and where the slides' citations lead.
 */
export async function talkPage(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	view: 'presenter' | 'audience'
) {
	const state = await (view === 'presenter' ? getPresenterTalk : getTalk)(
		actor,
		courseId,
		lectureId
	);
	const [questions, citable, figures] = await Promise.all([
		listQuestions(actor, courseId, lectureId),
		listThreadsOfLecture(actor, courseId, lectureId),
		figureImages(actor, courseId, lectureId)
	]);
	return {
		...state,
		questions,
		citations: citable.map(({ annotationId, paperId, changed }) => ({
			annotationId,
			paperId,
			changed
		})),
		figures: Object.fromEntries(figures)
	};
}
