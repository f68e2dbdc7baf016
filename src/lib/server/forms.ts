import { createHash } from 'node:crypto';
import { fail } from '@sveltejs/kit';
import { and, eq, lt } from 'drizzle-orm';
import type { z } from 'zod';
import { echoableValues, formValues, toFieldErrors, type FieldErrors } from '$lib/validation';
import { SUBMISSION_FIELD } from '$lib/forms/submission';
import { db, type Transaction } from '$lib/server/db';
import { formSubmissions } from '$lib/server/db/schema';
import { isUniqueViolation } from '$lib/server/db/errors';

/** A refusal caused by the input: shown next to the fields, nothing is written. */
export class InputError extends Error {
	constructor(public readonly errors: FieldErrors) {
		super(Object.values(errors).join(' '));
	}
}

/**
 * Names one sending of a create form: its one-time token (rendered with the page), the
 * action and everything it carries. A double click or a resend has the same key; another
 * item written from the same page view has another body, so another key. Undefined when
 * the form carries no token (then nothing guards against a repeat).
 */
export async function submissionKey(url: URL, form: FormData): Promise<string | undefined> {
	const token = form.get(SUBMISSION_FIELD);
	if (typeof token !== 'string' || token === '') return undefined;
	const hash = createHash('sha256').update(`${token}\0${url.pathname}${url.search}`);
	for (const [name, value] of form) {
		if (name === SUBMISSION_FIELD) continue;
		hash.update(`\0${name}\0`);
		hash.update(typeof value === 'string' ? value : new Uint8Array(await value.arrayBuffer()));
	}
	return hash.digest('base64url');
}

/** A repeat comes within minutes (a double click, a resend after a lost answer): a day is ample. */
export const SUBMISSION_MEMORY_MS = 24 * 60 * 60 * 1000;

/** Forgets submissions older than a day, so that `form_submissions` does not grow forever. */
export async function forgetOldSubmissions(now = new Date()): Promise<number> {
	const forgotten = await db()
		.delete(formSubmissions)
		.where(lt(formSubmissions.createdAt, new Date(now.getTime() - SUBMISSION_MEMORY_MS)))
		.returning({ key: formSubmissions.key });
	return forgotten.length;
}

/**
 * Runs `create` in a transaction that also records `submission` for the actor. When the
 * same submission was recorded before (or commits first while this one waits on the key),
 * nothing is written and the first one's result is returned: the result must survive JSON.
 */
export async function createOnce<T>(
	actor: { id: string },
	submission: string | undefined,
	create: (tx: Transaction) => Promise<T>
): Promise<T> {
	try {
		return await db().transaction(async (tx) => {
			// The key first: a concurrent repeat waits here until this one commits.
			if (submission) {
				await tx.insert(formSubmissions).values({ userId: actor.id, key: submission });
			}
			const result = await create(tx);
			if (submission && result !== undefined) {
				await tx
					.update(formSubmissions)
					.set({ result })
					.where(and(eq(formSubmissions.userId, actor.id), eq(formSubmissions.key, submission)));
			}
			return result;
		});
	} catch (e) {
		if (!submission || !isUniqueViolation(e, 'form_submissions_pkey')) throw e;
		const [first] = await db()
			.select({ result: formSubmissions.result })
			.from(formSubmissions)
			.where(and(eq(formSubmissions.userId, actor.id), eq(formSubmissions.key, submission)));
		return first.result as T;
	}
}

/**
 * Parses a form with its schema and runs `act`; bad input, from the schema or from the
 * service (InputError), becomes `fail(400)` echoing what the person typed. `act` also gets
 * the form's submission key, for services that create something (see `createOnce`).
 */
export async function runAction<S extends z.ZodType, R>(
	request: Request,
	schema: S,
	act: (data: z.output<S>, submission: string | undefined) => Promise<R>
) {
	const form = await request.formData();
	const values = formValues(form);
	delete values[SUBMISSION_FIELD];
	const parsed = schema.safeParse(values);
	if (!parsed.success) {
		return fail(400, { errors: toFieldErrors(parsed.error), values: echoableValues(values) });
	}
	try {
		return await act(parsed.data, await submissionKey(new URL(request.url), form));
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
