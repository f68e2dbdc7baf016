import { formatInTimeZone } from 'date-fns-tz';
import type { Database } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import { hashPassword } from '$lib/server/auth/password';
import { newId } from '$lib/server/ids';
import { createCourse, joinWithCode } from '$lib/server/courses/service';
import { changeRole } from '$lib/server/courses/roster';
import { addReading, createLecture } from '$lib/server/lectures/service';
import { postAnnouncement } from '$lib/server/announcements/service';
import type { SessionUser } from '$lib/server/auth/session';
import { paperText, uploadPaper } from '$lib/server/papers/service';
import { createAnnotation, reply, setStaffFlag, setVote } from '$lib/server/annotations/service';
import { describeText } from '$lib/annotations/anchoring';
import { documentText } from '$lib/papers/page-text';
import { makePaperPdf } from './pdf';
import { setPresenters } from '$lib/server/lectures/presenters';
import { saveDeck, setDeckPublication } from '$lib/server/decks/service';
import {
	askQuestion,
	endTalk,
	markAnswered,
	moveTalk,
	setQuestionVote,
	startTalk
} from '$lib/server/talks/service';
import { quoteCitation } from '$lib/decks/dialect';
import { DEMO_PAPERS, type DemoAnnotation, type DemoPaper } from './papers';
import {
	COURSE,
	DEMO_PASSWORD,
	INSTRUCTOR,
	LECTURES,
	STUDENTS,
	TA,
	ANNOUNCEMENTS,
	CRITIQUES,
	TALK_QUESTIONS,
	type DemoCritique
} from './content';
import { replyToCritique, setCritiqueHelpful, submitCritique } from '$lib/server/critiques/service';
import { passageEvidence } from '$lib/critiques/evidence';
import { zonedLocalToUtc } from '$lib/time/zones';
import { gradeReport, publishMiniProject, submitReport } from '$lib/server/grades/mini-projects';
import { adjustPresenter, gradeTalk } from '$lib/server/grades/talks';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Wednesdays at 16:00–18:00 in the course's zone: the first lecture (given by the
 * instructors) one to two weeks ago, the second (the first student pair's talk, graded) in
 * the past week, the others weekly from there, so a new user sees given talks and next ones.
 */
function lectureDays(count: number, timeZone: string, now = new Date()): string[] {
	const days: string[] = [];
	let day = new Date(now.getTime() - 14 * DAY_MS);
	while (formatInTimeZone(day, timeZone, 'i') !== '3') day = new Date(day.getTime() + DAY_MS);
	for (let i = 0; i < count; i++) {
		days.push(formatInTimeZone(new Date(day.getTime() + i * 7 * DAY_MS), timeZone, 'yyyy-MM-dd'));
	}
	return days;
}

/** Creates the demo course of the course page, through the same services people use. */
export async function seedDemo(database: Database): Promise<void> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const people = [INSTRUCTOR, TA, ...STUDENTS].map((p) => ({ id: newId(), ...p }));
	await database.insert(users).values(people.map((p) => ({ ...p, passwordHash })));
	const [instructor, ta, ...students] = people as SessionUser[];

	const course = await createCourse(instructor, COURSE);
	for (const person of [ta, ...students]) await joinWithCode(person, course.joinCode);
	await changeRole(instructor, course.id, ta.id, 'ta');

	const days = lectureDays(LECTURES.length, COURSE.timeZone);
	const lectureIds: string[] = [];
	for (const [i, lecture] of LECTURES.entries()) {
		const lectureId = await createLecture(instructor, course.id, {
			number: i + 1,
			title: lecture.title,
			topic: lecture.topic,
			description: lecture.description,
			startsAt: `${days[i]}T16:00`,
			endsAt: `${days[i]}T18:00`,
			room: 'E1 5, room 029',
			givenByInstructors: i === 0
		});
		lectureIds.push(lectureId);
		for (const reading of lecture.readings) {
			await addReading(instructor, course.id, lectureId, reading);
		}
	}
	// Pairs for the student-led lectures, in roster order (the instructors give lecture 1).
	for (const [i, lectureId] of lectureIds.slice(1).entries()) {
		await setPresenters(instructor, course.id, lectureId, [
			students[2 * i].id,
			students[2 * i + 1].id
		]);
	}
	const cast = { instructor, ta, students };
	const cited: Cited[] = [];
	for (const paper of DEMO_PAPERS) {
		cited.push(...(await seedPaper(cast, course.id, lectureIds[paper.lecture - 1], paper)));
	}
	await seedDeck(instructor, course.id, lectureIds[0], cited);
	await seedTalk({ instructor, ta, students }, course.id, lectureIds[0]);
	for (const a of ANNOUNCEMENTS) {
		await postAnnouncement(a.byTa ? ta : instructor, course.id, a);
	}
	const starts = days.map((day) => zonedLocalToUtc(`${day}T16:00`, COURSE.timeZone)!);
	for (const critique of CRITIQUES) {
		const lecture = critique.lecture - 1;
		await seedCritique(cast, course.id, lectureIds[lecture], starts[lecture], critique, cited);
	}
	// Only lecture 1 lies in the past, and the instructors gave it: no talk to grade yet.
	await seedMiniProject(cast, course.id, lectureIds[0], starts[0]);
	await seedTalkGrade(cast, course.id, lectureIds[1]);
}

