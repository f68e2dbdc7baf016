/**
 * How activity earns participation points in a course. The scoring itself runs in SQL
 * over the activity rows (src/lib/server/participation); these are its parameters, their
 * defaults and their description in plain words.
 */
import { z } from 'zod';

export const PARTICIPATION_ITEMS = [
	'annotation',
	'reply',
	'helpful_received',
	'endorsement_received',
	'critique',
	'critique_answer',
	'live_question',
	'annotation_cited'
] as const;
export type ParticipationItem = (typeof PARTICIPATION_ITEMS)[number];

export const ITEM_LABELS: Record<ParticipationItem, string> = {
	annotation: 'an annotation on a paper',
	reply: 'a reply to an annotation or a critique',
	helpful_received: 'a “helpful” mark from a classmate',
	endorsement_received: 'an endorsement by an instructor or TA',
	critique: 'a submitted critique',
	critique_answer: 'an answer to a critique, as the presenters',
	live_question: 'a question asked during a talk',
	annotation_cited: 'one of your annotations cited on a slide'
};

/** Items whose points depend on their text's length. */
export const TEXT_ITEMS: readonly ParticipationItem[] = [
	'annotation',
	'reply',
	'critique',
	'critique_answer',
	'live_question'
];

export interface ParticipationRules {
	items: Record<ParticipationItem, { counts: boolean; points: number }>;
	/** Most points one student earns in one lecture. */
	capPerLecture: number;
	/** A text item shorter than this (characters) earns nothing. */
	minLength: number;
	/** A text item earns its full points from this length on, and a share of them below. */
	fullLength: number;
	/** Percent of its points a late critique loses. */
	latePenalty: number;
}

export const DEFAULT_RULES: ParticipationRules = {
	items: {
		annotation: { counts: true, points: 1 },
		reply: { counts: true, points: 0.5 },
		helpful_received: { counts: true, points: 0.25 },
		endorsement_received: { counts: true, points: 1 },
		critique: { counts: true, points: 3 },
		critique_answer: { counts: true, points: 1 },
		live_question: { counts: true, points: 0.5 },
		annotation_cited: { counts: true, points: 0.5 }
	},
	capPerLecture: 6,
	minLength: 30,
	fullLength: 200,
	latePenalty: 50
};

const points = z
	.number({ error: 'Points must be a number.' })
	.min(0, 'Points cannot be negative.')
	.max(100, 'Points must be at most 100.');

export const rulesSchema = z
	.object({
		items: z.object(
			Object.fromEntries(
				PARTICIPATION_ITEMS.map((item) => [item, z.object({ counts: z.boolean(), points })])
			) as Record<ParticipationItem, z.ZodObject<{ counts: z.ZodBoolean; points: typeof points }>>
		),
		capPerLecture: z
			.number({ error: 'The cap must be a number.' })
			.positive('The cap per lecture must be above zero.')
			.max(1000, 'The cap per lecture must be at most 1000.'),
		minLength: z
			.number({ error: 'The minimum length must be a number of characters.' })
			.int('The minimum length is a whole number of characters.')
			.min(0, 'The minimum length cannot be negative.')
			.max(5000, 'The minimum length must be at most 5000 characters.'),
		fullLength: z
			.number({ error: 'The full length must be a number of characters.' })
			.int('The full length is a whole number of characters.')
			.min(1, 'The full length must be at least 1 character.')
			.max(20000, 'The full length must be at most 20000 characters.'),
		latePenalty: z
			.number({ error: 'The late penalty must be a percentage from 0 to 100.' })
			.min(0, 'The late penalty is a percentage from 0 to 100.')
			.max(100, 'The late penalty is a percentage from 0 to 100.')
	})
	.refine((r) => r.fullLength >= r.minLength, {
		path: ['fullLength'],
		message: 'The full length cannot be below the minimum length.'
	});

const format = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

/** The rules in plain words, one sentence each, as students and instructors read them. */
export function describeRules(rules: ParticipationRules): string[] {
	const earning = PARTICIPATION_ITEMS.filter((i) => rules.items[i].counts).map(
		(i) =>
			`${ITEM_LABELS[i]}: ${format(rules.items[i].points)} point${rules.items[i].points === 1 ? '' : 's'}`
	);
	const ignored = PARTICIPATION_ITEMS.filter((i) => !rules.items[i].counts).map(
		(i) => ITEM_LABELS[i]
	);
	return [
		`Each of these earns points: ${earning.join('; ')}.`,
		...(ignored.length ? [`These earn nothing in this course: ${ignored.join('; ')}.`] : []),
		`Written items shorter than ${rules.minLength} characters earn nothing; items earn their full points from ${rules.fullLength} characters on, and a share of them in between, so a few substantial comments beat many short ones.`,
		`Near-duplicate texts count once, and items an instructor hides stop counting.`,
		`A late critique loses ${format(rules.latePenalty)} % of its points.`,
		`At most ${format(rules.capPerLecture)} points count per lecture; reaching the cap in every lecture held so far is full participation.`
	];
}

/**
 * Points one text item earns before the cap: nothing below the minimum length, full points
 * from the full length on, in proportion between. Mirrors the SQL in the scoring service;
 * unit tests hold the two together.
 */
export function textItemPoints(
	rules: Pick<ParticipationRules, 'minLength' | 'fullLength'>,
	basePoints: number,
	length: number
): number {
	if (length < rules.minLength) return 0;
	return basePoints * Math.min(1, length / rules.fullLength);
}

/**
 * The participation percentage from points per lecture: each lecture's points capped, plus
 * the instructor's adjustments, over the cap times the number of lectures held so far.
 */
export function participationPercent(
	pointsPerLecture: number[],
	lecturesHeld: number,
	cap: number,
	adjustments = 0
): number {
	if (lecturesHeld <= 0) return 0;
	const total = pointsPerLecture.reduce((sum, p) => sum + Math.min(cap, p), 0) + adjustments;
	return Math.max(0, Math.min(100, (100 * total) / (cap * lecturesHeld)));
}
