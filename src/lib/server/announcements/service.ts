import { and, desc, eq } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { announcements, memberships, users } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { newId } from '$lib/server/ids';
import { renderMarkdown } from '$lib/server/markdown';
import { requireMember, requireStaff } from '$lib/server/courses/access';
import { notify } from '$lib/server/notifications/service';
import { createOnce } from '$lib/server/forms';

export interface AnnouncementInput {
	title: string;
	body: string;
	pinned: boolean;
}

export interface AnnouncementView {
	id: string;
	title: string;
	bodyHtml: string;
	pinned: boolean;
	authorName: string | null;
	createdAt: Date;
	updatedAt: Date;
	isNew: boolean;
}

/**
 * Pinned first, then newest first. Marks them seen for the actor, so "new" means new
 * since the member last looked.
 */
export async function listAnnouncements(
	actor: SessionUser,
	courseId: string,
	options: { markSeen?: boolean } = {}
): Promise<AnnouncementView[]> {
	const { announcementsSeenAt: seenAt } = await requireMember(actor, courseId);
	const rows = await db()
		.select({
			id: announcements.id,
			title: announcements.title,
			bodyHtml: announcements.bodyHtml,
			pinned: announcements.pinned,
			authorId: announcements.authorId,
			authorName: users.name,
			createdAt: announcements.createdAt,
			updatedAt: announcements.updatedAt
		})
		.from(announcements)
		.leftJoin(users, eq(users.id, announcements.authorId))
		.where(eq(announcements.courseId, courseId))
		.orderBy(desc(announcements.pinned), desc(announcements.createdAt));
	const views = rows.map(({ authorId, ...a }) => ({
		...a,
		isNew: authorId !== actor.id && a.createdAt > seenAt
	}));
	// Only write when something was new: a plain page view stays a read. "Seen" moves up
	// to the newest post shown, on the database's clock, so a post written meanwhile stays new.
	const newest = views.reduce((t, a) => (a.isNew && a.createdAt > t ? a.createdAt : t), seenAt);
	if (options.markSeen && newest > seenAt) {
		await db()
			.update(memberships)
			.set({ announcementsSeenAt: newest })
			.where(and(eq(memberships.courseId, courseId), eq(memberships.userId, actor.id)));
	}
	return views;
}

export async function postAnnouncement(
	actor: SessionUser,
	courseId: string,
	input: AnnouncementInput,
	submission?: string
): Promise<string> {
	await requireStaff(actor, courseId);
	return createOnce(actor, submission, async (tx) => {
		const id = newId();
		await tx
			.insert(announcements)
			.values({ id, courseId, authorId: actor.id, ...input, bodyHtml: renderMarkdown(input.body) });
		const members = await tx
			.select({ userId: memberships.userId })
			.from(memberships)
			.where(eq(memberships.courseId, courseId));
		await notify(
			tx,
			actor.id,
			members.map(({ userId }) => ({
				userId,
				courseId,
				kind: 'announcement',
				key: `announcement:${id}`,
				text: `New announcement: ${input.title}`,
				url: `/courses/${courseId}#announcement-${id}`
			}))
		);
		return id;
	});
}

async function ownAnnouncement(courseId: string, id: string) {
	const [row] = await db()
		.select({ id: announcements.id })
		.from(announcements)
		.where(and(eq(announcements.id, id), eq(announcements.courseId, courseId)));
	if (!row) error(404, 'Not found');
}

export async function getAnnouncement(actor: SessionUser, courseId: string, id: string) {
	await requireStaff(actor, courseId);
	const [row] = await db()
		.select()
		.from(announcements)
		.where(and(eq(announcements.id, id), eq(announcements.courseId, courseId)));
	if (!row) error(404, 'Not found');
	return row;
}

export async function editAnnouncement(
	actor: SessionUser,
	courseId: string,
	id: string,
	input: AnnouncementInput
): Promise<void> {
	await requireStaff(actor, courseId);
	await ownAnnouncement(courseId, id);
	await db()
		.update(announcements)
		.set({ ...input, bodyHtml: renderMarkdown(input.body), updatedAt: new Date() })
		.where(and(eq(announcements.id, id), eq(announcements.courseId, courseId)));
}

export async function setPinned(
	actor: SessionUser,
	courseId: string,
	id: string,
	pinned: boolean
): Promise<void> {
	await requireStaff(actor, courseId);
	await ownAnnouncement(courseId, id);
	await db()
		.update(announcements)
		.set({ pinned })
		.where(and(eq(announcements.id, id), eq(announcements.courseId, courseId)));
}

export async function deleteAnnouncement(
	actor: SessionUser,
	courseId: string,
	id: string
): Promise<void> {
	await requireStaff(actor, courseId);
	await ownAnnouncement(courseId, id);
	await db()
		.delete(announcements)
		.where(and(eq(announcements.id, id), eq(announcements.courseId, courseId)));
}
