import { z } from 'zod';
import { trimmed } from '$lib/validation';

/** reveal.js numbers fragments from 0; -1 is a slide before its first fragment. */
export const MAX_FRAGMENT = 999;

const slideNumber = (axis: string) =>
	z.coerce
		.number({ error: `The ${axis} slide position must be a number.` })
		.int(`The ${axis} slide position must be a whole number.`)
		.min(0, `The ${axis} slide position cannot be negative.`);

/** Where a talk is: reveal.js's indices (h, v) and the last fragment shown (f). */
export const positionSchema = z.object({
	h: slideNumber('horizontal'),
	v: slideNumber('vertical'),
	f: z.coerce
		.number({ error: 'The fragment must be a number.' })
		.int('The fragment must be a whole number.')
		.min(-1, 'The fragment must be -1 or more.')
		.max(MAX_FRAGMENT, `The fragment must be at most ${MAX_FRAGMENT}.`)
});
export type TalkPosition = z.output<typeof positionSchema>;

export const QUESTION_MAX = 500;

/** A question about the slide the asker is on. */
export const questionSchema = z.object({
	body: trimmed('Your question', QUESTION_MAX),
	h: slideNumber('horizontal'),
	v: slideNumber('vertical')
});

const questionId = z.string({ error: 'Choose a question.' }).min(1).max(64);

export const voteSchema = z.object({
	questionId,
	/** The state the toggle asks for: "true" adds the vote, "false" withdraws it. */
	on: z
		.enum(['true', 'false'], { error: 'Choose to vote or to withdraw the vote.' })
		.transform((value) => value === 'true')
});

export const answerSchema = z.object({ questionId });
