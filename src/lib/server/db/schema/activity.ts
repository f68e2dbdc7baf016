import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { courses } from './courses';
import { lectures } from './lectures';

/**
 * Append-only log of every scored action, written in the same transaction as the action.
 * Participation is computed from these rows alone (see DESIGN.md).
 */
export const activity = pgTable(
	'activity',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		/** Who earned it (for "vote received", the author of the voted item). */
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** Who caused it, when that is someone else (the voter, the endorser). */
		actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
		lectureId: text('lecture_id').references(() => lectures.id, { onDelete: 'set null' }),
		kind: text('kind').notNull(),
		subjectType: text('subject_type').notNull(),
		subjectId: text('subject_id').notNull(),
		details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
		occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('activity_course_user_idx').on(t.courseId, t.userId, t.occurredAt),
		index('activity_subject_idx').on(t.subjectType, t.subjectId)
	]
);
