import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './auth';

/**
 * Forms that created something, one row per (person, submission key), written in the same
 * transaction as what they created: a form sent twice (double click, resend after a lost
 * answer) finds its key taken and answers with the first one's `result` instead of
 * creating a second item. The key hashes the form's one-time token with its action and body.
 */
export const formSubmissions = pgTable(
	'form_submissions',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		/** What the first submission returned (as JSON), usually the id of what it created. */
		result: jsonb('result'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ name: 'form_submissions_pkey', columns: [t.userId, t.key] })]
);
