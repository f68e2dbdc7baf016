import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { db, type Executor } from '$lib/server/db';
import { courses, notifications } from '$lib/server/db/schema';
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

export interface NotificationView {
	id: string;
	courseTitle: string;
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
