import { z } from 'zod';
import { optionalText, trimmed, withoutNul } from '$lib/validation';

export const paperDetailsSchema = z.object({
	title: trimmed('Title', 300),
	authors: optionalText('Authors', 1000),
	year: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? Number(v) : null))
		.pipe(
			z
				.number({ error: 'Year must be a number.' })
				.int('Year must be a whole number.')
				.min(1600, 'Year must be after 1600.')
				.max(2200, 'Year must be before 2200.')
				.nullable()
		),
	venue: optionalText('Venue', 300)
});

export const searchSchema = z.object({
	q: z
		.string()
		.trim()
		.min(2, 'Type at least 2 characters.')
		.max(200, 'Search for at most 200 characters.')
		.transform(withoutNul)
});
