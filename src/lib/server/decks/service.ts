import { and, desc, eq } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db, type Executor, type Transaction } from '$lib/server/db';
import { deckRevisions, decks, lectures, users } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { requireMember, type CourseAccess } from '$lib/server/courses/access';
import { canEdit, isVisible } from './access';
import { syncCitations } from './citations';
import { recordActivity } from '$lib/server/activity/record';
import { InputError } from '$lib/server/forms';
import { isUniqueViolation } from '$lib/server/db/errors';
import { newId } from '$lib/server/ids';
import { mergeDeck, type MergeConflict } from '$lib/decks/merge';
import { validateDeck } from '$lib/decks/dialect';
import type { Theme } from '$lib/decks/schemas';

type Deck = typeof decks.$inferSelect;

const STARTER = `# Title of the talk

Presenters' names

Note:
Speaker notes go after "Note:". Slides are separated by a line with three dashes.

---

## Outline

1. The problem
2. The approach
3. Strengths and weaknesses
`;

async function lectureOf(executor: Executor, courseId: string, lectureId: string) {
	const [lecture] = await executor
		.select({
			id: lectures.id,
			startsAt: lectures.startsAt,
			number: lectures.number,
			title: lectures.title
		})
		.from(lectures)
		.where(and(eq(lectures.id, lectureId), eq(lectures.courseId, courseId)));
	if (!lecture) error(404, 'Not found');
	return lecture;
}

/**
 * The lecture and its deck row (if saved yet) when the actor may see the deck: editors
 * always, other members once it is published; 404 otherwise.
 */
export async function requireDeckReader(actor: SessionUser, courseId: string, lectureId: string) {
	const access = await requireMember(actor, courseId);
	const lecture = await lectureOf(db(), courseId, lectureId);
	const [deck] = await db().select().from(decks).where(eq(decks.lectureId, lectureId));
	const editable = await canEdit(actor, access, lectureId);
	if (!editable && !isVisible(deck)) error(404, 'Not found');
	return { access, lecture, deck, editable };
}

/**
 * The lecture's deck as the actor may see it. Editors always get it (a starter text when
 * none was saved yet); other members only once it is published, else 404.
 */
export async function getDeck(actor: SessionUser, courseId: string, lectureId: string) {
	const { lecture, deck, editable } = await requireDeckReader(actor, courseId, lectureId);
	return {
		lecture,
		editable,
		deck: {
			source: deck?.source ?? STARTER,
			theme: (deck?.theme ?? 'white') as Theme,
			status: deck?.status ?? 'draft',
			publishAt: deck?.publishAt ?? null,
			revision: deck?.revision ?? 0
		}
	};
}

export type SaveOutcome =
	| { kind: 'saved'; revision: number; source: string; merged: boolean }
	| { kind: 'conflict'; revision: number; merged: string; conflicts: MergeConflict[] };

/** 404 unless the actor may edit the lecture's deck. */
export async function requireEditor(actor: SessionUser, courseId: string, lectureId: string) {
	const access = await requireMember(actor, courseId);
	await lectureOf(db(), courseId, lectureId);
	// Other students do not learn that a draft exists.
	if (!(await canEdit(actor, access, lectureId))) error(404, 'Not found');
	return access;
}

async function appendRevision(
	tx: Transaction,
	actor: SessionUser,
	target: { courseId: string; lectureId: string; deck: Deck | undefined; access: CourseAccess },
	source: string,
	extra: { baseNumber?: number; merged?: boolean; restoredFrom?: number } = {}
): Promise<number> {
	const { courseId, lectureId, deck, access } = target;
	const number = (deck?.revision ?? 0) + 1;
	const deckId = deck?.id ?? newId();
	if (deck) {
		await tx
			.update(decks)
			.set({ source, revision: number, updatedAt: new Date() })
			.where(eq(decks.id, deck.id));
	} else {
		await tx.insert(decks).values({ id: deckId, courseId, lectureId, source, revision: number });
	}
	await tx.insert(deckRevisions).values({
		id: newId(),
		deckId,
		number,
		authorId: actor.id,
		source,
		baseNumber: extra.baseNumber ?? null,
		merged: extra.merged ?? false,
		restoredFrom: extra.restoredFrom ?? null
	});
	await recordActivity(tx, {
		courseId,
		userId: actor.id,
		lectureId,
		kind: 'deck_revised',
		subjectType: 'deck',
		subjectId: deckId,
		details: { revision: number, length: source.length, merged: extra.merged ?? false }
	});
	await syncCitations(tx, actor, access, { courseId, lectureId, deckId }, source);
	return number;
}

/**
 * Saves the editor's text as a new revision. When someone saved in the meantime
 * (`baseRevision` is not the newest), the two edits are merged line by line; edits that
 * touch the same lines are not saved but returned with both versions to resolve.
 */
