import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '$lib/server/db';
import {
	critiqueCitations,
	critiqueReplies,
	critiques,
	miniProjectGrades,
	miniProjectSubmissions,
	presentationAdjustments,
	presentationGrades,
	talks,
	users
} from '$lib/server/db/schema';
import { seedDemo } from '$lib/server/demo/seed';
import { STUDENTS, TALK_QUESTIONS } from '$lib/server/demo/content';
import { listQuestions } from '$lib/server/talks/service';
import { lectureCritiques } from '$lib/server/critiques/service';
import { listNotifications } from '$lib/server/notifications/service';

describe('the demo course', () => {
	it('has critiques with replies, a presenters’ answer and evidence, and keeps anonymity', async () => {
		await seedDemo(db());
		const rows = await db().select().from(critiques);
		expect(rows.length).toBeGreaterThanOrEqual(5);
		expect(rows.every((r) => r.submittedAt !== null)).toBe(true);
		expect(rows.filter((r) => r.anonymous)).toHaveLength(1);
		expect(rows.filter((r) => r.late)).toHaveLength(1);
		expect(rows.some((r) => r.kind === 'presentation')).toBe(true);

		const cited = await db().select().from(critiqueCitations);
		expect(cited.some((c) => c.annotationId !== null)).toBe(true);
		expect(cited.some((c) => c.annotationId === null && c.page !== null)).toBe(true);
		const replies = await db().select().from(critiqueReplies);
		expect(replies.some((r) => r.asPresenters)).toBe(true);

		// Nobody is told the anonymous critic's name, and peers read "Anonymous classmate".
		const people = await db().select().from(users);
		const byEmail = new Map(people.map((p) => [p.email, p]));
		const anonymous = rows.find((r) => r.anonymous)!;
		const critic = people.find((p) => p.id === anonymous.authorId)!;
		for (const s of STUDENTS) {
			const student = byEmail.get(s.email)!;
			// (She also annotates under her name: notices about that may name her.)
			const aboutCritiques = (await listNotifications(student))
				.filter((n) => n.url.includes('/critiques'))
				.map((n) => n.text);
			expect(aboutCritiques.join('\n')).not.toContain(critic.name);
		}
		const reader = byEmail.get(STUDENTS[0].email)!;
		const seen = await lectureCritiques(reader, anonymous.courseId, anonymous.lectureId, 'paper');
		const shown = seen.critiques.find((c) => c.id === anonymous.id)!;
		expect(shown.authorLabel).toBe('Anonymous classmate');
		expect(shown.replies.map((r) => r.authorLabel)).toContain('The critic');

		// Replies and announcements reached people.
		const chen = byEmail.get(STUDENTS[2].email)!;
		const chenTexts = (await listNotifications(chen)).map((n) => n.text);
		expect(chenTexts).toContain('Emil Lindqvist replied to your critique of Lecture 1.');
		expect(chenTexts.some((t) => t.startsWith('New announcement:'))).toBe(true);
		const [anonymousReply] = await db()
			.select()
			.from(critiqueReplies)
			.where(eq(critiqueReplies.authorId, critic.id));
		expect(anonymousReply).toBeDefined();

		// The instructors' talk of lecture 1 was given: questions on its slides, upvoted,
		// two answered, and the talk over.
		const [talk] = await db().select().from(talks);
		expect(talk.endedAt).not.toBeNull();
		const questions = await listQuestions(reader, talk.courseId, talk.lectureId);
		expect(questions).toHaveLength(TALK_QUESTIONS.length);
		expect(questions.filter((q) => q.answered)).toHaveLength(2);
		expect(Math.max(...questions.map((q) => q.votes))).toBe(3);
	});

	it('has a mini-project with an on-time and a late report, one graded', async () => {
		const reports = await db().select().from(miniProjectSubmissions);
		expect(reports.map((r) => r.late).sort()).toEqual([false, true]);
		const grades = await db().select().from(miniProjectGrades);
		expect(grades).toHaveLength(1);
		expect(grades[0].userId).toBe(reports.find((r) => !r.late)?.userId);
	});

	it('has the first student pair’s talk graded, with feedback and one member’s adjustment', async () => {
		const talkGrades = await db().select().from(presentationGrades);
		expect(talkGrades).toHaveLength(1);
		expect(Object.values(talkGrades[0].scores).reduce((a, b) => a + b, 0)).toBe(81);
		expect(talkGrades[0].feedbackHtml).toContain('<strong>when</strong>');
		expect(await db().select().from(presentationAdjustments)).toHaveLength(1);
	});
});
