import { z } from 'zod';
import { checkbox, trimmed } from '$lib/validation';
import { CRITIQUE_KINDS } from './forms';

export const critiqueKindSchema = z.enum(CRITIQUE_KINDS, { error: 'Unknown kind of critique.' });

/**
 * The fixed part of a critique form post; the answers (one field per question of the
 * course's form) are checked by checkAnswers against that form.
 */
export const critiqueMetaSchema = z.object({
	kind: critiqueKindSchema,
	anonymous: checkbox,
	paperId: z.string().trim().max(64).optional()
});

export const REPLY_MAX = 5_000;

export const critiqueReplySchema = z.object({
	critiqueId: z.string().min(1).max(64),
	parentId: z
		.string()
		.max(64)
		.optional()
		.transform((v) => v || null),
	body: trimmed('Reply', REPLY_MAX),
	asPresenters: checkbox
});

export const critiqueTargetSchema = z.object({ critiqueId: z.string().min(1).max(64) });
export const replyTargetSchema = z.object({ replyId: z.string().min(1).max(64) });

export const helpfulSchema = z.object({
	critiqueId: z.string().min(1).max(64),
	on: z.enum(['true', 'false']).transform((v) => v === 'true')
});

export const staffFlagSchema = z.object({
	target: z.enum(['critique', 'reply']),
	id: z.string().min(1).max(64),
	flag: z.enum(['endorse', 'hide']),
	on: z.enum(['true', 'false']).transform((v) => v === 'true')
});

export const revealSchema = z.object({
	reveal: z.enum(['after_own_or_deadline', 'after_deadline'], {
		error: 'Choose when classmates read each other’s critiques.'
	})
});
