/**
 * The final grade from its parts by the course's weights, the settings form's validation
 * and the gradebook's export shapes. Pure: the gradebook service feeds it rows it read.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import type { GradeWeights, RubricCriterion } from '$lib/server/db/schema';
import { bestOf } from './best-of';

export type { GradeWeights };

export const DEFAULT_WEIGHTS: GradeWeights = {
	presentation: 70,
	miniProjects: 20,
	participation: 10
};
export const DEFAULT_BEST_MINI_PROJECTS = 3;
export const DEFAULT_OF_MINI_PROJECTS = 5;
export const MAX_MINI_PROJECTS = 20;

const weight = (label: string) =>
	z.coerce
		.number({ error: `The ${label} weight must be a number.` })
		.min(0, `The ${label} weight is a percentage from 0 to 100.`)
		.max(100, `The ${label} weight is a percentage from 0 to 100.`);

const count = (label: string) =>
	z.coerce
		.number({ error: `${label} must be a number.` })
		.int(`${label} must be a whole number.`)
		.min(1, `${label} must be at least 1.`)
		.max(MAX_MINI_PROJECTS, `${label} must be at most ${MAX_MINI_PROJECTS}.`);

const format = (n: number) => String(Math.round(n * 100) / 100);

/** The settings form: weights that add up to 100 and the best N of M mini-projects. */
export const gradeSettingsSchema = z
	.object({
		presentation: weight('presentation'),
		miniProjects: weight('mini-projects'),
		participation: weight('participation'),
		bestMiniProjects: count('The number of mini-projects that count'),
		ofMiniProjects: count('The number of mini-projects')
	})
	.superRefine((s, ctx) => {
		const sum = s.presentation + s.miniProjects + s.participation;
		// Compared in hundredths so 33.33 + 33.33 + 33.34 is exactly 100.
		if (Math.round(sum * 100) !== 10_000) {
			ctx.addIssue({
				code: 'custom',
				path: ['weights'],
				message: `The weights add up to ${format(sum)} %; they must add up to 100 %.`
			});
		}
		if (s.bestMiniProjects > s.ofMiniProjects) {
			ctx.addIssue({
				code: 'custom',
				path: ['bestMiniProjects'],
				message: `The best ${s.bestMiniProjects} of ${s.ofMiniProjects} cannot count: the number that counts must not exceed the number of mini-projects.`
			});
		}
	});
export type GradeSettingsInput = z.output<typeof gradeSettingsSchema>;

/**
 * A presenter's talk percentage: the rubric points over the rubric's maximum, plus their
 * own adjustment (percentage points), kept within 0..100.
 */
export function presentationPercent(
	rubric: RubricCriterion[],
	scores: Record<string, number>,
	adjustment = 0
): number | null {
	const max = rubric.reduce((sum, c) => sum + c.max, 0);
	if (max <= 0) return null;
	const earned = rubric.reduce((sum, c) => sum + (scores[c.key] ?? 0), 0);
	return clampPercent((earned / max) * 100 + adjustment);
}

const clampPercent = (p: number) => Math.min(100, Math.max(0, p));

export interface GradeParts {
	/** Null until a talk of theirs is graded; counts as zero in the final grade. */
	presentationPercent: number | null;
	/** One entry per mini-project of the course; null where nothing was graded. */
	miniProjectPercents: (number | null)[];
	participationPercent: number;
}

export interface FinalGrade {
	presentation: number;
	/** The mean of the best N of M, missing ones counting as zero. */
	miniProjects: number;
	/** The mini-project percentages that counted, best first. */
	counted: number[];
	participation: number;
	final: number;
}

/** The final grade: each part weighted by the course's weights (which add up to 100). */
export function finalGrade(
	parts: GradeParts,
	weights: GradeWeights,
	n: number,
	m: number
): FinalGrade {
	const presentation = parts.presentationPercent ?? 0;
	const counted = bestOf(parts.miniProjectPercents, n, m);
	const miniProjects = counted.reduce((sum, p) => sum + p, 0) / n;
	const participation = parts.participationPercent;
	const final =
		(presentation * weights.presentation +
			miniProjects * weights.miniProjects +
			participation * weights.participation) /
		100;
	return { presentation, miniProjects, counted, participation, final };
}

export const EXPORT_FORMATS = ['moodle', 'canvas', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface GradebookRow {
	userId: string;
	name: string;
	email: string;
	/** Percentages in the order of the item titles; null where nothing is graded. */
	items: (number | null)[];
}

const cell = (p: number | null) => (p === null ? '' : (Math.round(p * 100) / 100).toFixed(2));

/**
 * The gradebook as CSV for a learning platform's grade import. Moodle matches rows on a
 * key column chosen at import ("Email address" here); Canvas reads the leading columns of
 * its own gradebook export (Student, ID, SIS User ID, SIS Login ID, Section) and matches on
 * the login, which is the email where Canvas signs people in by email. Canvas's own ID is
 * unknown to Podium and left empty. One column per item after the key columns.
 */
export function gradebookCsv(
	rows: GradebookRow[],
	itemTitles: string[],
	format: 'moodle' | 'canvas'
) {
	const keys =
		format === 'moodle'
			? ['Email address']
			: ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section'];
	const data = rows.map((row) => [
		...(format === 'moodle' ? [row.email] : [row.name, '', '', row.email, '']),
		...row.items.map(cell)
	]);
	return Papa.unparse({ fields: [...keys, ...itemTitles], data }, { newline: '\r\n' });
}
