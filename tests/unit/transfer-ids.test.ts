import { describe, expect, it } from 'vitest';
import { newId } from '$lib/server/ids';
import { ID_SHAPE, parentsFirst, remapIds, replaceIds } from '$lib/transfer/ids';

const a = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const b = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const c = 'cccccccccccccccccccccccc';

describe('ids in a course export', () => {
	it('has the shape of the ids the app makes', () => {
		for (let i = 0; i < 20; i++) expect(newId()).toMatch(ID_SHAPE);
	});

	it('replaces ids in columns, text and JSON, as whole tokens only', () => {
		const map = new Map([
			[a, b],
			[b, c]
		]);
		const row = {
			id: a,
			parentId: null,
			source: `![figure](/courses/x/decks/${a}.png) {cite ${b}}`,
			details: { deckId: a, slides: [[0, 1]], ids: [b, 'keep'] },
			// Part of a longer token: not an id.
			sha: `${a}7`,
			count: 3,
			ok: true
		};
		expect(remapIds(row, map)).toEqual({
			id: b,
			parentId: null,
			source: `![figure](/courses/x/decks/${b}.png) {cite ${c}}`,
			details: { deckId: b, slides: [[0, 1]], ids: [c, 'keep'] },
			sha: `${a}7`,
			count: 3,
			ok: true
		});
		// Unknown ids stay; the input is not changed.
		expect(remapIds({ x: c }, map)).toEqual({ x: c });
		expect(row.id).toBe(a);
		expect(replaceIds(`${a}-${c}`, () => '?')).toBe('?-?');
	});

	it('orders replies after what they answer', () => {
		const rows = [
			{ id: c, parentId: b },
			{ id: b, parentId: a },
			{ id: a, parentId: null }
		];
		expect(parentsFirst(rows, 'parentId').map((r) => r.id)).toEqual([a, b, c]);
		expect(() => parentsFirst([{ id: a, parentId: c }], 'parentId')).toThrow(/not in the file/);
		expect(() =>
			parentsFirst(
				[
					{ id: a, parentId: b },
					{ id: b, parentId: a }
				],
				'parentId'
			)
		).toThrow(/cycle/);
	});
});