/** The first student pair's talk (lecture 2), graded with feedback and one adjustment. */
async function seedTalkGrade(cast: Cast, courseId: string, lectureId: string) {
	const { instructor, students } = cast;
	await gradeTalk(instructor, courseId, lectureId, {
		scores: { explanation: 22, assessment: 18, delivery: 20, questions: 21 },
		feedback:
			'A clear account of where training memory goes. The weaknesses slide listed limits ' +
			'without weighing them: say **when** offloading stops paying off, with numbers.'
	});
	await adjustPresenter(instructor, courseId, lectureId, students[1].id, {
		points: 3,
		reason: 'Handled the questions on ZeRO-Offload alone when the demo failed.'
	});
}

/** Lecture 1's mini-project: two reports (one late), the first graded. */
async function seedMiniProject(
	cast: { instructor: SessionUser; students: SessionUser[] },
	courseId: string,
	lectureId: string,
	startsAt: Date
) {
	const { instructor, students } = cast;
	await publishMiniProject(instructor, courseId, lectureId, {
		title: 'Measure a training step',
		description:
			'Profile one training step of a small model and report, in **one or two pages**, where the time goes.',
		dueAt: '',
		maxPoints: 10
	});
	const report = (author: SessionUser) =>
		makePaperPdf({
			title: 'Where the time of a training step goes',
			authors: [author.name],
			sections: [
				{
					heading: 'Findings',
					paragraphs: ['The optimizer step takes a third of the time; the all-reduce hides well.']
				}
			]
		});
	const onTime = new Date(startsAt.getTime() - DAY_MS);
	const late = new Date(startsAt.getTime() + HOUR_MS);
	const file = async (author: SessionUser) => ({ bytes: await report(author), name: 'report.pdf' });
	await submitReport(students[0], courseId, lectureId, await file(students[0]), onTime);
	await submitReport(students[1], courseId, lectureId, await file(students[1]), late);
	await gradeReport(instructor, courseId, lectureId, students[0].id, {
		points: 8,
		feedback: 'Clear measurements; say how many steps you averaged over.'
	});
}

export function demoAccountsText(): string {
	return [
		'',
		'Demo course "Systems for Large (Language) Models" created. Sign in with:',
		`  instructor  ${INSTRUCTOR.email}`,
		`  TA          ${TA.email}`,
		...STUDENTS.map((s) => `  student     ${s.email}`),
		`  password for every demo account: ${DEMO_PASSWORD}`,
		''
	].join('\n');
}

type Cast = { instructor: SessionUser; ta: SessionUser; students: SessionUser[] };
const person = (cast: Cast, who: DemoAnnotation['by']) =>
	who === 'ta' ? cast.ta : who === 'instructor' ? cast.instructor : cast.students[who];

/** Where `quote` stands in the text, whatever line breaks the PDF put inside it. */
function locate(text: string, quote: string): { start: number; end: number } {
	const pattern = quote
		.split(/\s+/)
		.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('\\s+');
	const match = new RegExp(pattern).exec(text);
	if (!match) throw new Error(`Demo quote not found in its paper: "${quote}"`);
	return { start: match.index, end: match.index + match[0].length };
}

interface Cited {
	annotationId: string;
	paperId: string;
	quote: string;
	paperTitle: string;
	page: number;
	lecture: number;
}

async function seedPaper(
	cast: Cast,
	courseId: string,
	lectureId: string,
	demo: DemoPaper
): Promise<Cited[]> {
	const bytes = await makePaperPdf(demo);
	const paper = await uploadPaper(cast.instructor, courseId, lectureId, {
		bytes,
		name: `${demo.title}.pdf`
	});
	const { pages } = await paperText(cast.instructor, courseId, paper.id);
	const doc = documentText(pages.map((p) => p.text));
	const cited: Cited[] = [];
	for (const a of demo.annotations) {
		const { start, end } = locate(doc.text, a.quote);
		const id = await createAnnotation(person(cast, a.by), courseId, paper.id, {
			target: describeText(doc, start, end),
			body: a.body,
			tags: a.tags,
			visibility: 'class'
		});
		for (const r of a.replies ?? []) {
			await reply(person(cast, r.by), courseId, paper.id, id, r.body);
		}
		for (const voter of a.helpfulFrom ?? []) {
			await setVote(cast.students[voter], courseId, paper.id, id, 'helpful', true);
		}
		if (a.endorsed) await setStaffFlag(cast.instructor, courseId, paper.id, id, 'endorsed', true);
		const target = describeText(doc, start, end);
		cited.push({
			annotationId: id,
			paperId: paper.id,
			quote: target.quote.exact,
			paperTitle: demo.title,
			page: target.page,
			lecture: demo.lecture
		});
	}
	return cited;
}

