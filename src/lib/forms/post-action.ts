import { deserialize } from '$app/forms';
import type { ActionResult } from '@sveltejs/kit';

/**
 * Posts to a named form action as an enhanced form does, for saves that happen while a
 * person types (autosave), where there is no form submission to enhance.
 */
export async function postAction(action: string, body: FormData): Promise<ActionResult> {
	const response = await fetch(action, {
		method: 'POST',
		body,
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	return deserialize(await response.text());
}
