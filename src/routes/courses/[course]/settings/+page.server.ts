import { error, fail } from '@sveltejs/kit';
import { courseSchema } from '$lib/courses/schemas';
import { critiqueKindSchema, revealSchema } from '$lib/critiques/schemas';
import { CRITIQUE_KIND_LABELS, DEFAULT_FORMS } from '$lib/critiques/forms';
import { applyEdit, draftsOf, fieldsOfDrafts, readDrafts } from '$lib/critiques/form-editor';
import { formValues } from '$lib/validation';
import { critiqueSettingsOf, setCritiqueForm, setRevealRule } from '$lib/server/critiques/service';
import { requireUser } from '$lib/server/auth/guards';
import { requireInstructor } from '$lib/server/courses/access';
import { resetInviteLink, rotateJoinCode, updateCourse } from '$lib/server/courses/service';
import { InputError, runAction } from '$lib/server/forms';
import { timeZoneNames } from '$lib/time/zones';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const { course } = await requireInstructor(user, params.course);
	const critiques = await critiqueSettingsOf(user, params.course);
	return {
		reveal: critiques.reveal,
		critiqueForms: {
			paper: draftsOf(critiques.forms.paper),
			presentation: draftsOf(critiques.forms.presentation)
		},
		settings: {
			title: course.title,
			description: course.description,
			logistics: course.logistics,
			contact: course.contact,
			gradingPolicy: course.gradingPolicy,
			timeZone: course.timeZone
		},
		joinCode: course.joinCode,
		inviteUrl: `${url.origin}/join/${course.inviteToken}`,
		timeZones: timeZoneNames()
	};
};

/** Which form an editor posted; only a forged post names another. */
function kindOf(values: Record<string, unknown>) {
	const kind = critiqueKindSchema.safeParse(values.kind);
	if (!kind.success) error(400, kind.error.issues[0].message);
	return kind.data;
}

export const actions: Actions = {
	update: ({ locals, request, params, url }) =>
		runAction(request, courseSchema, async (input) => {
			await updateCourse(requireUser(locals, url), params.course, input);
			return { success: 'Course saved.' };
		}),
	rotateJoinCode: async ({ locals, params, url }) => {
		await rotateJoinCode(requireUser(locals, url), params.course);
		return { joinSuccess: 'New join code created; the old one no longer works.' };
	},
	resetInviteLink: async ({ locals, params, url }) => {
		await resetInviteLink(requireUser(locals, url), params.course);
		return { joinSuccess: 'New invite link created; the old one no longer works.' };
	},
	setReveal: async ({ locals, request, params, url }) => {
		const user = requireUser(locals, url);
		const parsed = revealSchema.safeParse(formValues(await request.formData()));
		if (!parsed.success) return fail(400, { revealError: parsed.error.issues[0].message });
		await setRevealRule(user, params.course, parsed.data.reveal);
		return { revealSuccess: 'Saved when classmates read each other’s critiques.' };
	},
	/** Saves a critique form, or applies one of the editor's add/remove/move buttons unsaved. */
	critiqueForm: async ({ locals, request, params, url }) => {
		const user = requireUser(locals, url);
		await requireInstructor(user, params.course);
		const values = formValues(await request.formData());
		const kind = kindOf(values);
		const drafts = readDrafts(values);
		const edited = applyEdit(drafts, String(values.edit ?? ''));
		if (edited) return { critiqueForm: { kind, fields: edited } };
		try {
			await setCritiqueForm(user, params.course, kind, fieldsOfDrafts(drafts));
		} catch (e) {
			if (!(e instanceof InputError)) throw e;
			return fail(400, { critiqueForm: { kind, fields: drafts, error: e.errors.fields } });
		}
		return {
			critiqueSaved: { kind, message: `${CRITIQUE_KIND_LABELS[kind]} form saved.` }
		};
	},
	restoreCritiqueForm: async ({ locals, request, params, url }) => {
		const kind = kindOf(formValues(await request.formData()));
		await setCritiqueForm(requireUser(locals, url), params.course, kind, DEFAULT_FORMS[kind]);
		return {
			critiqueSaved: {
				kind,
				message: `${CRITIQUE_KIND_LABELS[kind]} form restored to the default.`
			}
		};
	}
};
