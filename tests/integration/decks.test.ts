import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { activity } from '$lib/server/db/schema';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import {
	deckHistory,
	getDeck,
	restoreRevision,
	saveDeck,
	setDeckPublication
} from '$lib/server/decks/service';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectInputError,
	expectNothingWritten,
	lectureInput,
	makeCourse,
	makeUser
} from './helpers';

const DECK = ['# Title', '', '---', '', '## Middle', '', 'text', '', '---', '', '## End', ''].join(
	'\n'
);

async function setting(lecture = lectureInput({ number: 2 })) {
	const { course, instructor } = await makeCourse();
	const ada = await asStudentOf(course, await makeUser('Ada'));
	const ben = await asStudentOf(course, await makeUser('Ben'));
	const cleo = await asStudentOf(course, await makeUser('Cleo'));
	const ta = await asTaOf(course);
	const lectureId = await createLecture(instructor, course.id, lecture);
	await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
	return { course, instructor, ta, ada, ben, cleo, lectureId };
}

describe('decks', () => {
	it('shows a draft to the pair and staff only; others and non-members get 404', async () => {
		const { course, instructor, ta, ada, cleo, lectureId } = await setting();
		await saveDeck(ada, course.id, lectureId, { source: DECK, baseRevision: 0 });
		for (const who of [ada, instructor, ta]) {
			const { deck, editable } = await getDeck(who, course.id, lectureId);
			expect(editable).toBe(true);
			expect(deck.source).toBe(DECK);
		}
		await expectHttpError(getDeck(cleo, course.id, lectureId), 404);
		await expectHttpError(getDeck(await makeUser('Out'), course.id, lectureId), 404);
		await expectNothingWritten(() =>
			expectHttpError(saveDeck(cleo, course.id, lectureId, { source: 'x', baseRevision: 1 }), 404)
		);
	});

	it('saves revisions with an activity row each, and merges edits of different slides', async () => {
		const { course, ada, ben, lectureId } = await setting();
		const first = await saveDeck(ada, course.id, lectureId, { source: DECK, baseRevision: 0 });
		expect(first).toMatchObject({ kind: 'saved', revision: 1, merged: false });
		// Both start from revision 1; Ada edits the first slide, Ben the last.
		const adaText = DECK.replace('# Title', '# Better title');
		const benText = DECK.replace('## End', '## Conclusion');
		expect(
			await saveDeck(ada, course.id, lectureId, { source: adaText, baseRevision: 1 })
		).toMatchObject({
			kind: 'saved',
			revision: 2
		});
		const merged = await saveDeck(ben, course.id, lectureId, { source: benText, baseRevision: 1 });
		expect(merged).toMatchObject({ kind: 'saved', revision: 3, merged: true });
		const { deck } = await getDeck(ada, course.id, lectureId);
		expect(deck.source).toContain('# Better title');
		expect(deck.source).toContain('## Conclusion');
		const rows = await db()
			.select()
			.from(activity)
			.where(and(eq(activity.subjectType, 'deck'), eq(activity.courseId, course.id)));
		expect(rows.map((r) => r.kind)).toEqual(['deck_revised', 'deck_revised', 'deck_revised']);
		expect(rows.filter((r) => r.userId === ben.id)).toHaveLength(1);
	});

	it('returns overlapping edits as a conflict with both versions and saves nothing', async () => {
		const { course, ada, ben, lectureId } = await setting();
		await saveDeck(ada, course.id, lectureId, { source: DECK, baseRevision: 0 });
		await saveDeck(ada, course.id, lectureId, {
			source: DECK.replace('text', 'Ada wrote this'),
			baseRevision: 1
		});
		let outcome;
		await expectNothingWritten(async () => {
			outcome = await saveDeck(ben, course.id, lectureId, {
				source: DECK.replace('text', 'Ben wrote that'),
				baseRevision: 1
			});
		});
		expect(outcome).toMatchObject({ kind: 'conflict', revision: 2 });
		const conflict = outcome as unknown as { merged: string };
		expect(conflict.merged).toContain('Ada wrote this');
		expect(conflict.merged).toContain('Ben wrote that');
	});

	it('refuses a deck with a dangerous attribute, writing nothing', async () => {
		const { course, ada, lectureId } = await setting();
		await expectNothingWritten(() =>
			expectInputError(
				saveDeck(ada, course.id, lectureId, {
					source: '# Hi\n<!-- .slide: onclick="alert(1)" -->\n',
					baseRevision: 0
				}),
				'source'
			)
		);
	});

	it('keeps every revision and restores an old one as a new revision', async () => {
		const { course, ada, ben, lectureId } = await setting();
		await saveDeck(ada, course.id, lectureId, { source: DECK, baseRevision: 0 });
		await saveDeck(ben, course.id, lectureId, {
			source: `${DECK}\n---\n\n## Extra\n`,
			baseRevision: 1
		});
		const restored = await restoreRevision(ada, course.id, lectureId, 1);
		expect(restored).toBe(3);
		const history = await deckHistory(ben, course.id, lectureId);
		expect(history.map((h) => [h.number, h.authorName, h.restoredFrom])).toEqual([
			[3, 'Ada', 1],
			[2, 'Ben', null],
			[1, 'Ada', null]
		]);
		expect((await getDeck(ben, course.id, lectureId)).deck.source).toBe(DECK);
	});

	it('publishes to the class now or at the lecture start, and back to draft', async () => {
		const { course, ada, cleo, lectureId } = await setting(
			lectureInput({ number: 2, startsAt: '2030-01-09T16:00', endsAt: '2030-01-09T18:00' })
		);
		await expectInputError(setDeckPublication(ada, course.id, lectureId, 'now'), 'when');
		await saveDeck(ada, course.id, lectureId, { source: DECK, baseRevision: 0 });
		await expectHttpError(setDeckPublication(cleo, course.id, lectureId, 'now'), 404);

		await setDeckPublication(ada, course.id, lectureId, 'lecture');
		await expectHttpError(getDeck(cleo, course.id, lectureId), 404);
		await setDeckPublication(ada, course.id, lectureId, 'now');
		const seen = await getDeck(cleo, course.id, lectureId);
		expect(seen.editable).toBe(false);
		expect(seen.deck.source).toBe(DECK);
		await setDeckPublication(ada, course.id, lectureId, 'draft');
		await expectHttpError(getDeck(cleo, course.id, lectureId), 404);
	});
});
