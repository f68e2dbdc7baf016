import { describe, expect, it } from 'vitest';
import { annotationEditSchema, annotationSchema, voteSchema } from '$lib/annotations/schemas';

const target = {
	kind: 'text',
	page: 1,
	endPage: 1,
	quote: {
		type: 'TextQuoteSelector',
		exact: 'sparse adapters',
		prefix: 'train ',
		suffix: ' instead'
	},
	position: { type: 'TextPositionSelector', start: 10, end: 25 }
};

const form = (overrides: Record<string, unknown> = {}) => ({
	target: JSON.stringify(target),
	body: 'A comment',
	...overrides
});

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
	result.success ? [] : result.error!.issues.map((i) => i.path.join('.'));

describe('annotation tags', () => {
	it.each([
		['one field with commas', 'Strength, weakness', ['strength', 'weakness']],
		['several fields', ['Question', 'my idea'], ['question', 'my-idea']],
		['punctuation and spaces as single dashes', ' --Needs  more... data!! ', ['needs-more-data']],
		['letters and digits of any script', 'Größe, 2nd-order', ['größe', '2nd-order']],
		['each tag once', ['question', 'Question', ' QUESTION '], ['question']],
		['nothing', undefined, []],
		['empty pieces', ', ,,', []]
	])('normalises %s', (_, tags, expected) => {
		const parsed = annotationSchema.parse(form(tags === undefined ? {} : { tags }));
		expect(parsed.tags).toEqual(expected);
		expect(annotationEditSchema.parse({ annotationId: 'a', body: 'x', tags }).tags).toEqual(
			expected
		);
	});

	it('refuses more than 8 tags and tags longer than 30 characters', () => {
		const many = Array.from({ length: 9 }, (_, i) => `tag${i}`).join(',');
		expect(issues(annotationSchema.safeParse(form({ tags: many })))).toEqual(['tags']);
		expect(issues(annotationSchema.safeParse(form({ tags: 'x'.repeat(31) })))).toEqual(['tags.0']);
		expect(annotationSchema.parse(form({ tags: 'x'.repeat(30) })).tags).toEqual(['x'.repeat(30)]);
	});
});

describe('annotationSchema', () => {
	it('trims the comment and shares with the class unless told otherwise', () => {
		expect(annotationSchema.parse(form({ body: '  Hm.  ' }))).toEqual({
			target,
			body: 'Hm.',
			tags: [],
			visibility: 'class'
		});
		expect(annotationSchema.parse(form({ visibility: 'private' })).visibility).toBe('private');
	});

	it.each([
		['no target', { target: undefined }, 'target'],
		['a target that is not JSON', { target: '{page: 1' }, 'target'],
		[
			'an empty selection',
			{ target: JSON.stringify({ ...target, quote: { ...target.quote, exact: '' } }) },
			'target.quote.exact'
		],
		[
			'a selection that ends where it starts',
			{ target: JSON.stringify({ ...target, position: { ...target.position, end: 10 } }) },
			'target.position'
		],
		[
			'a tiny region',
			{
				target: JSON.stringify({
					kind: 'region',
					page: 1,
					rect: { x: 0, y: 0, width: 2, height: 50 }
				})
			},
			'target.rect'
		],
		['page 0', { target: JSON.stringify({ ...target, page: 0 }) }, 'target.page'],
		['an empty comment', { body: '   ' }, 'body'],
		['an unknown audience', { visibility: 'world' }, 'visibility']
	])('refuses %s', (_, overrides, path) => {
		expect(issues(annotationSchema.safeParse(form(overrides)))).toEqual([path]);
	});
});

describe('voteSchema', () => {
	it('reads the on/off switch of a vote', () => {
		expect(voteSchema.parse({ annotationId: 'a', kind: 'helpful', on: 'false' })).toEqual({
			annotationId: 'a',
			kind: 'helpful',
			on: false
		});
		expect(issues(voteSchema.safeParse({ annotationId: 'a', kind: 'like', on: 'true' }))).toEqual([
			'kind'
		]);
	});
});
