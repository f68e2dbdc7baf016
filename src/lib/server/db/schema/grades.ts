import {
	boolean,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import type { ParticipationRules } from '$lib/participation/rules';
import { users } from './auth';
import { courses } from './courses';
import { files } from './files';
import { lectures } from './lectures';

/** A course's participation rules; without a row the defaults apply. */
export const participationRules = pgTable('participation_rules', {
	courseId: text('course_id')
		.primaryKey()
		.references(() => courses.id, { onDelete: 'cascade' }),
	rules: jsonb('rules').$type<ParticipationRules>().notNull(),
	updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** Points an instructor adds to (or takes from) a student's participation, with a reason. */
export const participationAdjustments = pgTable(
	'participation_adjustments',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** The lecture it belongs to, or null for the course as a whole. */
		lectureId: text('lecture_id').references(() => lectures.id, { onDelete: 'set null' }),
		points: doublePrecision('points').notNull(),
		reason: text('reason').notNull(),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('participation_adjustments_user_idx').on(t.courseId, t.userId)]
);

/**
 * Every change to rules, grades, weights and adjustments: who, when, what it was and what
 * it became. Append-only.
 */
export const auditLog = pgTable(
	'audit_log',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
		action: text('action').notNull(),
		subjectType: text('subject_type').notNull(),
		subjectId: text('subject_id').notNull(),
		before: jsonb('before').$type<unknown>(),
		after: jsonb('after').$type<unknown>(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('audit_log_course_idx').on(t.courseId, t.createdAt)]
);

export interface GradeWeights {
	presentation: number;
	miniProjects: number;
	participation: number;
}

export interface RubricCriterion {
	key: string;
	label: string;
	/** Points available for this criterion. */
	max: number;
}

/** Grade weights, the mini-project rule (best N of M) and the talk rubric of a course. */
export const gradeSettings = pgTable('grade_settings', {
	courseId: text('course_id')
		.primaryKey()
		.references(() => courses.id, { onDelete: 'cascade' }),
	weights: jsonb('weights').$type<GradeWeights>().notNull(),
	bestMiniProjects: integer('best_mini_projects').notNull().default(3),
	ofMiniProjects: integer('of_mini_projects').notNull().default(5),
	rubric: jsonb('rubric').$type<RubricCriterion[]>().notNull(),
	updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** The grade of a lecture's talk, for its presenters together, with written feedback. */
export const presentationGrades = pgTable('presentation_grades', {
	lectureId: text('lecture_id')
		.primaryKey()
		.references(() => lectures.id, { onDelete: 'cascade' }),
	courseId: text('course_id')
		.notNull()
		.references(() => courses.id, { onDelete: 'cascade' }),
	/** Points per rubric criterion key. */
	scores: jsonb('scores').$type<Record<string, number>>().notNull(),
	/** The rubric as it was when graded. */
	rubric: jsonb('rubric').$type<RubricCriterion[]>().notNull(),
	feedback: text('feedback').notNull().default(''),
	feedbackHtml: text('feedback_html').notNull().default(''),
	gradedBy: text('graded_by').references(() => users.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** One presenter's adjustment of the pair's talk grade (percentage points), with a reason. */
export const presentationAdjustments = pgTable(
	'presentation_adjustments',
	{
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		points: doublePrecision('points').notNull(),
		reason: text('reason').notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.lectureId, t.userId] })]
);

/** A lecture's mini-project, published by the instructor. */
export const miniProjects = pgTable(
	'mini_projects',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		lectureId: text('lecture_id')
			.notNull()
			.references(() => lectures.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		descriptionHtml: text('description_html').notNull().default(''),
		/** Null means the lecture's start. */
		dueAt: timestamp('due_at', { withTimezone: true }),
		maxPoints: doublePrecision('max_points').notNull().default(100),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('mini_projects_lecture_unique').on(t.lectureId)]
);

/** Every report a student uploads for a mini-project; the newest is the one graded. */
export const miniProjectSubmissions = pgTable(
	'mini_project_submissions',
	{
		id: text('id').primaryKey(),
		miniProjectId: text('mini_project_id')
			.notNull()
			.references(() => miniProjects.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		version: integer('version').notNull(),
		sha256: text('sha256')
			.notNull()
			.references(() => files.sha256),
		fileName: text('file_name').notNull(),
		pageCount: integer('page_count').notNull(),
		late: boolean('late').notNull().default(false),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('mini_project_submissions_version_unique').on(t.miniProjectId, t.userId, t.version)
	]
);

/** The grade of a student's mini-project report, with feedback. */
export const miniProjectGrades = pgTable(
	'mini_project_grades',
	{
		miniProjectId: text('mini_project_id')
			.notNull()
			.references(() => miniProjects.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		points: doublePrecision('points').notNull(),
		feedback: text('feedback').notNull().default(''),
		feedbackHtml: text('feedback_html').notNull().default(''),
		gradedBy: text('graded_by').references(() => users.id, { onDelete: 'set null' }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.miniProjectId, t.userId] })]
);
