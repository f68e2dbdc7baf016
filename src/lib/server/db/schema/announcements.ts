import { boolean, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { courses } from './courses';

export const announcements = pgTable(
	'announcements',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		// Kept when the author leaves the course or deletes the account.
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		title: text('title').notNull(),
		body: text('body').notNull(),
		bodyHtml: text('body_html').notNull(),
		pinned: boolean('pinned').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('announcements_course_id_idx').on(t.courseId, t.createdAt)]
);
