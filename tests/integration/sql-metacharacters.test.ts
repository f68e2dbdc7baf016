import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { signUp } from '$lib/server/auth/accounts';
import { getCourse, updateCourse } from '$lib/server/courses/service';
import { addReading, createLecture, getLecture, updateLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { postAnnouncement } from '$lib/server/announcements/service';
import { updatePaperDetails, uploadPaper, type Paper } from '$lib/server/papers/service';
import { createAnnotation, getThread, reply } from '$lib/server/annotations/service';
import { exportAnnotations, importAnnotations } from '$lib/server/annotations/exchange';
import { searchCourse } from '$lib/server/papers/search';
import {
	myCritique,
	replyToCritique,
	setCritiqueForm,
	submitCritique
} from '$lib/server/critiques/service';
import { DEFAULT_FORMS } from '$lib/critiques/forms';
import { getDeck, saveDeck } from '$lib/server/decks/service';
import { askQuestion, listQuestions, startTalk } from '$lib/server/talks/service';
import { adjustPresenter, courseRubric, gradeTalk, setRubric } from '$lib/server/grades/talks';
import { gradeReport, publishMiniProject, submitReport } from '$lib/server/grades/mini-projects';
import { addAdjustment } from '$lib/server/participation/service';
import { runAction } from '$lib/server/forms';
import { announcementSchema } from '$lib/announcements/schemas';
import { searchSchema } from '$lib/papers/schemas';
import { blankPagesPdf, longPaperPdf } from '../fixtures/pdf';
import {
	asStudentOf,
	courseInput,
	lectureInput,
	makeCourse,
	makeUser,
	paperDocument,
	passage
} from './helpers';

/**
 * SQL and LIKE metacharacters, a placeholder, dollar quoting, a backslash before a zero
 * (the two characters, not NUL), comment markers and Markdown: stored and read back as is.
 */
const META = `'; DROP TABLE users; -- "\\ %_ $1 $$x$$ ? :id \\0 ' OR '1'='1 /* */ E'\\x27' **b**`;

let course: Course;
let instructor: SessionUser;
let ada: SessionUser;
let ben: SessionUser;
let cleo: SessionUser;
let lectureId: string;
let paper: Paper;

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ada = await asStudentOf(course, await makeUser('Ada'));
	ben = await asStudentOf(course, await makeUser('Ben'));
	cleo = await asStudentOf(course, await makeUser(META));
	lectureId = await createLecture(instructor, course.id, lectureInput({ number: 2 }));
	await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
	paper = await uploadPaper(instructor, course.id, lectureId, {
		bytes: await longPaperPdf(1),
		name: 'paper.pdf'
	});
});

