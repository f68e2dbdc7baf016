import { z } from 'zod';
import { trimmed } from '$lib/validation';
import { PARTICIPATION_ITEMS, rulesSchema } from './rules';

/** A form number: empty stays undefined so the rules schema names the field. */
const formNumber = (value: unknown) =>
	typeof value === 'string' && value.trim() !== '' ? Number(value) : undefined;

/**
 * The rules form: per item a "counts" checkbox (`<item>_counts`) and points
 * (`<item>_points`), then the limits; checked by the same schema the service uses.
 */
export const rulesFormSchema = z.preprocess((form) => {
	const values = (form ?? {}) as Record<string, unknown>;
	return {
		items: Object.fromEntries(
			PARTICIPATION_ITEMS.map((item) => [
				item,
				{
					counts: values[`${item}_counts`] === 'on',
					points: formNumber(values[`${item}_points`])
				}
			])
		),
		capPerLecture: formNumber(values.capPerLecture),
		minLength: formNumber(values.minLength),
		fullLength: formNumber(values.fullLength),
		latePenalty: formNumber(values.latePenalty)
	};
}, rulesSchema);

export const MAX_ADJUSTMENT = 100;

const between = `Points must be between -${MAX_ADJUSTMENT} and ${MAX_ADJUSTMENT}.`;

export const adjustmentSchema = z.object({
	points: z
		.number({ error: 'Enter the points, a number like 2 or -1.5.' })
		.min(-MAX_ADJUSTMENT, between)
		.max(MAX_ADJUSTMENT, between)
		.refine((n) => n !== 0, 'An adjustment of zero points changes nothing.'),
	reason: trimmed('A reason', 1000),
	lectureId: z
		.string()
		.optional()
		.transform((v) => v || undefined)
});
export type AdjustmentInput = z.input<typeof adjustmentSchema>;

export const adjustmentFormSchema = z.preprocess((form) => {
	const values = (form ?? {}) as Record<string, unknown>;
	return { ...values, points: formNumber(values.points) };
}, adjustmentSchema);
