import { requireUser } from '$lib/server/auth/guards';
import { listLectures } from '$lib/server/lectures/service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const lectures = await listLectures(requireUser(locals, url), params.course);
	// Only what the schedule shows: the page data is serialized twice (HTML and hydration).
	return {
		lectures: lectures.map((l) => ({
			id: l.id,
			number: l.number,
			title: l.title,
			topic: l.topic,
			room: l.room,
			startsAt: l.startsAt,
			endsAt: l.endsAt,
			givenByInstructors: l.givenByInstructors,
			readings: l.readings.map((r) => ({
				id: r.id,
				title: r.title,
				url: r.url,
				kind: r.kind,
				required: r.required,
				paperId: r.paperId
			}))
		}))
	};
};
