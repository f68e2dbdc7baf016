import { z } from 'zod';
import { trimmed } from '$lib/validation';

export const STANDARD_TAGS = ['strength', 'weakness', 'question', 'confusing'] as const;
export const VISIBILITIES = ['class', 'staff', 'private'] as const;
export const VISIBILITY_LABELS: Record<(typeof VISIBILITIES)[number], string> = {
	class: 'The class',
	staff: 'Instructors only',
	private: 'Only me'
};
export const VOTE_KINDS = ['helpful', 'same_question'] as const;
export type VoteKind = (typeof VOTE_KINDS)[number];

const MAX_TAGS = 8;

/** "Strength, my idea" -> ["strength", "my-idea"]: lower-case words joined by dashes. */
const tags = z
	.union([z.string(), z.array(z.string())])
	.optional()
	.transform((v) => (Array.isArray(v) ? v : [v ?? '']).flatMap((t) => t.split(',')))
	.transform((list) => [
		...new Set(
			list
				.map((t) =>
					t
						.trim()
						.toLowerCase()
						.replace(/[^\p{L}\p{N}]+/gu, '-')
						.replace(/^-|-$/g, '')
				)
				.filter(Boolean)
		)
	])
	.pipe(
		z
			.array(z.string().max(30, 'A tag must be at most 30 characters.'))
			.max(MAX_TAGS, `Use at most ${MAX_TAGS} tags.`)
	);

const finite = z.number().finite();
const selectorNumber = z.number().int().nonnegative();

export const targetSchema = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('text'),
		page: z.number().int().min(1),
		endPage: z.number().int().min(1),
		quote: z.object({
			type: z.literal('TextQuoteSelector'),
			exact: z
				.string()
				.min(1, 'Select some text first.')
				.max(5000, 'Select at most 5000 characters.'),
			prefix: z.string().max(64),
			suffix: z.string().max(64)
		}),
		position: z
			.object({
				type: z.literal('TextPositionSelector'),
				start: selectorNumber,
				end: selectorNumber
			})
			.refine((p) => p.end > p.start, 'The selection is empty.')
	}),
	z.object({
		kind: z.literal('region'),
		page: z.number().int().min(1),
		rect: z
			.object({
				x: finite.min(0),
				y: finite.min(0),
				width: finite.positive(),
				height: finite.positive()
			})
			.refine((r) => r.width >= 4 && r.height >= 4, 'Draw a larger region.')
	})
]);

/** The target arrives as JSON in a hidden field of the annotation form. */
const targetField = z
	.string({ error: 'Select a passage or draw a region first.' })
	.transform((s, ctx) => {
		try {
			return JSON.parse(s) as unknown;
		} catch {
			ctx.addIssue({ code: 'custom', message: 'Select a passage or draw a region first.' });
			return z.NEVER;
		}
	})
	.pipe(targetSchema);

const body = trimmed('Comment', 10_000);
const visibility = z.enum(VISIBILITIES, { error: 'Choose who can see it.' }).default('class');

export const annotationSchema = z.object({ target: targetField, body, tags, visibility });
export const annotationEditSchema = z.object({
	annotationId: z.string().min(1),
	body,
	tags,
	visibility
});
export const replySchema = z.object({
	parentId: z.string().min(1),
	body: trimmed('Reply', 10_000)
});
export const annotationIdSchema = z.object({ annotationId: z.string().min(1) });
export const voteSchema = z.object({
	annotationId: z.string().min(1),
	kind: z.enum(VOTE_KINDS),
	on: z.enum(['true', 'false']).transform((v) => v === 'true')
});
export const flagSchema = z.object({
	annotationId: z.string().min(1),
	on: z.enum(['true', 'false']).transform((v) => v === 'true')
});
