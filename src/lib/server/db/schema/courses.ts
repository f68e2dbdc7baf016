import { index, pgEnum, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { users } from './auth';

export const courseRole = pgEnum('course_role', ['instructor', 'ta', 'student']);

export const courses = pgTable('courses', {
	id: text('id').primaryKey(),
	title: text('title').notNull(),
	// Markdown source and its sanitized HTML, rendered once on write.
	description: text('description').notNull().default(''),
	descriptionHtml: text('description_html').notNull().default(''),
	logistics: text('logistics').notNull().default(''),
	logisticsHtml: text('logistics_html').notNull().default(''),
	contact: text('contact').notNull().default(''),
	contactHtml: text('contact_html').notNull().default(''),
	gradingPolicy: text('grading_policy').notNull().default(''),
	gradingPolicyHtml: text('grading_policy_html').notNull().default(''),
	timeZone: text('time_zone').notNull(),
	joinCode: text('join_code').notNull().unique('courses_join_code_unique'),
	inviteToken: text('invite_token').notNull().unique('courses_invite_token_unique'),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

export const memberships = pgTable(
	'memberships',
	{
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: courseRole('role').notNull(),
		// Secret of the member's calendar feed; calendar apps send no cookie.
		calendarToken: text('calendar_token').notNull().unique('memberships_calendar_token_unique'),
		// Announcements newer than this are "new" to the member.
		announcementsSeenAt: timestamp('announcements_seen_at', { withTimezone: true })
			.notNull()
			.defaultNow(),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ name: 'memberships_pk', columns: [t.courseId, t.userId] }),
		index('memberships_user_id_idx').on(t.userId)
	]
);

/** People on a pasted roster who have no account yet: enrolled when they sign up. */
export const rosterEntries = pgTable(
	'roster_entries',
	{
		courseId: text('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		email: text('email').notNull(),
		name: text('name').notNull(),
		role: courseRole('role').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('roster_entries_course_email_unique').on(t.courseId, t.email),
		index('roster_entries_email_idx').on(t.email)
	]
);
