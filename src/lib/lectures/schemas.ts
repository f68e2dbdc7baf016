import { z } from 'zod';
import { checkbox, optionalText, trimmed } from '$lib/validation';

export const READING_KINDS = ['paper', 'blog_post', 'video', 'other'] as const;
export type ReadingKind = (typeof READING_KINDS)[number];
export const READING_KIND_LABELS: Record<ReadingKind, string> = {
	paper: 'Paper',
	blog_post: 'Blog post',
	video: 'Video',
	other: 'Other'
};

const localDateTime = (label: string) =>
	z
		.string({ error: `${label} is required.` })
		.trim()
		.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `${label}: enter a date and a time.`);

/** Empty means the default deadline (critiques: see $lib/critiques/deadlines). */
export const optionalDateTime = (label: string) =>
	z
		.string()
		.trim()
		.regex(
			/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})?$/,
			`${label}: enter a date and a time, or leave it empty.`
		)
		.optional()
		.transform((v) => v ?? '');

export const PRESENTATION_DUE_AFTER_START =
	'Presentation critiques must be due after the lecture starts (the talk is critiqued once it has been given).';

/** Times are wall-clock values in the course's time zone, as the form shows them. */
export const lectureSchema = z
	.object({
		number: z.coerce
			.number({ error: 'Number is required.' })
			.int('Number must be a whole number.')
			.min(1, 'Number must be at least 1.')
			.max(999, 'Number must be at most 999.'),
		title: trimmed('Title', 200),
		topic: optionalText('Topic', 500),
		description: optionalText('Description', 20_000),
		startsAt: localDateTime('Start'),
		endsAt: localDateTime('End'),
		room: optionalText('Room', 200),
		givenByInstructors: checkbox,
		paperCritiqueDueAt: optionalDateTime('Paper critiques due'),
		presentationCritiqueDueAt: optionalDateTime('Presentation critiques due')
	})
	.refine((l) => l.endsAt > l.startsAt, {
		path: ['endsAt'],
		message: 'The lecture must end after it starts.'
	})
	.refine((l) => !l.presentationCritiqueDueAt || l.presentationCritiqueDueAt > l.startsAt, {
		path: ['presentationCritiqueDueAt'],
		message: PRESENTATION_DUE_AFTER_START
	});

export const readingSchema = z.object({
	title: trimmed('Title', 300),
	url: z
		.string()
		.trim()
		.max(2000, 'Link must be at most 2000 characters.')
		.refine(
			(u) => u === '' || /^https?:\/\/[^\s]+$/i.test(u),
			'Link must start with http:// or https://.'
		)
		.optional()
		.transform((u) => u ?? ''),
	kind: z.enum(READING_KINDS, { error: 'Choose paper, blog post, video or other.' }),
	required: checkbox
});

export const readingIdSchema = z.object({ readingId: z.string().min(1) });

/** Instructors pick the presenters of a lecture: a pair, or a trio or a solo when needed. */
export const presentersSchema = z.object({
	userIds: z
		.union([z.string(), z.array(z.string())])
		.optional()
		.transform((v) => [...new Set((Array.isArray(v) ? v : v ? [v] : []).filter(Boolean))])
		.pipe(z.array(z.string()).max(3, 'A lecture has at most three presenters.'))
});

export const rotationSchema = z.object({
	oddPolicy: z.enum(['trio', 'solo'], { error: 'Choose a trio or a solo for an odd class size.' }),
	seed: z
		.string()
		.trim()
		.max(64)
		.optional()
		.transform((s) => s || String(Date.now()))
});
