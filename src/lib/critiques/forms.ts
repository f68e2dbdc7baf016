/**
 * The questions a critique asks, per course and kind, in the spirit of conference review
 * forms: text fields (Markdown with math) and scores on a scale. The instructor may change
 * them; a critique keeps the form it was written against.
 */
import { z } from 'zod';

export const CRITIQUE_KINDS = ['paper', 'presentation'] as const;
export type CritiqueKind = (typeof CRITIQUE_KINDS)[number];

export const CRITIQUE_KIND_LABELS: Record<CritiqueKind, string> = {
	paper: 'Paper critique',
	presentation: 'Presentation critique'
};

export interface TextField {
	type: 'text';
	/** Stable name of the answer in stored critiques: lowercase letters, digits, _. */
	key: string;
	label: string;
	help: string;
	required: boolean;
	/** Strengths and weaknesses: each point may cite a passage, an annotation or a slide. */
	evidence: boolean;
}

export interface ScoreField {
	type: 'score';
	key: string;
	label: string;
	help: string;
	required: boolean;
	min: number;
	max: number;
	/** Words for the lowest and highest score, shown beside the scale. */
	lowLabel: string;
	highLabel: string;
}

export type CritiqueField = TextField | ScoreField;

export const TEXT_ANSWER_MAX = 10_000;
export const MAX_FIELDS = 20;

const text = (
	key: string,
	label: string,
	help: string,
	required = true,
	evidence = false
): TextField => ({ type: 'text', key, label, help, required, evidence });

const score = (
	key: string,
	label: string,
	help: string,
	[min, max]: [number, number],
	[lowLabel, highLabel]: [string, string]
): ScoreField => ({
	type: 'score',
	key,
	label,
	help,
	required: true,
	min,
	max,
	lowLabel,
	highLabel
});

export const DEFAULT_FORMS: Record<CritiqueKind, CritiqueField[]> = {
	paper: [
		text('summary', 'Summary', 'What the paper does, in your own words.'),
		text(
			'strengths',
			'Strengths',
			'One point per paragraph; cite the passage behind it.',
			true,
			true
		),
		text(
			'weaknesses',
			'Weaknesses',
			'One point per paragraph; cite the passage behind it.',
			true,
			true
		),
		text('questions', 'Questions', 'What you would ask the authors.', false),
		text(
			'limitations',
			'Limitations',
			'What the paper does not address or claims too broadly.',
			false
		),
		score('soundness', 'Soundness', 'Are the claims supported?', [1, 4], ['poor', 'excellent']),
		score('significance', 'Significance', 'Does it matter?', [1, 4], ['poor', 'excellent']),
		score('clarity', 'Clarity', 'Is it well written?', [1, 4], ['poor', 'excellent']),
		score(
			'confidence',
			'Confidence',
			'How sure are you of your assessment?',
			[1, 5],
			['guess', 'certain']
		)
	],
	presentation: [
		text('strengths', 'Strengths', 'What worked; cite the slide.', true, true),
		text('weaknesses', 'Weaknesses', 'What could be better; cite the slide.', true, true),
		text('questions', 'Questions', 'What was left open.', false),
		score(
			'explanation',
			'Clarity of the explanation',
			'Could you follow the topic?',
			[1, 4],
			['poor', 'excellent']
		),
		score(
			'assessment',
			'Depth of the strengths-and-weaknesses assessment',
			'Did the talk go beyond the paper’s own claims?',
			[1, 4],
			['poor', 'excellent']
		),
		score(
			'delivery',
			'Delivery',
			'Pace, slides, handling of questions.',
			[1, 4],
			['poor', 'excellent']
		)
	]
};

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const SCALE_NUMBERS = 'A scale starts and ends at whole numbers.';

const fieldSchema = z.discriminatedUnion('type', [
	z.object({
		type: z.literal('text'),
		key: z.string().regex(KEY, 'A field key is lowercase letters, digits and _.'),
		label: z.string().trim().min(1, 'Every field needs a label.').max(120),
		help: z.string().trim().max(300).default(''),
		required: z.boolean(),
		evidence: z.boolean().default(false)
	}),
	z
		.object({
			type: z.literal('score'),
			key: z.string().regex(KEY, 'A field key is lowercase letters, digits and _.'),
			label: z.string().trim().min(1, 'Every field needs a label.').max(120),
			help: z.string().trim().max(300).default(''),
			required: z.boolean(),
			min: z
				.number({ error: SCALE_NUMBERS })
				.int(SCALE_NUMBERS)
				.min(0, 'A scale starts at 0 or more.')
				.max(10),
			max: z
				.number({ error: SCALE_NUMBERS })
				.int(SCALE_NUMBERS)
				.min(1)
				.max(10, 'A scale ends at 10 at most.'),
			lowLabel: z.string().trim().max(40).default(''),
			highLabel: z.string().trim().max(40).default('')
		})
		.refine((f) => f.max > f.min, {
			message: 'A scale must end above where it starts.',
			path: ['max']
		})
]);

/** A whole form as the instructor saves it. */
export const critiqueFormSchema = z
	.array(fieldSchema)
	.min(1, 'A critique form needs at least one field.')
	.max(MAX_FIELDS, `A critique form has at most ${MAX_FIELDS} fields.`)
	.refine((fields) => new Set(fields.map((f) => f.key)).size === fields.length, {
		message: 'Two fields have the same key.'
	})
	.refine((fields) => fields.some((f) => f.required), {
		message: 'At least one field must be required.'
	});

export type CritiqueAnswers = Record<string, string | number>;

/**
 * Checks answers against a form. A draft may leave anything empty; a submission needs
 * every required field. Returns the cleaned answers (only the form's keys) or a message
 * per field key.
 */
export function checkAnswers(
	fields: CritiqueField[],
	raw: Record<string, unknown>,
	mode: 'draft' | 'submit'
): { ok: true; answers: CritiqueAnswers } | { ok: false; errors: Record<string, string> } {
	const answers: CritiqueAnswers = {};
	const errors: Record<string, string> = {};
	for (const field of fields) {
		const value = raw[field.key];
		const given = typeof value === 'string' ? value.trim() : value == null ? '' : value;
		if (given === '') {
			if (mode === 'submit' && field.required) {
				errors[field.key] =
					field.type === 'score'
						? `${field.label}: choose a score.`
						: `${field.label} is required.`;
			}
			continue;
		}
		if (field.type === 'text') {
			if (typeof given !== 'string') {
				errors[field.key] = `${field.label} must be text.`;
			} else if (given.length > TEXT_ANSWER_MAX) {
				errors[field.key] =
					`${field.label} must be at most ${TEXT_ANSWER_MAX.toLocaleString('en')} characters (it has ${given.length.toLocaleString('en')}).`;
			} else {
				answers[field.key] = given;
			}
			continue;
		}
		const n = typeof given === 'number' ? given : Number(given);
		if (!Number.isInteger(n) || n < field.min || n > field.max) {
			errors[field.key] =
				`${field.label}: choose a whole number from ${field.min} to ${field.max}.`;
		} else {
			answers[field.key] = n;
		}
	}
	return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, answers };
}

/** The critique's plain text, for length rules and duplicate checks in scoring. */
export function answersText(fields: CritiqueField[], answers: CritiqueAnswers): string {
	return fields
		.filter((f) => f.type === 'text' && typeof answers[f.key] === 'string')
		.map((f) => answers[f.key] as string)
		.join('\n\n');
}
