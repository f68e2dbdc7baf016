import { describe, expect, test } from 'vitest';
import {
	DEFAULT_RULES,
	describeRules,
	participationPercent,
	rulesSchema,
	textItemPoints
} from '$lib/participation/rules';
import { bestOf } from '$lib/grades/best-of';

describe('participation rules', () => {
	test('the defaults are valid and read in plain words', () => {
		expect(rulesSchema.safeParse(DEFAULT_RULES).success).toBe(true);
		const words = describeRules(DEFAULT_RULES).join('\n');
		expect(words).toContain('a submitted critique: 3 points');
		expect(words).toContain('a “helpful” mark from a classmate: 0.25 points');
		expect(words).toContain('shorter than 30 characters earn nothing');
		expect(words).toContain('A late critique loses 50 % of its points.');
		expect(words).not.toContain('earn nothing in this course');
		const off = {
			...DEFAULT_RULES,
			items: { ...DEFAULT_RULES.items, live_question: { counts: false, points: 1 } }
		};
		expect(describeRules(off).join('\n')).toContain(
			'These earn nothing in this course: a question asked during a talk.'
		);
	});

	test('bad rules get clear messages', () => {
		const messages = (rules: unknown) => {
			const result = rulesSchema.safeParse(rules);
			return result.success ? [] : result.error.issues.map((i) => i.message);
		};
		expect(messages({ ...DEFAULT_RULES, capPerLecture: -1 })).toEqual([
			'The cap per lecture must be above zero.'
		]);
		expect(messages({ ...DEFAULT_RULES, minLength: 300, fullLength: 200 })).toEqual([
			'The full length cannot be below the minimum length.'
		]);
		expect(
			messages({
				...DEFAULT_RULES,
				items: { ...DEFAULT_RULES.items, reply: { counts: true, points: -2 } }
			})
		).toEqual(['Points cannot be negative.']);
	});

	test('short items earn nothing, long ones their full points, and a burst of short ones loses', () => {
		const rules = { minLength: 30, fullLength: 200 };
		expect(textItemPoints(rules, 1, 29)).toBe(0);
		expect(textItemPoints(rules, 1, 100)).toBe(0.5);
		expect(textItemPoints(rules, 1, 200)).toBe(1);
		expect(textItemPoints(rules, 1, 5000)).toBe(1);
		const burst = Array.from({ length: 10 }, () => textItemPoints(rules, 1, 30));
		const substantial = Array.from({ length: 3 }, () => textItemPoints(rules, 1, 250));
		const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
		expect(sum(burst)).toBeLessThan(sum(substantial));
	});

	test('the percentage caps each lecture and counts lectures held so far', () => {
		expect(participationPercent([6, 6], 2, 6)).toBe(100);
		expect(participationPercent([12, 0], 2, 6)).toBe(50);
		expect(participationPercent([3], 2, 6)).toBe(25);
		expect(participationPercent([], 0, 6)).toBe(0);
		expect(participationPercent([3], 2, 6, 3)).toBe(50);
		expect(participationPercent([0], 1, 6, -2)).toBe(0);
	});
});

describe('best n of m', () => {
	test('missing reports count as zero before the best are chosen', () => {
		expect(bestOf([80, null, 95, 70, null], 3, 5)).toEqual([95, 80, 70]);
		expect(bestOf([90], 3, 5)).toEqual([90, 0, 0]);
		expect(bestOf([50, 60, 70, 80, 90, 100], 3, 5)).toEqual([90, 80, 70]);
	});
});
