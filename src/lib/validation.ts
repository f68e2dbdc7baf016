import { z } from 'zod';

/** Message per field name, shown next to that field. */
export type FieldErrors = Record<string, string>;

/** The first message for each field of a failed parse. */
export function toFieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const field = issue.path.length > 0 ? String(issue.path[0]) : 'form';
		errors[field] ??= issue.message;
	}
	return errors;
}

/**
 * Text without NUL characters, which PostgreSQL text cannot hold and nobody types: a
 * pasted or forged one is dropped rather than failing the whole write.
 */
export function withoutNul(text: string): string {
	return text.replaceAll('\0', '');
}

/**
 * A form's fields as plain values: repeated names become arrays, files are left out,
 * NUL characters are dropped. Checkboxes send "on" when ticked and nothing otherwise.
 */
export function formValues(form: FormData): Record<string, string | string[]> {
	const values: Record<string, string | string[]> = {};
	for (const key of new Set(form.keys())) {
		const all = form
			.getAll(key)
			.filter((v): v is string => typeof v === 'string')
			.map(withoutNul);
		if (all.length === 0) continue;
		values[key] = all.length === 1 ? all[0] : all;
	}
	return values;
}

/** What may be sent back to refill a form: never a password. */
export function echoableValues(values: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(values).filter(([key]) => !key.toLowerCase().includes('password'))
	);
}

export const trimmed = (label: string, max: number) =>
	z
		.string({ error: `${label} is required.` })
		.trim()
		.min(1, `${label} is required.`)
		.max(max, `${label} must be at most ${max} characters.`);

export const optionalText = (label: string, max: number) =>
	z
		.string()
		.trim()
		.max(max, `${label} must be at most ${max} characters.`)
		.optional()
		.transform((v) => v ?? '');

export const checkbox = z
	.union([z.literal('on'), z.literal('true'), z.literal('')])
	.optional()
	.transform((v) => v === 'on' || v === 'true');

export const email = z
	.string({ error: 'Email is required.' })
	.trim()
	.toLowerCase()
	.min(1, 'Email is required.')
	.max(254, 'Email must be at most 254 characters.')
	.pipe(z.email('Enter a valid email address, like ada@example.org.'));

/** What a page's `form` prop holds after an action: read through this type in pages. */
export type FormState = {
	errors?: FieldErrors;
	values?: Record<string, unknown>;
	success?: string;
	[key: string]: unknown;
} | null;