export async function saveDeck(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	input: { source: string; baseRevision: number }
): Promise<SaveOutcome> {
	const access = await requireEditor(actor, courseId, lectureId);
	const problems = validateDeck(input.source).filter((p) => p.severity === 'error');
	if (problems.length > 0) {
		throw new InputError({
			source: problems
				.slice(0, 5)
				.map((p) => p.message)
				.join(' ')
		});
	}
	try {
		return await saveRevision(actor, access, courseId, lectureId, input);
	} catch (e) {
		// Two first saves of a new deck both found no row to lock; the one that lost the
		// insert goes again and merges into the deck the other one just created.
		if (!isUniqueViolation(e, 'decks_lecture_unique')) throw e;
		return saveRevision(actor, access, courseId, lectureId, input);
	}
}

function saveRevision(
	actor: SessionUser,
	access: CourseAccess,
	courseId: string,
	lectureId: string,
	input: { source: string; baseRevision: number }
): Promise<SaveOutcome> {
	return db().transaction(async (tx) => {
		// Lock the deck row so that two saves cannot both build on the same revision.
		const [deck] = await tx
			.select()
			.from(decks)
			.where(eq(decks.lectureId, lectureId))
			.for('update');
		const current = deck?.revision ?? 0;
		const target = { courseId, lectureId, deck, access };
		if (input.baseRevision > current) {
			throw new InputError({ source: 'This deck changed in an unexpected way; reload the page.' });
		}
		if (deck && input.source === deck.source) {
			return { kind: 'saved', revision: current, source: deck.source, merged: false };
		}
		if (!deck || input.baseRevision === current) {
			const revision = await appendRevision(tx, actor, target, input.source, {
				baseNumber: input.baseRevision
			});
			return { kind: 'saved', revision, source: input.source, merged: false };
		}
		const [base] = await tx
			.select({ source: deckRevisions.source })
			.from(deckRevisions)
			.where(and(eq(deckRevisions.deckId, deck.id), eq(deckRevisions.number, input.baseRevision)));
		// Revision 0 is the starter text the editor shows before the first save.
		const result = mergeDeck(base?.source ?? STARTER, input.source, deck.source, {
			labels: { mine: 'your version', theirs: 'saved meanwhile', base: 'where you started' }
		});
		if (!result.clean) {
			return {
				kind: 'conflict',
				revision: current,
				merged: result.merged,
				conflicts: result.conflicts
			};
		}
		const revision = await appendRevision(tx, actor, target, result.merged, {
			baseNumber: input.baseRevision,
			merged: true
		});
		return { kind: 'saved', revision, source: result.merged, merged: true };
	});
}

export async function deckHistory(actor: SessionUser, courseId: string, lectureId: string) {
	await requireEditor(actor, courseId, lectureId);
	const [deck] = await db()
		.select({ id: decks.id })
		.from(decks)
		.where(eq(decks.lectureId, lectureId));
	if (!deck) return [];
	return db()
		.select({
			number: deckRevisions.number,
			authorName: users.name,
			source: deckRevisions.source,
			merged: deckRevisions.merged,
			restoredFrom: deckRevisions.restoredFrom,
			createdAt: deckRevisions.createdAt
		})
		.from(deckRevisions)
		.leftJoin(users, eq(users.id, deckRevisions.authorId))
		.where(eq(deckRevisions.deckId, deck.id))
		.orderBy(desc(deckRevisions.number));
}

/** Makes an earlier revision the newest one again (as a new revision: nothing is lost). */
export async function restoreRevision(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	number: number
): Promise<number> {
	const access = await requireEditor(actor, courseId, lectureId);
	return db().transaction(async (tx) => {
		const [deck] = await tx
			.select()
			.from(decks)
			.where(eq(decks.lectureId, lectureId))
			.for('update');
		if (!deck) error(404, 'Not found');
		const [old] = await tx
			.select({ source: deckRevisions.source })
			.from(deckRevisions)
			.where(and(eq(deckRevisions.deckId, deck.id), eq(deckRevisions.number, number)));
		if (!old) error(404, 'Not found');
		// Restoring what is already the text (a double click, a resent form) adds no revision.
		if (old.source === deck.source) return deck.revision;
		return appendRevision(tx, actor, { courseId, lectureId, deck, access }, old.source, {
			restoredFrom: number
		});
	});
}

/** Publishes now, at the lecture's start, or takes the deck back to a draft. */
export async function setDeckPublication(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	when: 'now' | 'lecture' | 'draft'
): Promise<void> {
	await requireEditor(actor, courseId, lectureId);
	const lecture = await lectureOf(db(), courseId, lectureId);
	const [deck] = await db()
		.select({ id: decks.id })
		.from(decks)
		.where(eq(decks.lectureId, lectureId));
	if (!deck) throw new InputError({ when: 'Save the deck once before publishing it.' });
	await db()
		.update(decks)
		.set(
			when === 'draft'
				? { status: 'draft', publishAt: null }
				: { status: 'published', publishAt: when === 'now' ? new Date() : lecture.startsAt }
		)
		.where(eq(decks.id, deck.id));
}

export async function setDeckTheme(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	theme: Theme
): Promise<void> {
	await requireEditor(actor, courseId, lectureId);
	const [deck] = await db()
		.select({ id: decks.id })
		.from(decks)
		.where(eq(decks.lectureId, lectureId));
	if (!deck) throw new InputError({ theme: 'Save the deck once before choosing its theme.' });
	await db().update(decks).set({ theme }).where(eq(decks.id, deck.id));
}
