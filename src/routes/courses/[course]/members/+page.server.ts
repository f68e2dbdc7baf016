import { fail, redirect } from '@sveltejs/kit';
import { memberSchema, roleSchema, rosterSchema } from '$lib/courses/schemas';
import { requireUser } from '$lib/server/auth/guards';
import { runAction, submissionKey } from '$lib/server/forms';
import {
	RosterProblems,
	changeRole,
	importRoster,
	listMembers,
	listPendingRoster,
	removeMember,
	removePendingRosterEntry
} from '$lib/server/courses/roster';
import { email } from '$lib/validation';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const [members, pending] = await Promise.all([
		listMembers(user, params.course),
		listPendingRoster(user, params.course)
	]);
	return { members, pending, me: user.id };
};

export const actions: Actions = {
	changeRole: ({ locals, request, params, url }) =>
		runAction(request, roleSchema, async ({ userId, role }) => {
			await changeRole(requireUser(locals, url), params.course, userId, role);
			return { success: 'Role changed.' };
		}),
	remove: ({ locals, request, params, url }) =>
		runAction(request, memberSchema, async ({ userId }) => {
			await removeMember(requireUser(locals, url), params.course, userId);
			return { success: 'Member removed. What they wrote in the course stays.' };
		}),
	removePending: ({ locals, request, params, url }) =>
		runAction(request, z.object({ email }), async (input) => {
			await removePendingRosterEntry(requireUser(locals, url), params.course, input.email);
			redirect(303, `/courses/${params.course}/members`);
		}),
	importRoster: async ({ locals, request, params, url }) => {
		const user = requireUser(locals, url);
		const form = await request.formData();
		const parsed = rosterSchema.safeParse(Object.fromEntries(form));
		const values = {
			csv: String(form.get('csv') ?? ''),
			role: String(form.get('role') ?? 'student')
		};
		if (!parsed.success) {
			return fail(400, { roster: { values, errors: { csv: parsed.error.issues[0].message } } });
		}
		try {
			const submission = await submissionKey(url, form);
			const result = await importRoster(user, params.course, parsed.data, submission);
			return {
				roster: {
					success: `Imported: ${result.enrolled} enrolled now, ${result.pending} will be enrolled when they sign up${
						result.alreadyMembers ? `, ${result.alreadyMembers} already members` : ''
					}.`
				}
			};
		} catch (error) {
			if (error instanceof RosterProblems) {
				return fail(400, {
					roster: {
						values,
						problems: error.problems,
						validCount: error.validCount,
						errors: error.errors
					}
				});
			}
			throw error;
		}
	}
};
