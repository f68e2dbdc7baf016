import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { InputError, submissionKey } from '$lib/server/forms';
import { importCourse } from '$lib/server/transfer/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	requireUser(locals, url);
};

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const user = requireUser(locals, url);
		const form = await request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { errors: { file: 'Choose a course export file to import.' } });
		}
		let courseId: string;
		try {
			courseId = await importCourse(
				user,
				new Uint8Array(await file.arrayBuffer()),
				await submissionKey(url, form)
			);
		} catch (error) {
			if (error instanceof InputError) return fail(400, { errors: error.errors });
			throw error;
		}
		redirect(303, `/courses/${courseId}`);
	}
};
