import {
	boolean,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { courses } from './courses';
import { lectures } from './lectures';
import { files } from './files';

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

/**
 * Images of a lecture's deck, stored once by hash in `files`: dropped into the editor, or
 * the crop of a region annotation (then `annotationId` says which; a new crop replaces it).
 */
export const deckImages = pgTable(
	'deck_images',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		sha256: text('sha256')
			.notNull()
			.references(() => files.sha256),
		name: text('name').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		annotationId: text('annotation_id'),
		uploadedBy: text('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('deck_images_lecture_sha_unique').on(t.lectureId, t.sha256),
		index('deck_images_annotation_idx').on(t.lectureId, t.annotationId)
	]
);

/**
 * Which annotations a deck cites and on which slides, kept in step with the deck's text on
 * every save. `citedAt` is when the citation first appeared: an annotation edited after it
 * shows "source changed" on the slide.
 */
export const deckCitations = pgTable(
	'deck_citations',
	{
		deckId: text('deck_id')
			.notNull()
			.references(() => decks.id, { onDelete: 'cascade' }),
		annotationId: text('annotation_id').notNull(),
		/** 0-based [h, v] of every slide citing it, in deck order. */
		slides: jsonb('slides').$type<[number, number][]>().notNull(),
		citedAt: timestamp('cited_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.deckId, t.annotationId] }),
		index('deck_citations_annotation_idx').on(t.annotationId)
	]
);

/** A lecture's live talk: where the presenter is, which the class's screens follow. */
export const talks = pgTable(
	'talks',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		startedBy: text('started_by').references(() => users.id, { onDelete: 'set null' }),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		slideH: integer('slide_h').notNull().default(0),
		slideV: integer('slide_v').notNull().default(0),
		fragment: integer('fragment').notNull().default(-1),
		movedAt: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('talks_lecture_unique').on(t.lectureId)]
);

/** A question asked during a talk, about the slide the asker was on. */
export const talkQuestions = pgTable(
	'talk_questions',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		slideH: integer('slide_h').notNull(),
		slideV: integer('slide_v').notNull(),
		body: text('body').notNull(),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		answeredBy: text('answered_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('talk_questions_lecture_idx').on(t.lectureId, t.createdAt)]
);

export const talkQuestionVotes = pgTable(
	'talk_question_votes',
	{
		questionId: text('question_id')
			.notNull()
			.references(() => talkQuestions.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.questionId, t.userId] })]
);
