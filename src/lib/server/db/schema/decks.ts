import {
	boolean,
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { courses } from './courses';
import { lectures } from './lectures';

export const deckStatus = pgEnum('deck_status', ['draft', 'published']);

/** The presenters' reveal.js deck of one lecture. Its text is its newest revision's. */
export const decks = pgTable(
	'decks',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		source: text('source').notNull(),
		theme: text('theme').notNull().default('white'),
		status: deckStatus('status').notNull().default('draft'),
		/** Published decks become visible to the class from this time on. */
		publishAt: timestamp('publish_at', { withTimezone: true }),
		revision: integer('revision').notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('decks_lecture_unique').on(t.lectureId), index('decks_course_idx').on(t.courseId)]
);

/** Every save of a deck, never changed afterwards: the history and the base of merges. */
export const deckRevisions = pgTable(
	'deck_revisions',
	{
		id: text('id').primaryKey(),
		deckId: text('deck_id')
			.notNull()
			.references(() => decks.id, { onDelete: 'cascade' }),
		number: integer('number').notNull(),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		source: text('source').notNull(),
		/** The revision the author started from; differs from number - 1 after a merge. */
		baseNumber: integer('base_number'),
		merged: boolean('merged').notNull().default(false),
		restoredFrom: integer('restored_from'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('deck_revisions_number_unique').on(t.deckId, t.number)]
);
