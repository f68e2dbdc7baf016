import { sql } from 'drizzle-orm';
import {
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';
import type { AnnotationTarget } from '$lib/annotations/types';
import { users } from './auth';
import { courses } from './courses';
import { papers } from './papers';

export const annotationVisibility = pgEnum('annotation_visibility', ['class', 'staff', 'private']);

/**
 * A comment on a passage or region of a paper, or a reply in its thread (parent set,
 * no target). Deleting keeps the row (deleted_at) so replies keep their parent.
 */
export const annotations = pgTable(
	'annotations',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		paperId: text('paper_id')
			.notNull()
			.references(() => papers.id, { onDelete: 'cascade' }),
		parentId: text('parent_id').references((): AnyPgColumn => annotations.id, {
			onDelete: 'cascade'
		}),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		target: jsonb('target').$type<AnnotationTarget>(),
		/** First page and document offset of the target, for reading order and filters. */
		page: integer('page'),
		position: integer('position'),
		body: text('body').notNull(),
		bodyHtml: text('body_html').notNull(),
		tags: text('tags')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		visibility: annotationVisibility('visibility').notNull(),
		endorsedBy: text('endorsed_by').references(() => users.id, { onDelete: 'set null' }),
		endorsedAt: timestamp('endorsed_at', { withTimezone: true }),
		hiddenBy: text('hidden_by').references(() => users.id, { onDelete: 'set null' }),
		hiddenAt: timestamp('hidden_at', { withTimezone: true }),
		deletedAt: timestamp('deleted_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('annotations_paper_idx').on(t.paperId, t.page, t.position),
		index('annotations_parent_idx').on(t.parentId),
		index('annotations_course_author_idx').on(t.courseId, t.authorId),
		index('annotations_body_search_idx').using('gin', sql`to_tsvector('english', ${t.body})`)
	]
);

/** Earlier versions of an edited annotation, newest last. */
export const annotationRevisions = pgTable(
	'annotation_revisions',
	{
		id: text('id').primaryKey(),
		annotationId: text('annotation_id')
			.notNull()
			.references(() => annotations.id, { onDelete: 'cascade' }),
		body: text('body').notNull(),
		tags: text('tags').array().notNull(),
		visibility: annotationVisibility('visibility').notNull(),
		replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('annotation_revisions_annotation_idx').on(t.annotationId)]
);

export const voteKind = pgEnum('vote_kind', ['helpful', 'same_question']);

export const annotationVotes = pgTable(
	'annotation_votes',
	{
		annotationId: text('annotation_id')
			.notNull()
			.references(() => annotations.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: voteKind('kind').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ name: 'annotation_votes_pk', columns: [t.annotationId, t.userId, t.kind] })]
);
