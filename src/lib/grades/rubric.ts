import { z } from 'zod';
import type { RubricCriterion } from '$lib/server/db/schema/grades';
import { optionalText, trimmed } from '$lib/validation';

export type { RubricCriterion };

/** The talk rubric of a course that has not set its own; 100 points in all. */
export const DEFAULT_RUBRIC: RubricCriterion[] = [
	{ key: 'explanation', label: 'Comprehensive explanation of the topic', max: 25 },
	{ key: 'assessment', label: 'Assessment of strengths and weaknesses', max: 25 },
	{ key: 'delivery', label: 'Delivery and slides', max: 25 },
	{ key: 'questions', label: 'Handling of questions', max: 25 }
];

export const MAX_CRITERIA = 20;

const POINTS_MESSAGE = 'Enter a whole number of points from 1 to 100.';

/** A rubric as the instructor saves it; issues carry the row's index, for the editor. */
export const rubricSchema = z
	.array(
		z.object({
			key: z
				.string()
				.regex(/^[a-z][a-z0-9_]{0,39}$/, 'A criterion key is lowercase letters, digits and _.'),
			label: trimmed('Label', 200),
			max: z
				.number({ error: POINTS_MESSAGE })
				.int(POINTS_MESSAGE)
				.min(1, POINTS_MESSAGE)
				.max(100, POINTS_MESSAGE)
		})
	)
	.min(1, 'A rubric needs at least one criterion.')
	.max(MAX_CRITERIA, `A rubric has at most ${MAX_CRITERIA} criteria.`)
	.superRefine((criteria, ctx) => {
		const keys = new Set<string>();
		const labels = new Set<string>();
		criteria.forEach((c, i) => {
			if (keys.has(c.key))
				ctx.addIssue({ code: 'custom', message: 'Criterion keys must differ.', path: [i, 'key'] });
			const label = c.label.toLowerCase();
			if (labels.has(label)) {
				ctx.addIssue({
					code: 'custom',
					message: 'Another criterion has this label.',
					path: [i, 'label']
				});
			}
			keys.add(c.key);
			labels.add(label);
		});
	});

/** The form field that holds a criterion's score. */
export const scoreField = (key: string) => `score_${key}`;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** The message for a score outside its criterion's range, or null when it fits. */
export function scoreIssue(criterion: RubricCriterion, value: unknown): string | null {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > criterion.max) {
		return `${criterion.label}: enter 0 to ${criterion.max} points.`;
	}
	return null;
}

/**
 * The grade form of a rubric: one score per criterion and the feedback, parsed into
 * `{ scores, feedback }`.
 */
export function talkGradeSchema(rubric: RubricCriterion[]) {
	const score = (c: RubricCriterion) =>
		z
			.string({ error: `${c.label}: enter 0 to ${c.max} points.` })
			.trim()
			.min(1, `${c.label}: enter 0 to ${c.max} points.`)
			.transform(Number)
			.refine((v) => scoreIssue(c, v) === null, `${c.label}: enter 0 to ${c.max} points.`);
	return z
		.object({
			...Object.fromEntries(rubric.map((c) => [scoreField(c.key), score(c)])),
			feedback: optionalText('Feedback', 20_000)
		})
		.transform((form) => {
			const fields: Record<string, unknown> = form;
			return {
				scores: Object.fromEntries(rubric.map((c) => [c.key, fields[scoreField(c.key)] as number])),
				feedback: form.feedback
			};
		});
}

/** The pair's talk grade in percent of the rubric's points. */
export function talkPercent(scores: Record<string, number>, rubric: RubricCriterion[]): number {
	const total = rubric.reduce((sum, c) => sum + c.max, 0);
	if (total === 0) return 0;
	const earned = rubric.reduce((sum, c) => sum + clamp(scores[c.key] ?? 0, 0, c.max), 0);
	return (earned / total) * 100;
}

/** One presenter's grade: the pair's percent plus their adjustment, kept within 0–100. */
export function memberPercent(base: number, adjustment: number): number {
	return clamp(base + adjustment, 0, 100);
}

/** The message for a talk adjustment outside -100..100 percentage points, or null. */
export function adjustmentIssue(points: number): string | null {
	return Number.isFinite(points) && points >= -100 && points <= 100
		? null
		: 'Enter an adjustment from -100 to 100 percentage points.';
}

/** A percent as the grade pages show it: at most one decimal. */
export const formatPercent = (percent: number) => `${Math.round(percent * 10) / 10} %`;
