import {
	boolean,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { courses } from './courses';

export const lectures = pgTable(
	'lectures',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		number: integer('number').notNull(),
		title: text('title').notNull(),
		topic: text('topic').notNull().default(''),
		description: text('description').notNull().default(''),
		descriptionHtml: text('description_html').notNull().default(''),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		room: text('room').notNull().default(''),
		givenByInstructors: boolean('given_by_instructors').notNull().default(false),
		/** Critique deadlines; null means the default (see $lib/critiques/deadlines). */
		paperCritiqueDueAt: timestamp('paper_critique_due_at', { withTimezone: true }),
		presentationCritiqueDueAt: timestamp('presentation_critique_due_at', { withTimezone: true }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('lectures_course_number_unique').on(t.courseId, t.number),
		index('lectures_course_starts_at_idx').on(t.courseId, t.startsAt)
	]
);

export const readingKind = pgEnum('reading_kind', ['paper', 'blog_post', 'video', 'other']);

export const readings = pgTable(
	'readings',
	{
		id: text('id').primaryKey(),
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		url: text('url').notNull().default(''),
		kind: readingKind('kind').notNull(),
		required: boolean('required').notNull().default(true),
		position: integer('position').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('readings_lecture_id_idx').on(t.lectureId, t.position)]
);

/** The lead presenters of a lecture: a pair, sometimes a trio or a solo. */
export const lecturePresenters = pgTable(
	'lecture_presenters',
	{
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ name: 'lecture_presenters_pk', columns: [t.lectureId, t.userId] }),
		index('lecture_presenters_user_idx').on(t.userId)
	]
);