/** The instructors' deck for lecture 1, citing what the class annotated, published. */
async function seedDeck(
	instructor: SessionUser,
	courseId: string,
	lectureId: string,
	cited: Cited[]
) {
	const quotes = cited
		.filter((c) => c.lecture === 1)
		.slice(0, 2)
		.map((c) => quoteCitation(c));
	const source = [
		'# Reducing memory footprint I',
		'',
		'Gradient checkpointing and gradient accumulation',
		'',
		'Note:',
		'Welcome everyone. This first lecture shows what we expect of a lead presentation.',
		'',
		'---',
		'',
		'## Where the memory goes',
		'',
		'- Weights, gradients, optimizer state: about $16P$ bytes with Adam',
		'- Activations: grow with batch × sequence × depth',
		'',
		quotes[0] ?? '',
		'',
		'---',
		'',
		'## Checkpointing in one picture',
		'',
		'Store every $\\sqrt{n}$-th activation, recompute the rest',
		'<!-- .element: class="fragment" -->',
		'',
		quotes[1] ?? '',
		'',
		'Note:',
		'Ask the class: why is the optimum at the square root?',
		'',
		'---',
		'',
		'## Strengths and weaknesses',
		'',
		'- ✔ simple, works for any model',
		'- ✘ 20–35 % more compute per step',
		'- ? automatic checkpoint selection',
		''
	].join('\n');
	await saveDeck(instructor, courseId, lectureId, { source, baseRevision: 0 });
	await setDeckPublication(instructor, courseId, lectureId, 'now');
}

/**
 * The instructors' talk of lecture 1, given: questions asked on its slides, upvoted, some
 * answered, then ended — what a class sees after a talk.
 */
async function seedTalk(cast: Cast, courseId: string, lectureId: string) {
	const { instructor, students } = cast;
	await startTalk(instructor, courseId, lectureId);
	await moveTalk(instructor, courseId, lectureId, { h: 1, v: 0, f: -1 });
	const asked: string[] = [];
	for (const q of TALK_QUESTIONS) {
		asked.push(
			await askQuestion(students[q.by], courseId, lectureId, { body: q.body, h: q.slide, v: 0 })
		);
	}
	for (const [i, q] of TALK_QUESTIONS.entries()) {
		for (const voter of q.votes) {
			await setQuestionVote(students[voter], courseId, lectureId, asked[i], true);
		}
		if (q.answered) await markAnswered(instructor, courseId, lectureId, asked[i]);
	}
	await moveTalk(instructor, courseId, lectureId, { h: 3, v: 0, f: -1 });
	await endTalk(instructor, courseId, lectureId);
}

/**
 * A critique as its author submitted it, then its replies and helpful marks. Times in the
 * future of the seeding are moved to just before it; a talk not given yet gets no critique.
 */
async function seedCritique(
	cast: Cast,
	courseId: string,
	lectureId: string,
	startsAt: Date,
	demo: DemoCritique,
	cited: Cited[]
) {
	const now = Date.now();
	const at = new Date(Math.min(startsAt.getTime() + demo.hoursAfterStart * HOUR_MS, now - HOUR_MS));
	if (demo.kind === 'presentation' && at < startsAt) return;
	const ofLecture = cited.filter((c) => c.lecture === demo.lecture);
	const link = (text: string) =>
		text
			.replace(
				/\{note:(\d+)\}/g,
				(_, i) => `[this note](podium:annotation/${ofLecture[i].annotationId})`
			)
			.replace(/\{passage:(\d+)\}/g, (_, i) => passageEvidence(ofLecture[i]));
	const answers = Object.fromEntries(
		Object.entries(demo.answers).map(([k, v]) => [k, typeof v === 'string' ? link(v) : v])
	);
	const author = cast.students[demo.by];
	const { id } = await submitCritique(
		author,
		courseId,
		lectureId,
		demo.kind,
		{ answers, anonymous: demo.anonymous ?? false },
		at
	);
	let parentId: string | null = null;
	for (const r of demo.replies ?? []) {
		// A reply by the critic answers the reply before it; others reply to the critique.
		const by = person(cast, r.by);
		parentId = await replyToCritique(by, courseId, {
			critiqueId: id,
			parentId: by.id === author.id ? parentId : null,
			body: r.body,
			asPresenters: r.asPresenters ?? false
		});
	}
	for (const voter of demo.helpfulFrom ?? []) {
		await setCritiqueHelpful(cast.students[voter], courseId, id, true);
	}
}
