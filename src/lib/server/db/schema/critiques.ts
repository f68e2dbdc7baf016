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
	unique,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';
import type { CritiqueAnswers, CritiqueField } from '$lib/critiques/forms';
import { users } from './auth';
import { courses } from './courses';
import { lectures } from './lectures';
import { papers } from './papers';

export const critiqueKind = pgEnum('critique_kind', ['paper', 'presentation']);
export const critiqueReveal = pgEnum('critique_reveal', [
	'after_own_or_deadline',
	'after_deadline'
]);

/** A course's critique questions per kind; without a row the default form applies. */
export const critiqueForms = pgTable(
	'critique_forms',
	{
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		kind: critiqueKind('kind').notNull(),
		fields: jsonb('fields').$type<CritiqueField[]>().notNull(),
		updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.courseId, t.kind] })]
);

/** The course's choice of when classmates read each other's critiques. */
export const critiqueSettings = pgTable('critique_settings', {
	courseId: text('course_id')
		.primaryKey()
		.references(() => courses.id, { onDelete: 'cascade' }),
	reveal: critiqueReveal('reveal').notNull().default('after_own_or_deadline')
});

/**
 * One member's critique of a lecture's paper or talk: a draft until submitted, then
 * visible to the class under the reveal rule. Edits after submission keep the earlier
 * version in critique_versions. `fields` is the form the answers were written against.
 */
export const critiques = pgTable(
	'critiques',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		/** The critiqued paper (paper critiques of a lecture with several papers). */
		paperId: text('paper_id').references(() => papers.id, { onDelete: 'set null' }),
		kind: critiqueKind('kind').notNull(),
		authorId: text('author_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** Peers see "Anonymous classmate"; staff always see the name. */
		anonymous: boolean('anonymous').notNull().default(false),
		fields: jsonb('fields').$type<CritiqueField[]>().notNull(),
		answers: jsonb('answers').$type<CritiqueAnswers>().notNull(),
		/** Rendered, sanitized Markdown of each text answer, by field key. */
		answersHtml: jsonb('answers_html').$type<Record<string, string>>().notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		late: boolean('late').notNull().default(false),
		/** 0 while a draft; every submission or edit after it adds one. */
		version: integer('version').notNull().default(0),
		endorsedBy: text('endorsed_by').references(() => users.id, { onDelete: 'set null' }),
		endorsedAt: timestamp('endorsed_at', { withTimezone: true }),
		hiddenBy: text('hidden_by').references(() => users.id, { onDelete: 'set null' }),
		hiddenAt: timestamp('hidden_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('critiques_author_unique').on(t.lectureId, t.kind, t.authorId),
		index('critiques_course_idx').on(t.courseId, t.lectureId)
	]
);

/** Submitted versions of a critique, oldest first; the newest equals the critique. */
export const critiqueVersions = pgTable(
	'critique_versions',
	{
		id: text('id').primaryKey(),
		critiqueId: text('critique_id')
			.notNull()
			.references(() => critiques.id, { onDelete: 'cascade' }),
		version: integer('version').notNull(),
		anonymous: boolean('anonymous').notNull(),
		fields: jsonb('fields').$type<CritiqueField[]>().notNull(),
		answers: jsonb('answers').$type<CritiqueAnswers>().notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
		late: boolean('late').notNull()
	},
	(t) => [unique('critique_versions_number_unique').on(t.critiqueId, t.version)]
);

/**
 * What a critique's strengths and weaknesses point at: an annotation, a passage of the
 * paper, or a slide of the lecture's deck. Kept in step with the answers on every save.
 */
export const critiqueCitations = pgTable(
	'critique_citations',
	{
		id: text('id').primaryKey(),
		critiqueId: text('critique_id')
			.notNull()
			.references(() => critiques.id, { onDelete: 'cascade' }),
		fieldKey: text('field_key').notNull(),
		annotationId: text('annotation_id'),
		paperId: text('paper_id'),
		page: integer('page'),
		slideH: integer('slide_h'),
		slideV: integer('slide_v')
	},
	(t) => [
		index('critique_citations_critique_idx').on(t.critiqueId),
		index('critique_citations_annotation_idx').on(t.annotationId),
		index('critique_citations_paper_idx').on(t.paperId)
	]
);

/**
 * Replies in a critique's thread. A presenter may answer "as the presenters"; the critic
 * marks such an answer read.
 */
export const critiqueReplies = pgTable(
	'critique_replies',
	{
		id: text('id').primaryKey(),
		critiqueId: text('critique_id')
			.notNull()
			.references(() => critiques.id, { onDelete: 'cascade' }),
		parentId: text('parent_id').references((): AnyPgColumn => critiqueReplies.id, {
			onDelete: 'cascade'
		}),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		asPresenters: boolean('as_presenters').notNull().default(false),
		body: text('body').notNull(),
		bodyHtml: text('body_html').notNull(),
		readByCriticAt: timestamp('read_by_critic_at', { withTimezone: true }),
		endorsedBy: text('endorsed_by').references(() => users.id, { onDelete: 'set null' }),
		endorsedAt: timestamp('endorsed_at', { withTimezone: true }),
		hiddenBy: text('hidden_by').references(() => users.id, { onDelete: 'set null' }),
		hiddenAt: timestamp('hidden_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('critique_replies_critique_idx').on(t.critiqueId, t.createdAt)]
);

export const critiqueVotes = pgTable(
	'critique_votes',
	{
		critiqueId: text('critique_id')
			.notNull()
			.references(() => critiques.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.critiqueId, t.userId] })]
);

/**
 * What a member is told in the app: replies, mentions, announcements, coming deadlines.
 * `key` makes a notice idempotent (one "due soon" per critique deadline and member).
 */
export const notifications = pgTable(
	'notifications',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		key: text('key').notNull(),
		/** What to show, already free of anything the member may not learn (anonymity). */
		text: text('text').notNull(),
		url: text('url').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	(t) => [
		unique('notifications_key_unique').on(t.userId, t.key),
		index('notifications_user_idx').on(t.userId, t.createdAt)
	]
);
