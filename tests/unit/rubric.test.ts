import { describe, expect, test } from 'vitest';
import {
	DEFAULT_RUBRIC,
	adjustmentIssue,
	memberPercent,
	rubricSchema,
	scoreField,
	talkGradeSchema,
	talkPercent
} from '$lib/grades/rubric';
import { adjustmentSchema, reportPointsIssue } from '$lib/grades/schemas';

describe('talk rubric', () => {
	test('the default has the four criteria of the course page, 100 points in all', () => {
		expect(rubricSchema.safeParse(DEFAULT_RUBRIC).success).toBe(true);
		expect(DEFAULT_RUBRIC.map((c) => c.label)).toEqual([
			'Comprehensive explanation of the topic',
			'Assessment of strengths and weaknesses',
			'Delivery and slides',
			'Handling of questions'
		]);
		expect(DEFAULT_RUBRIC.reduce((s, c) => s + c.max, 0)).toBe(100);
	});

	test('rubrics with no criteria, repeated keys or non-positive points are refused', () => {
		expect(rubricSchema.safeParse([]).success).toBe(false);
		const twice = [DEFAULT_RUBRIC[0], DEFAULT_RUBRIC[0]];
		expect(rubricSchema.safeParse(twice).success).toBe(false);
		expect(rubricSchema.safeParse([{ ...DEFAULT_RUBRIC[0], max: 0 }]).success).toBe(false);
	});

	test('the grade form parses scores per criterion and refuses ones out of range', () => {
		const form = Object.fromEntries(DEFAULT_RUBRIC.map((c, i) => [scoreField(c.key), `${20 + i}`]));
		const parsed = talkGradeSchema(DEFAULT_RUBRIC).safeParse({ ...form, feedback: ' Good. ' });
		expect(parsed.success && parsed.data).toEqual({
			scores: { explanation: 20, assessment: 21, delivery: 22, questions: 23 },
			feedback: 'Good.'
		});
		for (const bad of ['26', '-1', '', 'many']) {
			const result = talkGradeSchema(DEFAULT_RUBRIC).safeParse({
				...form,
				[scoreField('delivery')]: bad
			});
			expect(result.success).toBe(false);
			expect(result.error?.issues[0]).toMatchObject({
				path: ['score_delivery'],
				message: 'Delivery and slides: enter 0 to 25 points.'
			});
		}
	});

	test('talk percent is earned over available points; a member adjustment stays in 0–100', () => {
		const rubric = [
			{ key: 'a', label: 'A', max: 10 },
			{ key: 'b', label: 'B', max: 30 }
		];
		expect(talkPercent({ a: 10, b: 20 }, rubric)).toBe(75);
		expect(talkPercent({ a: 10 }, rubric)).toBe(25);
		expect(talkPercent({ a: 50, b: 30 }, rubric)).toBe(100);
		expect(memberPercent(75, 5)).toBe(80);
		expect(memberPercent(98, 5)).toBe(100);
		expect(memberPercent(3, -5)).toBe(0);
	});

	test('adjustments and report points out of range get a message', () => {
		expect(adjustmentIssue(-5)).toBeNull();
		expect(adjustmentIssue(101)).toMatch(/-100 to 100/);
		expect(adjustmentSchema.safeParse({ userId: 'u', points: '', reason: 'x' }).success).toBe(
			false
		);
		expect(reportPointsIssue(10, 10)).toBeNull();
		expect(reportPointsIssue(11, 10)).toBe('Enter 0 to 10 points.');
		expect(reportPointsIssue(-1, 10)).toBe('Enter 0 to 10 points.');
	});
});
