import type { SubmitFunction } from '@sveltejs/kit';

/** The hidden field carrying a create form's one-time token. */
export const SUBMISSION_FIELD = 'submission';

/**
 * `use:enhance={oneAtATime()}`: the form's submit buttons are disabled from the first
 * click until its answer arrived, so a double click sends it once. `submit` is the
 * enhance callback the form had before, if any.
 */
export function oneAtATime(submit?: SubmitFunction): SubmitFunction {
	return (input) => {
		const buttons = [...input.formElement.querySelectorAll('button')].filter(
			(b) => b.type === 'submit' && !b.disabled
		);
		const release = () => buttons.forEach((b) => (b.disabled = false));
		for (const b of buttons) b.disabled = true;
		const after = submit?.({
			...input,
			cancel: () => {
				release();
				input.cancel();
			}
		});
		return async (result) => {
			try {
				const callback = await after;
				if (callback) await callback(result);
				else await result.update();
			} finally {
				release();
			}
		};
	};
}
