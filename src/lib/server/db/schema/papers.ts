import { sql } from 'drizzle-orm';
import {
	index,
	integer,
	pgTable,
	primaryKey,
	real,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { courses } from './courses';
import { files } from './files';
import { lectures, readings } from './lectures';

/** A reading that is a PDF in Podium: readable, annotatable, citable. */
export const papers = pgTable(
	'papers',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		readingId: text('reading_id')
			.notNull()
			.references(() => readings.id, { onDelete: 'cascade' }),
		fileSha256: text('file_sha256')
			.notNull()
			.references(() => files.sha256, { onDelete: 'restrict' }),
		title: text('title').notNull(),
		authors: text('authors').notNull().default(''),
		year: integer('year'),
		venue: text('venue').notNull().default(''),
		pageCount: integer('page_count').notNull(),
		uploadedBy: text('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('papers_reading_id_unique').on(t.readingId),
		index('papers_course_id_idx').on(t.courseId),
		index('papers_lecture_id_idx').on(t.lectureId)
	]
);

/** Text of each page as pdf.js extracts it: for search and for anchoring annotations. */
export const paperPages = pgTable(
	'paper_pages',
	{
		paperId: text('paper_id')
			.notNull()
			.references(() => papers.id, { onDelete: 'cascade' }),
		pageNumber: integer('page_number').notNull(),
		text: text('text').notNull(),
		width: real('width').notNull(),
		height: real('height').notNull()
	},
	(t) => [
		primaryKey({ name: 'paper_pages_pk', columns: [t.paperId, t.pageNumber] }),
		index('paper_pages_text_search_idx').using('gin', sql`to_tsvector('english', ${t.text})`)
	]
);
