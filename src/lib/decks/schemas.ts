import { z } from 'zod';

export const THEMES = [
	'white',
	'black',
	'league',
	'beige',
	'night',
	'serif',
	'simple',
	'solarized',
	'moon',
	'dracula',
	'sky',
	'blood'
] as const;
export type Theme = (typeof THEMES)[number];

export const saveDeckSchema = z.object({
	source: z.string({ error: 'The deck is empty.' }).max(500_000, 'The deck is larger than 500 KB.'),
	/** The revision the editor started from: a save on top of an older one is merged. */
	baseRevision: z.coerce.number().int().min(0)
});

export const themeSchema = z.object({
	theme: z.enum(THEMES, { error: 'Choose one of the reveal.js themes.' })
});

export const publishSchema = z.object({
	when: z.enum(['now', 'lecture', 'draft'], { error: 'Choose when the class sees the deck.' })
});

export const restoreSchema = z.object({ number: z.coerce.number().int().min(1) });

/** The form fields that come with a deck image's file. */
export const deckImageSchema = z.object({
	annotationId: z
		.string()
		.regex(/^[A-Za-z0-9_-]{1,64}$/, 'This figure is not an annotation of the papers.')
		.optional()
});
