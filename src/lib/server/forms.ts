import { fail } from '@sveltejs/kit';
import type { z } from 'zod';
import { echoableValues, formValues, toFieldErrors, type FieldErrors } from '$lib/validation';

/** A refusal caused by the input: shown next to the fields, nothing is written. */
export class InputError extends Error {
	constructor(public readonly errors: FieldErrors) {
		super(Object.values(errors).join(' '));
	}
}

/**
 * Parses a form with its schema and runs `act`; bad input, from the schema or from the
 * service (InputError), becomes `fail(400)` echoing what the person typed.
 */
export async function runAction<S extends z.ZodType, R>(
	request: Request,
	schema: S,
	act: (data: z.output<S>) => Promise<R>
) {
	const values = formValues(await request.formData());
	const parsed = schema.safeParse(values);
	if (!parsed.success) {
		return fail(400, { errors: toFieldErrors(parsed.error), values: echoableValues(values) });
	}
	try {
		return await act(parsed.data);
	} catch (error) {
		if (error instanceof InputError) {
			return fail(400, { errors: error.errors, values: echoableValues(values) });
		}
		throw error;
	}
}

/**
 * The form of an upload, or null when its body is over the server's size limit (adapter-node's
 * BODY_SIZE_LIMIT): SvelteKit would answer that with its "Payload Too Large" error page, where
 * the action can say so next to the file field instead.
 */
export async function uploadedForm(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch (error) {
		if ((error as { status?: unknown }).status === 413) return null;
		throw error;
	}
}
