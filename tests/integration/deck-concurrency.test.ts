import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { deckRevisions, decks } from '$lib/server/db/schema';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { getDeck, restoreRevision, saveDeck, type SaveOutcome } from '$lib/server/decks/service';
import { asStudentOf, lectureInput, makeCourse, makeUser } from './helpers';

// Every save below is fired at once with Promise.all, all of them based on the same
// revision: on PostgreSQL they run on separate connections and really race.
const SLIDES = 8;

const slide = (i: number, text = `text of slide ${i}`) => `## Slide ${i}\n\n${text}\n`;
const deckOf = (texts: string[]) => texts.map((t, i) => slide(i, t)).join('\n---\n\n');
const original = Array.from({ length: SLIDES }, (_, i) => `text of slide ${i}`);

async function setting() {
	const { course, instructor } = await makeCourse();
	const ada = await asStudentOf(course, await makeUser('Ada'));
	const ben = await asStudentOf(course, await makeUser('Ben'));
	const lectureId = await createLecture(instructor, course.id, lectureInput({ number: 2 }));
	await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
	return { courseId: course.id, ada, ben, lectureId };
}

async function revisionNumbers(lectureId: string) {
	const rows = await db()
		.select({ number: deckRevisions.number })
		.from(deckRevisions)
		.innerJoin(decks, eq(decks.id, deckRevisions.deckId))
		.where(eq(decks.lectureId, lectureId))
		.orderBy(asc(deckRevisions.number));
	return rows.map((r) => r.number);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('two presenters saving one deck at the same moment', () => {
	it('keeps every edit of a different slide, with unique consecutive revisions', async () => {
		const { courseId, ada, ben, lectureId } = await setting();
		await saveDeck(ada, courseId, lectureId, { source: deckOf(original), baseRevision: 0 });
		// Ada edits the even slides, Ben the odd ones, one save per slide, all from revision 1.
		const outcomes = await Promise.all(
			original.map((_, i) => {
				const texts = [...original];
				texts[i] = `${i % 2 ? 'Ben' : 'Ada'} rewrote slide ${i}`;
				return saveDeck(i % 2 ? ben : ada, courseId, lectureId, {
					source: deckOf(texts),
					baseRevision: 1
				});
			})
		);
		expect(outcomes.map((o) => o.kind)).toEqual(original.map(() => 'saved'));
		const revisions = outcomes.map((o) => o.revision).sort((a, b) => a - b);
		expect(revisions).toEqual(range(SLIDES).map((n) => n + 1));
		expect(await revisionNumbers(lectureId)).toEqual(range(SLIDES + 1));
		const { deck } = await getDeck(ada, courseId, lectureId);
		expect(deck.revision).toBe(SLIDES + 1);
		for (let i = 0; i < SLIDES; i++) {
			expect(deck.source).toContain(`${i % 2 ? 'Ben' : 'Ada'} rewrote slide ${i}`);
		}
	});

	it('reports overlapping edits as a conflict to resolve and saves the others', async () => {
		const { courseId, ada, ben, lectureId } = await setting();
		await saveDeck(ada, courseId, lectureId, { source: deckOf(original), baseRevision: 0 });
		const edit = (i: number, text: string) => {
			const texts = [...original];
			texts[i] = text;
			return deckOf(texts);
		};
		// Both rewrite slide 0 differently; the other two saves touch slides of their own.
		const outcomes: SaveOutcome[] = await Promise.all([
			saveDeck(ada, courseId, lectureId, { source: edit(0, 'Ada: slide 0'), baseRevision: 1 }),
			saveDeck(ben, courseId, lectureId, { source: edit(0, 'Ben: slide 0'), baseRevision: 1 }),
			saveDeck(ada, courseId, lectureId, { source: edit(3, 'Ada: slide 3'), baseRevision: 1 }),
			saveDeck(ben, courseId, lectureId, { source: edit(6, 'Ben: slide 6'), baseRevision: 1 })
		]);
		const [adaFirst, benFirst] = outcomes;
		// Whichever of the two overlapping saves took the lock first wins; the other one is
		// handed back with both versions, not dropped.
		const kinds = [adaFirst.kind, benFirst.kind].sort();
		expect(kinds).toEqual(['conflict', 'saved']);
		const conflict = [adaFirst, benFirst].find((o) => o.kind === 'conflict');
		if (conflict?.kind !== 'conflict') throw new Error('expected a conflict');
		expect(conflict.merged).toContain('Ada: slide 0');
		expect(conflict.merged).toContain('Ben: slide 0');
		expect(conflict.conflicts).toHaveLength(1);

		expect(outcomes[2].kind).toBe('saved');
		expect(outcomes[3].kind).toBe('saved');
		expect(await revisionNumbers(lectureId)).toEqual(range(4));
		const { deck } = await getDeck(ada, courseId, lectureId);
		expect(deck.source).toContain('Ada: slide 3');
		expect(deck.source).toContain('Ben: slide 6');
		const winner = adaFirst.kind === 'saved' ? 'Ada: slide 0' : 'Ben: slide 0';
		expect(deck.source).toContain(winner);
	});

	it('lets both first saves of a new deck through, merged from the starter text', async () => {
		const { courseId, ada, ben, lectureId } = await setting();
		// Neither has saved yet: both edit the starter text the editor showed them.
		const { deck: starter } = await getDeck(ada, courseId, lectureId);
		const outcomes = await Promise.all([
			saveDeck(ada, courseId, lectureId, {
				source: starter.source.replace('# Title of the talk', '# Ada’s title'),
				baseRevision: 0
			}),
			saveDeck(ben, courseId, lectureId, {
				source: `${starter.source}\n---\n\n## Ben’s closing slide\n`,
				baseRevision: 0
			})
		]);
		expect(outcomes.map((o) => o.kind)).toEqual(['saved', 'saved']);
		expect(await revisionNumbers(lectureId)).toEqual([1, 2]);
		const { deck } = await getDeck(ben, courseId, lectureId);
		expect(deck.source).toContain('# Ada’s title');
		expect(deck.source).toContain('## Ben’s closing slide');
	});

	it('restores an old revision once when the restore is sent twice at once', async () => {
		const { courseId, ada, ben, lectureId } = await setting();
		await saveDeck(ada, courseId, lectureId, { source: deckOf(original), baseRevision: 0 });
		const changed = [...original];
		changed[2] = 'Ben rewrote slide 2';
		await saveDeck(ben, courseId, lectureId, { source: deckOf(changed), baseRevision: 1 });
		const numbers = await Promise.all([
			restoreRevision(ada, courseId, lectureId, 1),
			restoreRevision(ada, courseId, lectureId, 1)
		]);
		expect(numbers).toEqual([3, 3]);
		expect(await revisionNumbers(lectureId)).toEqual([1, 2, 3]);
		expect((await getDeck(ada, courseId, lectureId)).deck.source).toBe(deckOf(original));
	});
});
