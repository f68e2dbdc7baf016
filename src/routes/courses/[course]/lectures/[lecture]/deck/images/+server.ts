import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { InputError } from '$lib/server/forms';
import { addDeckImage } from '$lib/server/decks/images';
import { deckImageSchema } from '$lib/decks/schemas';
import { MAX_IMAGE_BYTES, imageSizeProblem } from '$lib/decks/image-files';
import type { RequestHandler } from './$types';

const refuse = (message: string) => json({ message }, { status: 400 });

// Room for the multipart envelope around the file.
const MAX_BODY = MAX_IMAGE_BYTES + 64 * 1024;

/**
 * Adds an image to the deck: multipart `file` (and `annotationId` for a figure crop).
 * Answers `{ sha256, url, width, height }`, or 400 `{ message }` with nothing stored.
 */
export const POST: RequestHandler = async ({ locals, url, params, request }) => {
	const user = requireUser(locals, url);
	// Refuse an oversized upload before reading it (the server accepts up to BODY_SIZE_LIMIT).
	const length = Number(request.headers.get('content-length') ?? 0);
	if (length > MAX_BODY) return refuse(imageSizeProblem(length)!);
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		return refuse('Send the image as a file in a form (multipart/form-data).');
	}
	const file = form.get('file');
	if (!(file instanceof File)) return refuse('Choose an image file to add.');
	const parsed = deckImageSchema.safeParse({ annotationId: form.get('annotationId') ?? undefined });
	if (!parsed.success) return refuse(parsed.error.issues[0].message);
	try {
		const added = await addDeckImage(user, params.course, params.lecture, {
			name: file.name,
			bytes: new Uint8Array(await file.arrayBuffer()),
			annotationId: parsed.data.annotationId
		});
		return json(added, { status: 201 });
	} catch (e) {
		if (e instanceof InputError) return refuse(e.message);
		throw e;
	}
};
