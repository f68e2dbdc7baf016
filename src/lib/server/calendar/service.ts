import { and, asc, eq, inArray } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import ical from 'ical-generator';
import { db } from '$lib/server/db';
import { courses, lectures, memberships } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { newSecret } from '$lib/server/ids';
import { requireMember } from '$lib/server/courses/access';
import { critiquesUrl } from '$lib/server/critiques/due';
import { critiqueDue } from '$lib/critiques/deadlines';
import { CRITIQUE_KINDS, CRITIQUE_KIND_LABELS } from '$lib/critiques/forms';

/** The member's secret feed token, for the page that shows the subscription URL. */
export async function calendarToken(actor: SessionUser, courseId: string): Promise<string> {
	await requireMember(actor, courseId);
	const [row] = await db()
		.select({ token: memberships.calendarToken })
		.from(memberships)
		.where(and(eq(memberships.courseId, courseId), eq(memberships.userId, actor.id)));
	return row.token;
}

/** A new secret: the old URL stops working at once (a leaked link is revoked). */
export async function resetCalendarToken(actor: SessionUser, courseId: string): Promise<void> {
	await requireMember(actor, courseId);
	await db()
		.update(memberships)
		.set({ calendarToken: newSecret() })
		.where(and(eq(memberships.courseId, courseId), eq(memberships.userId, actor.id)));
}

/**
 * The iCalendar feed behind a token. Calendar apps send no cookie, so the token is the
 * only credential; an unknown or reset token is 404.
 */
export async function calendarFeed(token: string, origin: string): Promise<string> {
	const [membership] = await db()
		.select({ courseId: memberships.courseId, title: courses.title, timeZone: courses.timeZone })
		.from(memberships)
		.innerJoin(courses, eq(courses.id, memberships.courseId))
		.where(eq(memberships.calendarToken, token));
	if (!membership) error(404, 'Not found');
	const rows = await db()
		.select()
		.from(lectures)
		.where(inArray(lectures.courseId, [membership.courseId]))
		.orderBy(asc(lectures.startsAt));
	const calendar = ical({
		name: membership.title,
		prodId: { company: 'Podium', product: 'Podium', language: 'EN' },
		ttl: 60 * 60
	});
	for (const lecture of rows) {
		calendar.createEvent({
			id: `lecture-${lecture.id}@podium`,
			start: lecture.startsAt,
			end: lecture.endsAt,
			summary: `Lecture ${lecture.number}: ${lecture.title}`,
			description: lecture.topic,
			location: lecture.room,
			url: `${origin}/courses/${membership.courseId}/lectures/${lecture.id}`,
			lastModified: lecture.updatedAt
		});
		// A deadline is an instant: an event with a start and no end (RFC 5545 3.6.1).
		for (const kind of CRITIQUE_KINDS) {
			calendar.createEvent({
				id: `${kind}-critique-due-${lecture.id}@podium`,
				start: critiqueDue(lecture, kind),
				summary: `${CRITIQUE_KIND_LABELS[kind]} due: Lecture ${lecture.number}`,
				url: `${origin}${critiquesUrl(membership.courseId, lecture.id)}`,
				lastModified: lecture.updatedAt
			});
		}
	}
	return calendar.toString();
}