describe('SQL metacharacters in every text field round-trip unchanged', () => {
	it('names: an account, a course, a lecture, a reading, a paper', async () => {
		const user = await signUp({ name: META, email: 'meta@example.org', password: 'x'.repeat(12) });
		const [stored] = await db().select().from(schema.users).where(eq(schema.users.id, user.id));
		expect(stored.name).toBe(META);
		expect(cleo.name).toBe(META);

		await updateCourse(
			instructor,
			course.id,
			courseInput({
				title: META,
				description: META,
				logistics: META,
				contact: META,
				gradingPolicy: META
			})
		);
		const updated = await getCourse(instructor, course.id);
		expect([
			updated.course.title,
			updated.course.description,
			updated.course.logistics,
			updated.course.contact,
			updated.course.gradingPolicy
		]).toEqual([META, META, META, META, META]);

		await updateLecture(
			instructor,
			course.id,
			lectureId,
			lectureInput({ number: 2, title: META, topic: META, description: META, room: META })
		);
		await addReading(instructor, course.id, lectureId, {
			title: META,
			url: `https://example.org/?q='%22;--%25_\\`,
			kind: 'paper',
			required: true
		});
		const { lecture, readings } = await getLecture(instructor, course.id, lectureId);
		expect([lecture.title, lecture.topic, lecture.description, lecture.room]).toEqual([
			META,
			META,
			META,
			META
		]);
		expect(readings.map((r) => [r.title, r.url])).toContainEqual([
			META,
			`https://example.org/?q='%22;--%25_\\`
		]);

		await updatePaperDetails(instructor, course.id, paper.id, {
			title: META,
			authors: META,
			year: null,
			venue: META
		});
		const [row] = await db().select().from(schema.papers).where(eq(schema.papers.id, paper.id));
		expect([row.title, row.authors, row.venue]).toEqual([META, META, META]);
	});

	it('announcements, annotations with tags, replies', async () => {
		await postAnnouncement(instructor, course.id, { title: META, body: META, pinned: false });
		const [announcement] = await db()
			.select()
			.from(schema.announcements)
			.where(eq(schema.announcements.courseId, course.id));
		expect([announcement.title, announcement.body]).toEqual([META, META]);

		const doc = await paperDocument(ada, course.id, paper.id);
		const target = passage(doc, doc.text.slice(0, 40).trim());
		const id = await createAnnotation(ada, course.id, paper.id, {
			target,
			body: META,
			tags: [META.slice(0, 20), 'strength'],
			visibility: 'class'
		});
		await reply(ben, course.id, paper.id, id, META);
		const thread = await getThread(cleo, course.id, paper.id, id);
		expect(thread.body).toBe(META);
		// Tags are words joined by dashes (annotationSchema); stored as given to the service.
		expect(thread.tags).toEqual([META.slice(0, 20), 'strength']);
		expect(thread.replies.map((r) => r.body)).toEqual([META]);
	});

	it('critique forms, critiques and their replies', async () => {
		const fields = DEFAULT_FORMS.paper.map((field) =>
			field.key === 'summary' ? { ...field, label: META, help: META } : field
		);
		await setCritiqueForm(instructor, course.id, 'paper', fields);
		const [form] = await db()
			.select()
			.from(schema.critiqueForms)
			.where(eq(schema.critiqueForms.courseId, course.id));
		expect(form.fields.find((f) => f.key === 'summary')).toMatchObject({
			label: META,
			help: META
		});

		const answers = {
			summary: META,
			strengths: META,
			weaknesses: META,
			questions: META,
			limitations: META,
			soundness: 3,
			significance: 3,
			clarity: 3,
			confidence: 3
		};
		const { id } = await submitCritique(cleo, course.id, lectureId, 'paper', {
			answers,
			anonymous: false
		});
		const mine = await myCritique(cleo, course.id, lectureId, 'paper');
		expect(mine.critique?.answers).toEqual(answers);
		const replyId = await replyToCritique(ada, course.id, {
			critiqueId: id,
			parentId: null,
			body: META,
			asPresenters: true
		});
		const [stored] = await db()
			.select()
			.from(schema.critiqueReplies)
			.where(eq(schema.critiqueReplies.id, replyId));
		expect(stored.body).toBe(META);
	});

	it('a deck and live questions', async () => {
		const source = `# ${META}\n\n${META}\n\nNote:\n${META}`;
		await saveDeck(ada, course.id, lectureId, { source, baseRevision: 0 });
		expect((await getDeck(ada, course.id, lectureId)).deck?.source).toBe(source);
		await startTalk(ada, course.id, lectureId);
		await askQuestion(cleo, course.id, lectureId, { body: META, h: 0, v: 0 });
		const questions = await listQuestions(ada, course.id, lectureId);
		expect(questions.map((q) => q.body)).toEqual([META]);
	});

	it('grades: rubric labels, feedback, adjustment reasons, a mini-project', async () => {
		const rubric = await courseRubric(instructor, course.id);
		await setRubric(instructor, course.id, [{ ...rubric[0], label: META }, ...rubric.slice(1)]);
		const labels = (await courseRubric(instructor, course.id)).map((c) => c.label);
		expect(labels[0]).toBe(META);

		const scores = Object.fromEntries(rubric.map((c) => [c.key, 1]));
		await gradeTalk(instructor, course.id, lectureId, { scores, feedback: META });
		await adjustPresenter(instructor, course.id, lectureId, ben.id, { points: -1, reason: META });
		const [grade] = await db()
			.select()
			.from(schema.presentationGrades)
			.where(eq(schema.presentationGrades.lectureId, lectureId));
		expect(grade.feedback).toBe(META);
		const [adjustment] = await db()
			.select()
			.from(schema.presentationAdjustments)
			.where(eq(schema.presentationAdjustments.userId, ben.id));
		expect(adjustment.reason).toBe(META);

		const participationId = await addAdjustment(instructor, course.id, cleo.id, {
			points: 1,
			reason: META
		});
		const [participation] = await db()
			.select()
			.from(schema.participationAdjustments)
			.where(eq(schema.participationAdjustments.id, participationId));
		expect(participation.reason).toBe(META);

		const project = await publishMiniProject(instructor, course.id, lectureId, {
			title: META,
			description: META,
			dueAt: '2099-01-01T12:00',
			maxPoints: 10
		});
		expect([project.title, project.description]).toEqual([META, META]);
		await submitReport(cleo, course.id, lectureId, { bytes: await blankPagesPdf(1), name: META });
		const [report] = await db()
			.select()
			.from(schema.miniProjectSubmissions)
			.where(eq(schema.miniProjectSubmissions.userId, cleo.id));
		expect(report.fileName).toBe(META);
		await gradeReport(instructor, course.id, lectureId, cleo.id, { points: 5, feedback: META });
		const [feedback] = await db()
			.select()
			.from(schema.miniProjectGrades)
			.where(eq(schema.miniProjectGrades.userId, cleo.id));
		expect(feedback.feedback).toBe(META);
	});

	it('search takes LIKE, quote, backslash and tsquery syntax as words', async () => {
		const word = 'zyzzogeton';
		const doc = await paperDocument(ada, course.id, paper.id);
		await createAnnotation(ada, course.id, paper.id, {
			target: passage(doc, doc.text.slice(0, 40).trim()),
			body: `${word} ${META}`,
			tags: [],
			visibility: 'class'
		});
		for (const q of [
			META,
			'%',
			'%%',
			'_',
			'\\',
			"'",
			'"',
			'!:*&|()',
			'a & (b | !c)',
			'<->',
			'foo:*',
			'"unbalanced',
			"o'brien",
			`${word} !:*&|() %_\\`,
			`"${word}"`,
			`${word}:*`,
			`-${word}`,
			`${word} OR '1'='1`
		]) {
			// The service itself, below the form's two-character minimum too.
			const results = await searchCourse(ada, course.id, q);
			expect(Array.isArray(results.annotations), q).toBe(true);
			if (q.includes(word) && !q.startsWith('-')) {
				expect(results.annotations.length, q).toBeGreaterThan(0);
			}
		}
	});
});

