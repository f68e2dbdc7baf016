import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import {
	DEFAULT_WEIGHTS,
	finalGrade,
	gradebookCsv,
	gradeSettingsSchema,
	presentationPercent,
	type GradebookRow
} from '$lib/grades/final';

const settings = (overrides: Record<string, unknown> = {}) => ({
	presentation: '70',
	miniProjects: '20',
	participation: '10',
	bestMiniProjects: '3',
	ofMiniProjects: '5',
	...overrides
});

const messages = (input: unknown) => {
	const parsed = gradeSettingsSchema.safeParse(input);
	return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe('grade settings', () => {
	test('the defaults are valid', () => {
		expect(gradeSettingsSchema.parse(settings())).toEqual({
			...DEFAULT_WEIGHTS,
			bestMiniProjects: 3,
			ofMiniProjects: 5
		});
		expect(
			messages(settings({ presentation: '33.33', miniProjects: '33.33', participation: '33.34' }))
		).toEqual([]);
	});

	test('weights that do not add up to 100 get a clear message', () => {
		expect(messages(settings({ participation: '5' }))).toEqual([
			'The weights add up to 95 %; they must add up to 100 %.'
		]);
		expect(messages(settings({ presentation: '-10', participation: '90' }))).toContain(
			'The presentation weight is a percentage from 0 to 100.'
		);
	});

	test('N of M must satisfy 1 ≤ N ≤ M ≤ 20', () => {
		expect(messages(settings({ bestMiniProjects: '6' }))[0]).toMatch(/best 6 of 5 cannot count/);
		expect(messages(settings({ bestMiniProjects: '0' }))).toContain(
			'The number of mini-projects that count must be at least 1.'
		);
		expect(messages(settings({ ofMiniProjects: '21' }))).toContain(
			'The number of mini-projects must be at most 20.'
		);
		expect(messages(settings({ bestMiniProjects: '2.5' }))).toContain(
			'The number of mini-projects that count must be a whole number.'
		);
	});
});

describe('final grade', () => {
	test('talk percentage from the rubric plus the presenter’s adjustment, within 0..100', () => {
		const rubric = [
			{ key: 'content', label: 'Content', max: 10 },
			{ key: 'delivery', label: 'Delivery', max: 10 }
		];
		expect(presentationPercent(rubric, { content: 8, delivery: 6 })).toBe(70);
		expect(presentationPercent(rubric, { content: 8, delivery: 6 }, -5)).toBe(65);
		expect(presentationPercent(rubric, { content: 10, delivery: 10 }, 5)).toBe(100);
		expect(presentationPercent([], {})).toBeNull();
	});

	test('best 3 of 5 with missing reports counting as zero', () => {
		const grade = finalGrade(
			{
				presentationPercent: 80,
				miniProjectPercents: [90, null, 60, 30, null],
				participationPercent: 50
			},
			DEFAULT_WEIGHTS,
			3,
			5
		);
		expect(grade.counted).toEqual([90, 60, 30]);
		expect(grade.miniProjects).toBe(60);
		expect(grade.final).toBeCloseTo(0.7 * 80 + 0.2 * 60 + 0.1 * 50);
	});

	test('fewer reports than N still average over N; an ungraded talk counts as zero', () => {
		const grade = finalGrade(
			{ presentationPercent: null, miniProjectPercents: [100], participationPercent: 100 },
			{ presentation: 50, miniProjects: 30, participation: 20 },
			2,
			4
		);
		expect(grade.miniProjects).toBe(50);
		expect(grade.final).toBeCloseTo(0.3 * 50 + 0.2 * 100);
	});
});

describe('export shapes', () => {
	const rows: GradebookRow[] = [
		{
			userId: 'u1',
			name: 'Ada, "the" Countess',
			email: 'ada@example.org',
			items: [82.456, null]
		}
	];
	const titles = ['Presentation', 'Final grade'];

	test('Moodle: the email key column, then one column per item', () => {
		const parsed = Papa.parse<string[]>(gradebookCsv(rows, titles, 'moodle').trim());
		expect(parsed.data).toEqual([
			['Email address', 'Presentation', 'Final grade'],
			['ada@example.org', '82.46', '']
		]);
	});

	test('Canvas: its five leading columns, the login as key, then the items', () => {
		const parsed = Papa.parse<string[]>(gradebookCsv(rows, titles, 'canvas').trim());
		expect(parsed.data).toEqual([
			['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Presentation', 'Final grade'],
			['Ada, "the" Countess', '', '', 'ada@example.org', '', '82.46', '']
		]);
	});
});
