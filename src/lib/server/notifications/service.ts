import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db, type Executor } from '$lib/server/db';
import { courses, memberships, notifications, users } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { newId } from '$lib/server/ids';

export interface Notice {
	userId: string;
	courseId: string;
	kind: 'reply' | 'answer' | 'mention' | 'announcement' | 'deadline';
	/** Same key for the same user: told once (a deadline, a mention in one reply). */
	key: string;
	/** Must hold only what the recipient may learn: never an anonymous critic's name. */
	text: string;
	url: string;
}

/** Tells members something, in the transaction of what caused it. Never tells the actor. */
export async function notify(tx: Executor, actorId: string | null, notices: Notice[]) {
	const rows = notices.filter((n) => n.userId !== actorId);
	if (rows.length === 0) return;
	await tx
		.insert(notifications)
		.values(rows.map((n) => ({ id: newId(), ...n })))
		.onConflictDoNothing();
}

/**
 * Members of the course mentioned as "@Full Name" in a text, with their role so the caller
 * can leave out those who may not read where they were mentioned.
 */
export async function mentionedMembers(executor: Executor, courseId: string, text: string) {
	if (!text.includes('@')) return [];
	const members = await executor
		.select({ id: users.id, name: users.name, role: memberships.role })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(memberships.courseId, courseId));
	const lower = text.toLowerCase();
	return members.filter((m) => m.name && lower.includes(`@${m.name.toLowerCase()}`));
}

export interface NotificationView {
	id: string;
	courseTitle: string;
	/** The course's zone, in which its times are shown. */
	timeZone: string;
	kind: string;
	text: string;
	url: string;
	createdAt: Date;
	read: boolean;
}

/** The actor's own notifications, newest first. Nobody reads another member's. */
export async function listNotifications(actor: SessionUser, limit = 100) {
	const rows = await db()
		.select({
			id: notifications.id,
			courseTitle: courses.title,
			timeZone: courses.timeZone,
			kind: notifications.kind,
			text: notifications.text,
			url: notifications.url,
			createdAt: notifications.createdAt,
			readAt: notifications.readAt
		})
		.from(notifications)
		.innerJoin(courses, eq(courses.id, notifications.courseId))
		.where(eq(notifications.userId, actor.id))
		.orderBy(desc(notifications.createdAt))
		.limit(limit);
	return rows.map(({ readAt, ...n }): NotificationView => ({ ...n, read: readAt !== null }));
}

export async function unreadCount(actor: SessionUser): Promise<number> {
	const [row] = await db()
		.select({ n: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt)));
	return row?.n ?? 0;
}

/** Marks the given notifications (or all) read; ids of other people's are ignored. */
export async function markRead(actor: SessionUser, ids: string[] | 'all'): Promise<void> {
	const mine = and(eq(notifications.userId, actor.id), isNull(notifications.readAt));
	await db()
		.update(notifications)
		.set({ readAt: new Date() })
		.where(ids === 'all' ? mine : and(mine, inArray(notifications.id, ids)));
}

/**
 * Marks one of the actor's notifications read and answers where it points. Someone else's
 * id is 404, as for one that does not exist.
 */
export async function openNotification(actor: SessionUser, id: string): Promise<string> {
	const [row] = await db()
		.update(notifications)
		.set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
		.where(and(eq(notifications.id, id), eq(notifications.userId, actor.id)))
		.returning({ url: notifications.url });
	if (!row) error(404, 'Not found');
	return row.url;
}