describe('NUL, which PostgreSQL text cannot hold, is dropped at the edge', () => {
	it('from every form a person submits', async () => {
		const form = new FormData();
		form.set('title', 'Before\0after');
		form.set('body', `${META}\0`);
		const request = new Request('http://localhost/', { method: 'POST', body: form });
		const stored = await runAction(request, announcementSchema, (input) =>
			postAnnouncement(instructor, course.id, input)
		);
		expect(typeof stored).toBe('string');
		const [row] = await db()
			.select()
			.from(schema.announcements)
			.where(eq(schema.announcements.id, stored as string));
		expect([row.title, row.body]).toEqual(['Beforeafter', META]);
	});

	it('from a search query', async () => {
		const parsed = searchSchema.parse({ q: 'zyzzo\0geton' });
		expect(parsed.q).toBe('zyzzogeton');
		await expect(searchCourse(ada, course.id, parsed.q)).resolves.toBeDefined();
	});

	it('from an imported annotation file', async () => {
		const doc = await paperDocument(ada, course.id, paper.id);
		await createAnnotation(ada, course.id, paper.id, {
			target: passage(doc, doc.text.slice(0, 40).trim()),
			body: 'nul-import-probe',
			tags: [],
			visibility: 'private'
		});
		const exported = JSON.stringify(
			await exportAnnotations(ada, course.id, paper.id, 'https://podium.example.edu')
		);
		const file = exported.replace('nul-import-probe', 'nul\\u0000import');
		expect(file).toContain('nul\\u0000import');
		const result = await importAnnotations(cleo, course.id, paper.id, file, 'private');
		expect(result.ok, JSON.stringify(result)).toBe(true);
		const rows = await db()
			.select()
			.from(schema.annotations)
			.where(eq(schema.annotations.authorId, cleo.id));
		expect(rows.map((r) => r.body)).toContain('nulimport');
	});

	it('keeps every other character, backslash-zero included', () => {
		expect(searchSchema.parse({ q: '\\0 %_' }).q).toBe('\\0 %_');
	});
});
