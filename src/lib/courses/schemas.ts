import { z } from 'zod';
import { isValidTimeZone } from '$lib/time/zones';
import { optionalText, trimmed } from '$lib/validation';
import { ROLES } from './roles';

const markdown = (label: string) => optionalText(label, 20_000);

export const courseSchema = z.object({
	title: trimmed('Title', 200),
	description: markdown('Description'),
	logistics: markdown('Logistics'),
	contact: markdown('Contact'),
	gradingPolicy: markdown('Grading policy'),
	timeZone: z
		.string({ error: 'Time zone is required.' })
		.trim()
		.refine(isValidTimeZone, 'Unknown time zone; use an IANA name such as Europe/Berlin.')
});

export const joinSchema = z.object({
	code: z
		.string({ error: 'Enter the join code.' })
		.trim()
		.toUpperCase()
		.transform((c) => c.replace(/[\s-]/g, ''))
		.pipe(z.string().min(1, 'Enter the join code.').max(32, 'That is not a join code.'))
});

export const roleSchema = z.object({
	userId: z.string().min(1),
	role: z.enum(ROLES, { error: 'Choose instructor, TA or student.' })
});

export const memberSchema = z.object({ userId: z.string().min(1) });

export const rosterSchema = z.object({
	csv: z
		.string({ error: 'Paste the roster.' })
		.trim()
		.min(1, 'Paste the roster: one line per person, email then name.')
		.max(200_000, 'The roster is too long; import it in parts.'),
	role: z.enum(ROLES).default('student'),
	onlyValid: z
		.string()
		.optional()
		.transform((v) => v === 'yes')
});
